/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
import { basicAuth, callApi, entries, simulatorTestKit } from './apiClient';
import { ExotelSimulator } from './server';

let sim: ExotelSimulator;
const { api, basic, call } = simulatorTestKit((started) => (sim = started));

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

describe('faults', () => {
	it('429 with Retry-After and an envelope, consumed once', async () => {
		sim.injectFault({ kind: 'status', status: 429, retryAfter: 2, match: { method: 'GET', path: '/contacts' } });
		const other = await call('GET', '/lists');
		expect(other.status).toBe(200); // not matching: fault stays queued
		const r = await call('GET', '/contacts');
		expect(r.status).toBe(429);
		expect(r.headers.get('retry-after')).toBe('2');
		expect(r.json.response.error_data).toEqual(expect.objectContaining({ code: 429, message: 'Too many requests' }));
		expect((await call('GET', '/contacts')).status).toBe(200);
	});

	it('502 html, v1 bodies and times', async () => {
		sim.injectFault({ kind: 'status', status: 502, body: 'html' });
		sim.injectFault({ kind: 'status', status: 503, body: 'v1', times: 2, match: { path: /^\/lists/ } });
		const html = await fetch(api('/contacts'), { headers: { authorization: basic('x', 'y') } });
		expect(html.status).toBe(502);
		expect(html.headers.get('content-type')).toContain('text/html');
		expect(await html.text()).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>');
		for (let i = 0; i < 2; i++) {
			const v1 = await call<unknown>('GET', '/lists/abc');
			expect(v1.status).toBe(503);
			expect(v1.json).toEqual({ RestException: { Status: 503, Message: 'Service Unavailable' } });
		}
		expect((await call('GET', '/lists/abc')).status).toBe(404);
	});

	it('5xx envelope uses error code 1100', async () => {
		sim.injectFault({ kind: 'status', status: 500 });
		const r = await call('GET', '/contacts');
		expect([r.status, r.json.http_code, r.json.response.error_data?.code]).toEqual([500, 500, 1100]);
	});

	it('drop destroys the socket so fetch rejects', async () => {
		sim.injectFault({ kind: 'drop', match: { method: 'POST' } });
		await expect(call('POST', '/contacts', { contacts: [{ number: '+919833333333' }] })).rejects.toThrow();
		expect(sim.state.contacts.size).toBe(0);
		expect(sim.requests[0]).toEqual(expect.objectContaining({ method: 'POST', status: 0 }));
		expect((await call('POST', '/contacts', { contacts: [{ number: '+919833333333' }] })).status).toBe(207);
	});

	it('latency faults and global latency delay answers', async () => {
		sim.injectFault({ kind: 'latency', ms: 300 });
		let t0 = Date.now();
		expect((await call('GET', '/contacts')).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
		t0 = Date.now();
		await call('GET', '/contacts');
		expect(Date.now() - t0).toBeLessThan(200);
		sim.latencyMs = 150;
		t0 = Date.now();
		await call('GET', '/contacts');
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
	});
});

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

describe('faults that carry the request out and change the answer', () => {
	it('status with apply carries the request out, then answers the status (a 5xx after the work)', async () => {
		const [contact] = sim.seedContacts(1);
		sim.injectFault({ kind: 'status', status: 502, apply: true, match: { method: 'DELETE' } });
		expect((await call('DELETE', `/contacts/${contact.sid}`)).status).toBe(502);
		expect(sim.state.contacts.has(contact.sid)).toBe(false);
		expect((await call('DELETE', `/contacts/${contact.sid}`)).status).toBe(404);
	});

	it('bulkAnswer reorders and leaves out entries of a bulk answer, after carrying it out', async () => {
		const numbers = ['+919800000001', '+919800000002', '+919800000003'];
		const body = { contacts: numbers.map((number) => ({ number })) };
		sim.injectFault({ kind: 'bulkAnswer', order: 'reverse', match: { method: 'POST', path: '/contacts' } });
		const reversed = await call<{ number: string }>('POST', '/contacts', body);
		expect(entries(reversed).map((entry) => (entry.data as { number: string }).number)).toEqual([...numbers].reverse());

		sim.reset();
		sim.injectFault({ kind: 'bulkAnswer', order: [2, 0, 1], omit: [0], match: { method: 'POST' } });
		const partial = await call('POST', '/contacts', body);
		expect(entries(partial).map((entry) => (entry.data as { number: string }).number)).toEqual([numbers[2], numbers[1]]);
		expect(partial.json.metadata).toEqual(expect.objectContaining({ total: 3, success: 3 }));
		expect(sim.state.contacts.size).toBe(3);
	});
});
