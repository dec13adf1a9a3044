/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */

import { budgetedRunner, useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';

/** How much faster than real time the governor's clock runs in this file. */
const SPEED = 5;

// The governor runs on a clock SPEED times faster than real time, and every window below is SPEED
// times shorter than the one it stands for: pacing, holds and recovery behave as in n8n, in a fifth of
// the time. Headers that count in whole seconds are tested on the real clock (transport.stop.test.ts).
jest.mock('../../nodes/Exotel/transport/clock', () => {
	const { scaledClock } = jest.requireActual<typeof import('../helpers/scaledClock')>('../helpers/scaledClock');
	return { systemClock: scaledClock(5) };
});

/**
 * The rate governor against a window-based limit, through n8n's engine: every request of every
 * operation waits its turn, 429s are waited out, a family's 429s hold only that family, and an answer
 * asking for more than the node waits fails at once.
 */
describe('transport: the rate governor', () => {
	let sim: ExotelSimulator;
	useSimulator((started) => {
		sim = started;
	});

	const run = budgetedRunner(() => sim);

	/** 20 requests per 12 s of governor time. */
	const WINDOW = { limit: 20, windowMs: 12_000 / SPEED };

	describe('against a 20-requests-per-12-seconds window', () => {
		// These rely on a 429 applying nothing (the simulator throttles before the API): the node sends
		// a refused request again, POSTs included.
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
		});

		it('60 per-item Gets: every item succeeds, in order, with few answers of 429', async () => {
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
			// Items go 5 at a time: a refused window costs the requests in flight plus a few blind probes.
			expect(sim.rateLimitStats.throttled).toBeLessThanOrEqual(10);
		});

		it('a bulk create of 12,000 through the window saves every contact exactly once', async () => {
			sim.setRateLimit({ limit: 1, windowMs: 2_000 / SPEED });
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
		});
	});

	describe('families and long asks', () => {
		it('a campaign held by 429s never stalls a contact sync on the same account', async () => {
			const contacts = sim.seedContacts(30);
			// Campaigns answer 429 asking for 4 minutes (governor time): the campaign family is held.
			sim.injectFault({ kind: 'status', status: 429, retryAfter: 240, match: { path: /^\/campaigns/ }, times: 100 });
			let cancelCampaign = () => {};
			let campaignDone = false;
			const campaignRun = run(
				{ resource: 'campaign', operation: 'getMany', returnAll: true },
				{ onStarted: (stop) => (cancelCampaign = stop) },
			).then((result) => {
				campaignDone = true;
				return result;
			});
			while (sim.requests.every((request) => request.status !== 429)) await new Promise((resolve) => setTimeout(resolve, 10));

			const sync = await run(
				{ resource: 'contact', operation: 'get', contactId: '={{ $json.sid }}' },
				{ items: contacts.map((contact) => ({ sid: contact.sid })) },
			);
			expect(sync.error).toBeUndefined();
			expect(sync.output.map((item) => item.json.sid)).toEqual(contacts.map((contact) => contact.sid));
			// The whole sync ran while the campaign was still held.
			expect(campaignDone).toBe(false);
			expect(sim.requests.filter((request) => request.path.includes('/campaigns'))).toHaveLength(1);
			cancelCampaign();
			expect((await campaignRun).status).toBe('canceled');
		});

		it('a Retry-After of hours fails the request at once, naming the time asked; the next run asks again', async () => {
			const [contact] = sim.seedContacts(1);
			sim.injectFault({ kind: 'status', status: 429, retryAfter: 3 * 3_600, match: { method: 'GET' } });
			const refused = await run({ resource: 'contact', operation: 'get', contactId: contact.sid });
			expect(refused.error?.message).toBe(
				"Item 1: Exotel's rate limit: Exotel asked to wait 3 h 0 min, longer than the node waits (5 min 0 s)",
			);
			expect(sim.requests).toHaveLength(1);
			// The 3-hour hold was not kept: the next run is sent after a short wait and succeeds.
			const again = await run({ resource: 'contact', operation: 'get', contactId: contact.sid });
			expect(again.error).toBeUndefined();
			expect(again.output[0].json.sid).toBe(contact.sid);
			expect(sim.requests.map((request) => request.status)).toEqual([429, 200]);
		});
	});
});
