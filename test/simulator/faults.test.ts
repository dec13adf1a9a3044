import { basicAuth, callApi } from './apiClient';
import { ExotelSimulator } from './server';

let sim: ExotelSimulator;

beforeAll(async () => {
	sim = await ExotelSimulator.start();
});
afterAll(async () => sim.stop());
beforeEach(() => sim.reset());

/** Sends a request and reports how it ended, without waiting for an answer that may never come. */
function send(method: string, path: string, body?: unknown): { settled: Promise<'answered' | 'closed'>; aborted: AbortController } {
	const aborted = new AbortController();
	const settled = fetch(`${sim.url}/v2/accounts/${sim.credentials.accountSid}${path}`, {
		method,
		headers: {
			authorization: basicAuth(sim.credentials.apiKey, sim.credentials.apiToken),
			...(body !== undefined ? { 'content-type': 'application/json' } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: aborted.signal,
	}).then(
		async (res) => {
			await res.text();
			return 'answered' as const;
		},
		() => 'closed' as const,
	);
	return { settled, aborted };
}

/** Resolves once the simulator has read and logged n requests' bodies. */
async function logged(n: number, bodyBytes: number): Promise<void> {
	while (sim.requests.length < n || sim.requests[n - 1].bodyBytes < bodyBytes) await new Promise((r) => setImmediate(r));
}

describe('hang faults', () => {
	it('read and log the request, never answer, apply nothing; reset() closes the socket', async () => {
		sim.injectFault({ kind: 'hang', match: { method: 'POST', path: '/contacts' } });
		const body = { contacts: [{ number: '+919822222222' }] };
		const hung = send('POST', '/contacts', body);
		await logged(1, JSON.stringify(body).length);
		// Other requests are answered meanwhile.
		expect((await callApi(sim, 'GET', '/contacts')).status).toBe(200);
		expect(sim.requests[0]).toEqual(expect.objectContaining({ method: 'POST', body, status: 0 }));
		expect(sim.state.contacts.size).toBe(0);
		sim.reset();
		await expect(hung.settled).resolves.toBe('closed');
	});

	it('apply: true carries the request out and still never answers; stop() closes it too', async () => {
		const own = await ExotelSimulator.start();
		try {
			own.injectFault({ kind: 'hang', apply: true });
			const aborted = new AbortController();
			const settled = fetch(`${own.url}/v2/accounts/${own.credentials.accountSid}/lists`, {
				method: 'POST',
				headers: { authorization: basicAuth(own.credentials.apiKey, own.credentials.apiToken), 'content-type': 'application/json' },
				body: JSON.stringify({ lists: [{ name: 'Applied' }] }),
				signal: aborted.signal,
			}).then(
				() => 'answered',
				() => 'closed',
			);
			while (own.state.lists.size === 0) await new Promise((r) => setImmediate(r));
			expect(Array.from(own.state.lists.values()).map((l) => l.name)).toEqual(['Applied']);
			expect(own.requests[0].status).toBe(0);
			await own.stop();
			await expect(settled).resolves.toBe('closed');
		} finally {
			await own.stop().catch(() => undefined);
		}
	});

	it('times: the next n matching requests hang, then answers resume', async () => {
		sim.injectFault({ kind: 'hang', match: { method: 'GET' }, times: 2 });
		const a = send('GET', '/contacts');
		const b = send('GET', '/lists');
		await logged(2, 0);
		expect((await callApi(sim, 'GET', '/contacts')).status).toBe(200);
		expect(sim.requests.map((r) => r.status)).toEqual([0, 0, 200]);
		a.aborted.abort();
		b.aborted.abort();
		await expect(Promise.all([a.settled, b.settled])).resolves.toEqual(['closed', 'closed']);
	});
});

describe('slow faults', () => {
	it('apply the request at once and hold the answer for ms', async () => {
		sim.injectFault({ kind: 'slow', ms: 60_000, match: { method: 'POST' } });
		const slow = send('POST', '/lists', { lists: [{ name: 'Slow' }] });
		while (sim.state.lists.size === 0) await new Promise((r) => setImmediate(r));
		expect(sim.requests[0].status).toBe(207); // logged when decided, before the delay
		expect((await callApi(sim, 'GET', '/lists')).status).toBe(200);
		slow.aborted.abort();
		await expect(slow.settled).resolves.toBe('closed');
	});
});

describe('request log', () => {
	it('stamps each request with receivedAt (Date.now() on arrival)', async () => {
		const before = Date.now();
		await callApi(sim, 'GET', '/contacts');
		await callApi(sim, 'GET', '/lists');
		const after = Date.now();
		const [first, second] = sim.requests.map((r) => r.receivedAt);
		expect(first).toBeGreaterThanOrEqual(before);
		expect(second).toBeGreaterThanOrEqual(first);
		expect(second).toBeLessThanOrEqual(after);
	});
});
