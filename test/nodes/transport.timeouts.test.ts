import * as shipped from '../../nodes/Exotel/transport/timing';

import { budgetedRunner, useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';

/** The transport's waits in this file: the shipped ones (30 s, 2 min, 0.5 s) scaled down. */
const TEST_TIMING = { DEFAULT_TIMEOUT_MS: 1_500, NO_ANSWER_BUDGET_MS: 6_000, BACKOFF_BASE_MS: 20 };
jest.mock('../../nodes/Exotel/transport/timing', () => ({
	DEFAULT_TIMEOUT_MS: 1_500,
	TIMEOUT_PER_RECORD_MS: (1_500 * 10) / 30_000,
	NO_ANSWER_BUDGET_MS: 6_000,
	BACKOFF_BASE_MS: 20,
}));
const actual = jest.requireActual<typeof shipped>('../../nodes/Exotel/transport/timing');

/**
 * Requests Exotel never answers: a default timeout, retries only for idempotent methods, and
 * Request Options → Timeout in its place.
 */
describe('transport: timeouts', () => {
	let sim: ExotelSimulator;
	useSimulator((started) => {
		sim = started;
	});

	const run = budgetedRunner(() => sim);

	describe('timeouts', () => {
		it('the shipped waits: three 30 s attempts and their backoff fit in the 2-minute budget', () => {
			expect(shipped.DEFAULT_TIMEOUT_MS).toBe(TEST_TIMING.DEFAULT_TIMEOUT_MS); // the mock is in place
			expect(actual.DEFAULT_TIMEOUT_MS).toBe(30_000);
			expect(3 * actual.DEFAULT_TIMEOUT_MS + 3 * actual.BACKOFF_BASE_MS).toBeLessThanOrEqual(actual.NO_ANSWER_BUDGET_MS);
			// The test waits keep the shipped proportions.
			expect(TEST_TIMING.NO_ANSWER_BUDGET_MS / TEST_TIMING.DEFAULT_TIMEOUT_MS).toBe(actual.NO_ANSWER_BUDGET_MS / actual.DEFAULT_TIMEOUT_MS);
		});

		it('a hung GET fails within the no-answer budget by default, saying Exotel did not answer in time', async () => {
			const [contact] = sim.seedContacts(1);
			sim.injectFault({ kind: 'hang', match: { method: 'GET' }, times: 10 });
			const result = await run({ resource: 'contact', operation: 'get', contactId: contact.sid });
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe('Item 1: Exotel did not answer in time (1.5 s)');
			expect(result.error?.description).toMatch(/got no answer within 1.5 s, 3 times/);
			expect(sim.requests).toHaveLength(3);
			// The three attempts and their backoff fit in the budget.
			const span = sim.requests[2].receivedAt - sim.requests[0].receivedAt;
			expect(span).toBeLessThan(TEST_TIMING.NO_ANSWER_BUDGET_MS - TEST_TIMING.DEFAULT_TIMEOUT_MS);
		});

		it('Request Options → Timeout 500 replaces the default: three short attempts', async () => {
			const [contact] = sim.seedContacts(1);
			sim.injectFault({ kind: 'hang', match: { method: 'GET' }, times: 10 });
			const result = await run({ resource: 'contact', operation: 'get', contactId: contact.sid, requestOptions: { timeout: 500 } });
			expect(result.error?.message).toBe('Item 1: Exotel did not answer in time (0.5 s)');
			expect(sim.requests).toHaveLength(3);
			// Two waits of the default alone would take longer than the three attempts did.
			expect(sim.requests[2].receivedAt - sim.requests[0].receivedAt).toBeLessThan(2 * TEST_TIMING.DEFAULT_TIMEOUT_MS);
		});

		it('a hung POST is not sent again (Exotel may have applied it)', async () => {
			sim.injectFault({ kind: 'hang', match: { method: 'POST' }, times: 10 });
			const result = await run({ resource: 'list', operation: 'create', name: 'Maybe' });
			// (A write's timeout grows a little with what it carries.)
			expect(result.error?.message).toMatch(/^Item 1: Exotel did not answer in time \(1\.5\d* s\)$/);
			expect(result.error?.description).toMatch(/Exotel may have applied it anyway, so it was not sent again/);
			expect(sim.requests).toHaveLength(1);
		});
	});

});
