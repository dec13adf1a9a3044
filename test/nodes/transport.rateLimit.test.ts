/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
import type { IDataObject } from 'n8n-workflow';

import { governorFor } from '../../nodes/Exotel/transport/rateGovernor';
import { runExotel } from '../helpers/harness';
import { useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';

/**
 * The rate governor against a window-based limit (issue 10), and Stop: every request of every operation
 * waits its turn, 429s are waited out, and a cancelled run sends nothing more.
 */
describe('transport: the rate governor', () => {
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

	const WINDOW = { limit: 20, windowMs: 12_000 };

	describe('rate governor against a 20-requests-per-12-seconds window', () => {
		it('Get Many, Return All over 900 contacts, without Retry-After: succeeds with at most 5 answers of 429', async () => {
			sim.seedContacts(900);
			sim.setRateLimit(WINDOW);
			const result = await run({ resource: 'contact', operation: 'getMany', returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.output).toHaveLength(900);
			expect(new Set(result.output.map((item) => item.json.sid)).size).toBe(900);
			expect(sim.rateLimitStats.throttled).toBeGreaterThan(0); // the window was really hit
			expect(sim.rateLimitStats.throttled).toBeLessThanOrEqual(5);
			expect(sim.rateLimitStats.accepted).toBe(45);
		}, 120_000);

		it('60 per-item Gets: every item succeeds, in order, with at most 5 answers of 429', async () => {
			const contacts = sim.seedContacts(60);
			sim.setRateLimit(WINDOW);
			const result = await run(
				{ resource: 'contact', operation: 'get', contactId: '={{ $json.sid }}' },
				{ items: contacts.map((contact) => ({ sid: contact.sid })) },
			);
			expect(result.error).toBeUndefined();
			expect(result.output.map((item) => item.json.sid)).toEqual(contacts.map((contact) => contact.sid));
			expect(result.output.map((item) => item.pairedItem)).toEqual(contacts.map((_, item) => ({ item })));
			expect(sim.rateLimitStats.throttled).toBeGreaterThan(0);
			expect(sim.rateLimitStats.throttled).toBeLessThanOrEqual(5);
		}, 120_000);

		it('with X-RateLimit-* headers the node spreads its requests over the window and is not refused at all', async () => {
			sim.seedContacts(600);
			sim.setRateLimit({ ...WINDOW, headers: true });
			const result = await run({ resource: 'contact', operation: 'getMany', returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.output).toHaveLength(600);
			expect(sim.rateLimitStats.throttled).toBe(0);
		}, 120_000);

		it('a bulk create of 12,000 through the window saves every contact exactly once', async () => {
			sim.setRateLimit({ limit: 1, windowMs: 2_000 });
			const items = Array.from({ length: 12_000 }, (_, k) => ({ phone: `+9180${String(k).padStart(8, '0')}` }));
			const result = await run({ resource: 'contact', operation: 'create', number: '={{ $json.phone }}' }, { items });
			expect(result.error).toBeUndefined();
			expect(result.output).toHaveLength(12_000);
			expect(result.output.map((item) => item.json.number)).toEqual(items.map((item) => item.phone));
			expect(sim.state.contacts.size).toBe(12_000);
			const posts = sim.requests.filter((request) => request.method === 'POST');
			expect(posts.filter((request) => request.status === 207)).toHaveLength(3);
			// Every 429 was answered before anything was applied, so sending the POST again was safe.
			expect(posts.filter((request) => request.status === 429).length).toBe(sim.rateLimitStats.throttled);
		}, 60_000);
	});

	describe('Stop means stop', () => {
		it('cancelling during a rate-limit wait ends the wait at once and sends nothing more', async () => {
			sim.seedContacts(100);
			sim.setRateLimit({ limit: 3, windowMs: 60_000, retryAfter: true });
			let cancel = () => {};
			const resultPromise = run({ resource: 'contact', operation: 'getMany', returnAll: true }, { onStarted: (stop) => (cancel = stop) });
			while (sim.rateLimitStats.throttled === 0) await new Promise((resolve) => setTimeout(resolve, 20));
			const governor = governorFor(`${sim.url}/v2/accounts/${sim.credentials.accountSid}`, DOCUMENTED_BUDGET);
			expect(governor.holdRemainingMs()).toBeGreaterThan(10_000); // Retry-After holds the account
			await new Promise((resolve) => setTimeout(resolve, 100));
			expect(governor.waiting).toBe(1); // the next page waits its turn
			const requestsAtStop = sim.requests.length;
			cancel();
			const result = await resultPromise;
			expect(result.status).toBe('canceled');
			await new Promise((resolve) => setTimeout(resolve, 1000));
			expect(governor.waiting).toBe(0);
			expect(sim.requests).toHaveLength(requestsAtStop);
		}, 30_000);

		it('cancelling a 2,000-item per-item run: no request reaches Exotel later than 1 s after the stop', async () => {
			const contacts = sim.seedContacts(2_000);
			sim.latencyMs = 20;
			let cancel = () => {};
			const resultPromise = run(
				{ resource: 'contact', operation: 'get', contactId: '={{ $json.sid }}' },
				{ items: contacts.map((contact) => ({ sid: contact.sid })), budget: 1_000_000, onStarted: (stop) => (cancel = stop) },
			);
			while (sim.requests.length < 50) await new Promise((resolve) => setTimeout(resolve, 10));
			cancel();
			const stoppedAt = Date.now();
			const result = await resultPromise;
			expect(result.status).toBe('canceled');
			await new Promise((resolve) => setTimeout(resolve, 2_000));
			const late = sim.requests.filter((request) => request.receivedAt > stoppedAt + 1_000);
			expect(late).toHaveLength(0);
			expect(sim.requests.length).toBeLessThan(2_000);
		}, 60_000);
	});

});
