import { callApi, pause, simulatorTestKit } from './apiClient';
import type { ExotelSimulator } from './server';

let sim: ExotelSimulator;
simulatorTestKit((started) => (sim = started));

const V1_BODY = { RestException: { Status: 429, Code: 'RATE_LIMIT_EXCEEDED', Message: 'Rate limit exceeded' } };

describe('rate limit', () => {
	it('lets `limit` requests through per window, answers the rest 429 with the v1 body, and counts both', async () => {
		sim.setRateLimit({ limit: 3, windowMs: 60_000 });
		const statuses: number[] = [];
		let throttled;
		for (let i = 0; i < 5; i++) {
			const r = await callApi(sim, 'GET', '/contacts');
			statuses.push(r.status);
			if (r.status === 429) throttled = r;
		}
		expect(statuses).toEqual([200, 200, 200, 429, 429]);
		expect(throttled?.json).toEqual(V1_BODY);
		expect(throttled?.headers.get('content-type')).toBe('application/json');
		// No headers unless asked for.
		expect(throttled?.headers.get('retry-after')).toBeNull();
		expect(throttled?.headers.get('x-ratelimit-limit')).toBeNull();
		expect(sim.rateLimitStats).toEqual({ accepted: 3, throttled: 2 });
		expect(sim.requests.map((r) => r.status)).toEqual(statuses);
	});

	it('counts before auth and before the API: a throttled POST changes nothing', async () => {
		sim.setRateLimit({ limit: 1, windowMs: 60_000 });
		expect((await callApi(sim, 'GET', '/lists')).status).toBe(200);
		const r = await callApi(sim, 'POST', '/contacts', { contacts: [{ number: '+919811111111' }] });
		expect(r.status).toBe(429);
		expect(sim.state.contacts.size).toBe(0);
		const wrongAccount = await callApi(sim, 'GET', '/lists', undefined, 'otheraccount');
		expect(wrongAccount.status).toBe(403); // another account has a window of its own
	});

	it('Retry-After and X-RateLimit-* carry whole seconds until the window ends', async () => {
		sim.setRateLimit({ limit: 2, windowMs: 30_000, retryAfter: true, headers: true });
		const first = await callApi(sim, 'GET', '/contacts');
		const second = await callApi(sim, 'GET', '/contacts');
		const third = await callApi(sim, 'GET', '/contacts');
		expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
		expect(first.headers.get('x-ratelimit-limit')).toBe('2');
		expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
		expect(second.headers.get('x-ratelimit-remaining')).toBe('0');
		expect(third.headers.get('x-ratelimit-remaining')).toBe('0');
		expect(first.headers.get('retry-after')).toBeNull(); // only on 429s
		const [t0, , t2] = sim.requests.map((r) => r.receivedAt);
		const left = Math.ceil((t0 + 30_000 - t2) / 1000);
		expect(third.headers.get('retry-after')).toBe(String(left));
		expect(third.headers.get('x-ratelimit-reset')).toBe(String(left));
		expect(Number(first.headers.get('x-ratelimit-reset'))).toBe(30);
	});

	it('headers ride on every answer, also error and fault answers', async () => {
		sim.setRateLimit({ limit: 5, windowMs: 60_000, headers: true });
		sim.injectFault({ kind: 'status', status: 503 });
		const fault = await callApi(sim, 'GET', '/contacts');
		const notFound = await callApi(sim, 'GET', '/lists/nope');
		expect([fault.status, notFound.status]).toEqual([503, 404]);
		expect(fault.headers.get('x-ratelimit-remaining')).toBe('4');
		expect(notFound.headers.get('x-ratelimit-remaining')).toBe('3');
	});

	it('a throttled request leaves a queued fault for the next request that gets through', async () => {
		sim.setRateLimit({ limit: 1, windowMs: 60_000 });
		await callApi(sim, 'GET', '/contacts');
		sim.injectFault({ kind: 'status', status: 500 });
		expect((await callApi(sim, 'GET', '/contacts')).status).toBe(429);
		sim.setRateLimit(undefined);
		expect((await callApi(sim, 'GET', '/contacts')).status).toBe(500);
		expect((await callApi(sim, 'GET', '/contacts')).status).toBe(200);
	});

	it('a new window starts with the first request after the previous one ended', async () => {
		const windowMs = 1000;
		sim.setRateLimit({ limit: 1, windowMs });
		const a = await callApi(sim, 'GET', '/contacts');
		const b = await callApi(sim, 'GET', '/contacts');
		await pause(windowMs + 100);
		const c = await callApi(sim, 'GET', '/contacts');
		const d = await callApi(sim, 'GET', '/contacts');
		const [ta, tb, tc, td] = sim.requests.map((r) => r.receivedAt);
		expect(a.status).toBe(200);
		// b and d are throttled unless the machine was slow enough for their window to have ended.
		expect(b.status).toBe(tb < ta + windowMs ? 429 : 200);
		expect(c.status).toBe(200);
		expect(d.status).toBe(td < tc + windowMs ? 429 : 200);
	});

	it('reset() and setRateLimit(undefined) lift the limit; reset() zeroes the stats', async () => {
		sim.setRateLimit({ limit: 0, windowMs: 60_000 });
		expect((await callApi(sim, 'GET', '/contacts')).status).toBe(429);
		sim.setRateLimit(undefined);
		expect((await callApi(sim, 'GET', '/contacts')).status).toBe(200);
		expect(sim.rateLimitStats).toEqual({ accepted: 0, throttled: 1 }); // no limit, nothing counted
		sim.setRateLimit({ limit: 0, windowMs: 60_000 });
		sim.reset();
		expect(sim.rateLimitStats).toEqual({ accepted: 0, throttled: 0 });
		expect((await callApi(sim, 'GET', '/contacts')).status).toBe(200);
		expect(() => sim.setRateLimit({ limit: -1, windowMs: 1000 })).toThrow(/limit/);
		expect(() => sim.setRateLimit({ limit: 1, windowMs: 0 })).toThrow(/windowMs/);
	});
});
