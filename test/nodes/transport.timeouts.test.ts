import type { IDataObject } from 'n8n-workflow';

import { runExotel } from '../helpers/harness';
import { useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';

/**
 * Requests Exotel never answers (issue 10): a default timeout, retries only for idempotent methods, and
 * Request Options → Timeout in its place.
 */
describe('transport: timeouts', () => {
	let sim: ExotelSimulator;
	useSimulator((started) => {
		sim = started;
	});

	/** Exotel's documented budget, as a new credential has it (the harness's default is unlimited). */
	const DOCUMENTED_BUDGET = 200;

	const run = (parameters: IDataObject, options: { items?: IDataObject[]; budget?: number; onStarted?: (cancel: () => void) => void } = {}) =>
		runExotel({
			credentials: { ...sim.credentials, requestsPerMinute: options.budget ?? DOCUMENTED_BUDGET },
			parameters: parameters as never,
			items: options.items,
			onStarted: options.onStarted,
		});

	describe('timeouts', () => {
		it('a hung GET fails within 2 minutes by default, saying Exotel did not answer in time', async () => {
			const [contact] = sim.seedContacts(1);
			sim.injectFault({ kind: 'hang', match: { method: 'GET' }, times: 10 });
			const result = await run({ resource: 'contact', operation: 'get', contactId: contact.sid });
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe('Item 1: Exotel did not answer in time (30 s)');
			expect(result.error?.description).toMatch(/got no answer within 30 s, 3 times/);
			expect(sim.requests).toHaveLength(3);
			// The three attempts and their backoff fit in the 2-minute budget.
			const span = sim.requests[2].receivedAt - sim.requests[0].receivedAt;
			expect(span).toBeLessThan(120_000 - 30_000);
		}, 150_000);

		it('Request Options → Timeout 1000 replaces the default: three short attempts', async () => {
			const [contact] = sim.seedContacts(1);
			sim.injectFault({ kind: 'hang', match: { method: 'GET' }, times: 10 });
			const result = await run({ resource: 'contact', operation: 'get', contactId: contact.sid, requestOptions: { timeout: 1000 } });
			expect(result.error?.message).toBe('Item 1: Exotel did not answer in time (1 s)');
			expect(sim.requests).toHaveLength(3);
			expect(sim.requests[2].receivedAt - sim.requests[0].receivedAt).toBeLessThan(5_000);
		}, 30_000);

		it('a hung POST is not sent again (Exotel may have applied it)', async () => {
			sim.injectFault({ kind: 'hang', match: { method: 'POST' }, times: 10 });
			const result = await run({ resource: 'list', operation: 'create', name: 'Maybe', requestOptions: { timeout: 1000 } });
			expect(result.error?.message).toBe('Item 1: Exotel did not answer in time (1 s)');
			expect(result.error?.description).toMatch(/Exotel may have applied it anyway, so it was not sent again/);
			expect(sim.requests).toHaveLength(1);
		}, 30_000);
	});

});
