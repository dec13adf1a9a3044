import type { IDataObject } from 'n8n-workflow';

import { governorFor } from '../../nodes/Exotel/transport/rateGovernor';
import { loadExotelNode, runExotel } from '../helpers/harness';
import type { RunResult } from '../helpers/harness';
import { TestHttpProxy } from '../helpers/httpProxy';
import { rl, useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';

/**
 * What every request goes through (issue 10): the rate governor against a window-based limit, timeouts
 * against a server that never answers, Settings → Request Options, and Stop.
 */
describe('transport', () => {
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

	describe('timeouts', () => {
		it('a hung GET fails within 2 minutes by default, saying Exotel did not answer in time', async () => {
			const [contact] = sim.seedContacts(1);
			sim.injectFault({ kind: 'hang', match: { method: 'GET' }, times: 10 });
			const result = await run({ resource: 'contact', operation: 'get', contactId: contact.sid });
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe('Exotel did not answer in time (30 s)');
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
			expect(result.error?.message).toBe('Exotel did not answer in time (1 s)');
			expect(sim.requests).toHaveLength(3);
			expect(sim.requests[2].receivedAt - sim.requests[0].receivedAt).toBeLessThan(5_000);
		}, 30_000);

		it('a hung POST is not sent again (Exotel may have applied it)', async () => {
			sim.injectFault({ kind: 'hang', match: { method: 'POST' }, times: 10 });
			const result = await run({ resource: 'list', operation: 'create', name: 'Maybe', requestOptions: { timeout: 1000 } });
			expect(result.error?.message).toBe('Exotel did not answer in time (1 s)');
			expect(result.error?.description).toMatch(/Exotel may have applied it anyway, so it was not sent again/);
			expect(sim.requests).toHaveLength(1);
		}, 30_000);
	});

	describe('Request Options → Proxy', () => {
		let proxy: TestHttpProxy;
		const PROXY_PASSWORD = 'pr0xy-s3cret';
		beforeAll(async () => {
			proxy = await TestHttpProxy.start({ username: 'corp', password: PROXY_PASSWORD });
		});
		afterAll(async () => proxy.stop());
		beforeEach(() => proxy.requests.splice(0));

		const proxied = () => ({ proxy: `http://corp:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}` });

		it('every request of every operation goes through the proxy, with its credentials', async () => {
			const list = sim.seedList('Proxied');
			const [first, second] = sim.seedContacts(2);
			const cases: Array<[string, IDataObject, IDataObject[]?]> = [
				['contact get', { resource: 'contact', operation: 'get', contactId: first.sid }],
				['contact getMany', { resource: 'contact', operation: 'getMany', returnAll: true }],
				['contact create', { resource: 'contact', operation: 'create', number: '={{ $json.phone }}' }, [{ phone: '+919812300001' }]],
				['contact update', { resource: 'contact', operation: 'update', contactId: first.sid, updateFields: { firstName: 'Asha' } }],
				['contact delete', { resource: 'contact', operation: 'delete', contactId: second.sid }],
				['listContact add', { resource: 'listContact', operation: 'add', listId: rl(list.sid), contactId: first.sid }],
				['csvUpload upload', { resource: 'csvUpload', operation: 'upload', listName: 'From items via proxy', source: 'items' }, [{ number: '+919812300002' }]],
			];
			for (const [name, parameters, items] of cases) {
				const before = sim.requests.length;
				const proxiedBefore = proxy.requests.length;
				const result = await runExotel({
					credentials: { ...sim.credentials },
					parameters: { ...parameters, requestOptions: proxied() } as never,
					items,
				});
				expect({ name, error: result.error?.message }).toEqual({ name, error: undefined });
				const sent = sim.requests.length - before;
				expect({ name, sent: sent > 0 }).toEqual({ name, sent: true });
				// Everything Exotel saw came through the proxy, authenticated.
				const viaProxy = proxy.requests.slice(proxiedBefore);
				expect({ name, viaProxy: viaProxy.length }).toEqual({ name, viaProxy: sent });
				expect(viaProxy.every((request) => request.url.startsWith(sim.url))).toBe(true);
				expect(viaProxy.every((request) => request.proxyAuthorization?.startsWith('Basic '))).toBe(true);
			}
		}, 60_000);

		it('a dead proxy fails the run with the proxy named and its password hidden', async () => {
			const [contact] = sim.seedContacts(1);
			const result: RunResult = await runExotel({
				credentials: { ...sim.credentials },
				parameters: {
					resource: 'contact',
					operation: 'get',
					contactId: contact.sid,
					requestOptions: { proxy: `http://corp:${PROXY_PASSWORD}@127.0.0.1:1` },
				} as never,
			});
			expect(result.status).toBe('error');
			expect(sim.requests).toHaveLength(0);
			expect(result.error?.message).toBe('Could not reach Exotel: the proxy http://corp:***@127.0.0.1:1 refused the connection (ECONNREFUSED)');
			// The error as n8n stores and shows it (its `node` copy holds the workflow's own saved parameters).
			const { node: _node, ...shown } = JSON.parse(JSON.stringify(result.error)) as IDataObject;
			expect(JSON.stringify(shown)).not.toContain(PROXY_PASSWORD);
			expect(JSON.stringify(result.output)).not.toContain(PROXY_PASSWORD);
		}, 30_000);
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

	it('a mistyped or offline host names the host and what to check, without retrying', async () => {
		const result = await runExotel({
			credentials: { ...sim.credentials, baseUrl: 'http://api.exotel-typo.invalid' },
			parameters: { resource: 'list', operation: 'getMany', returnAll: true } as never,
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Could not reach Exotel: the host api\.exotel-typo\.invalid was not found \((ENOTFOUND|EAI_AGAIN)\)$/);
		expect(result.error?.description).toMatch(/Check the credential's region \(Singapore is api\.exotel\.com, Mumbai api\.in\.exotel\.com\)/);
	}, 60_000);

	it('the node as n8n loads it shows Request Options under Settings', () => {
		const requestOptions = loadExotelNode().description.properties.find((property) => property.name === 'requestOptions');
		expect(requestOptions?.options?.map((option) => option.name).sort()).toEqual(['allowUnauthorizedCerts', 'batching', 'proxy', 'timeout']);
	});
});
