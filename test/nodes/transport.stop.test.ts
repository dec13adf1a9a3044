import { sleep } from 'n8n-workflow';

import { governorFor } from '../../nodes/Exotel/transport/rateGovernor';
import { budgetedRunner, DOCUMENTED_BUDGET, useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';

/**
 * The rate governor on the real clock, where Exotel's headers count in whole seconds: X-RateLimit-*
 * spread requests over the window; and Stop: a cancelled run ends its waits at once and sends nothing more.
 */
describe('transport: rate-limit headers and Stop', () => {
	let sim: ExotelSimulator;
	useSimulator((started) => {
		sim = started;
	});

	const run = budgetedRunner(() => sim);

	const pause = sleep;

	it('with X-RateLimit-* headers the node spreads its requests over the window and is not refused at all', async () => {
		sim.seedContacts(300);
		sim.setRateLimit({ limit: 10, windowMs: 4_000, headers: true });
		const result = await run({ resource: 'contact', operation: 'getMany', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(300);
		expect(sim.rateLimitStats).toEqual({ accepted: 15, throttled: 0 });
	});

	describe('Stop means stop', () => {
		it('cancelling during a rate-limit wait ends the wait at once and sends nothing more', async () => {
			sim.seedContacts(100);
			sim.setRateLimit({ limit: 3, windowMs: 60_000, retryAfter: true });
			let cancel = () => {};
			const resultPromise = run({ resource: 'contact', operation: 'getMany', returnAll: true }, { onStarted: (stop) => (cancel = stop) });
			const governor = governorFor(`${sim.url}/v2/accounts/${sim.credentials.accountSid}#contacts`, DOCUMENTED_BUDGET);
			// The simulator counts the 429 before the node has read it.
			while (sim.rateLimitStats.throttled === 0 || governor.holdRemainingMs() === 0) await pause(20);
			expect(governor.holdRemainingMs()).toBeGreaterThan(10_000); // Retry-After holds the account
			await pause(100);
			expect(governor.waiting).toBe(1); // the next page waits its turn
			const requestsAtStop = sim.requests.length;
			cancel();
			const result = await resultPromise;
			expect(result.status).toBe('canceled');
			await pause(300);
			expect(governor.waiting).toBe(0);
			expect(sim.requests).toHaveLength(requestsAtStop);
		});

		it('cancelling a 500-item per-item run: no request reaches Exotel later than 1 s after the stop', async () => {
			// (The node reads every item's parameters before its first request: 500 keep that short.)
			const contacts = sim.seedContacts(500);
			sim.latencyMs = 20;
			let cancel = () => {};
			const resultPromise = run(
				{ resource: 'contact', operation: 'get', contactId: '={{ $json.sid }}' },
				{ items: contacts.map((contact) => ({ sid: contact.sid })), budget: 1_000_000, onStarted: (stop) => (cancel = stop) },
			);
			while (sim.requests.length < 20) await pause(10);
			cancel();
			const stoppedAt = Date.now();
			const result = await resultPromise;
			expect(result.status).toBe('canceled');
			await pause(1_500);
			const late = sim.requests.filter((request) => request.receivedAt > stoppedAt + 1_000);
			expect(late).toHaveLength(0);
			expect(sim.requests.length).toBeLessThan(500);
		});
	});
});
