import type { IDataObject } from 'n8n-workflow';

import { loadExotelNode, runExotel } from '../helpers/harness';
import type { RunResult } from '../helpers/harness';
import { TestHttpProxy } from '../helpers/httpProxy';
import { rl, useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';

// A dead proxy is tried five times with doubling waits between (0.5 + 1 + 2 + 4 s shipped): here 20 ms
// to start with, the rest of the transport's waits as shipped.
jest.mock('../../nodes/Exotel/transport/timing', () => ({
	...jest.requireActual<object>('../../nodes/Exotel/transport/timing'),
	BACKOFF_BASE_MS: 20,
}));

/**
 * Settings → Request Options (proxy) on every operation, and the errors a user reads when Exotel cannot be
 * reached.
 */
describe('transport: Request Options and errors people read', () => {
	let sim: ExotelSimulator;
	useSimulator((started) => {
		sim = started;
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
			expect(result.error?.message).toBe('Item 1: Could not reach Exotel: the proxy http://corp:***@127.0.0.1:1 refused the connection (ECONNREFUSED)');
			// The error as n8n stores and shows it (its `node` copy holds the workflow's own saved parameters).
			const shown = JSON.parse(JSON.stringify(result.error)) as IDataObject;
			delete shown.node;
			expect(JSON.stringify(shown)).not.toContain(PROXY_PASSWORD);
			expect(JSON.stringify(result.output)).not.toContain(PROXY_PASSWORD);
		}, 30_000);

		it.each([
			['no scheme', `corp:${PROXY_PASSWORD}@127.0.0.1:1`, 'the proxy corp:***@127.0.0.1:1 refused the connection'],
			['https', `https://corp:${PROXY_PASSWORD}@127.0.0.1:1`, 'the proxy https://corp:***@127.0.0.1:1 refused'],
			['"@" in the password', `corp:${PROXY_PASSWORD}@x@127.0.0.1:1`, 'the proxy corp:***@127.0.0.1:1 refused'],
			['encoded characters', `http://corp:${encodeURIComponent(`${PROXY_PASSWORD}@/:#`)}@127.0.0.1:1`, 'the proxy http://corp:***@127.0.0.1:1 refused'],
			['a token as the user name', `http://${PROXY_PASSWORD}@127.0.0.1:1`, 'the proxy http://***@127.0.0.1:1 refused'],
			['"/" in the password: not a URL', `corp:${PROXY_PASSWORD}/x@127.0.0.1:1`, 'Request Options → Proxy is not a URL: corp:***@127.0.0.1:1'],
			['"#" in the password, no scheme: not a URL', `corp:${PROXY_PASSWORD}#@127.0.0.1:1`, 'Request Options → Proxy is not a URL: corp:***@127.0.0.1:1'],
		])('a proxy written with %s never shows its password', async (_form, proxyText, shownAs) => {
			for (const onError of ['stopWorkflow', 'continueRegularOutput'] as const) {
				// A create is a POST, which is not sent twice: the refused connection fails at once, without backoff.
				const result: RunResult = await runExotel({
					credentials: { ...sim.credentials },
					parameters: { resource: 'contact', operation: 'create', number: '+919812300001', requestOptions: { proxy: proxyText } } as never,
					onError,
				});
				expect(sim.requests).toHaveLength(0);
				const shown = onError === 'stopWorkflow' ? result.error?.message : String(result.output[0]?.json.error);
				expect(shown).toContain(shownAs);
				if (result.error) {
					// The error as n8n stores and shows it, without its `node` copy (the workflow's own saved parameters).
					const stored = JSON.parse(JSON.stringify(result.error)) as IDataObject;
					delete stored.node;
					expect(JSON.stringify(stored)).not.toContain(PROXY_PASSWORD);
				}
				expect(JSON.stringify(result.output)).not.toContain(PROXY_PASSWORD);
				expect(JSON.stringify(result.output)).not.toContain(encodeURIComponent(PROXY_PASSWORD));
			}
		}, 30_000);
	});

	it.each([
		['http://corp:b4se-s3cret@exa mple.invalid'],
		['corp:b4se-s3cret@127.0.0.1:1'],
		['http://corp:b4se-s3cret@127.0.0.1:1'],
		['http://corp:b4se-s3cret@api.exotel-typo.invalid'],
	])(
		'a custom base URL holding a password (%s) never shows it',
		async (baseUrl) => {
			const result = await runExotel({
				credentials: { ...sim.credentials, baseUrl },
				parameters: { resource: 'contact', operation: 'create', number: '+919812300001' } as never,
				onError: 'continueRegularOutput',
			});
			expect(sim.requests).toHaveLength(0);
			expect(JSON.stringify(result.output)).not.toContain('b4se-s3cret');
			expect(result.output[0].json.error).toMatch(/^Item 1: Could not reach Exotel: /);
		},
	);

	it('a mistyped or offline host names the host and what to check, without retrying', async () => {
		const result = await runExotel({
			credentials: { ...sim.credentials, baseUrl: 'http://api.exotel-typo.invalid' },
			parameters: { resource: 'list', operation: 'getMany', returnAll: true } as never,
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Item 1: Could not reach Exotel: the host api\.exotel-typo\.invalid was not found \((ENOTFOUND|EAI_AGAIN)\)$/);
		expect(result.error?.description).toMatch(/Check the credential's region \(Singapore is api\.exotel\.com, Mumbai api\.in\.exotel\.com\)/);
	}, 60_000);

	it('Request Options → Batching still spaces per-item requests: n8n waits Batch Interval between batches', async () => {
		const contacts = sim.seedContacts(4);
		const started = Date.now();
		const result = await runExotel({
			credentials: { ...sim.credentials },
			parameters: {
				resource: 'contact',
				operation: 'get',
				contactId: '={{ $json.sid }}',
				requestOptions: { batching: { batch: { batchSize: 2, batchInterval: 800 } } },
			} as never,
			items: contacts.map((contact) => ({ sid: contact.sid })),
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.sid)).toEqual(contacts.map((contact) => contact.sid));
		const arrivals = sim.requests.map((request) => request.receivedAt).sort((a, b) => a - b);
		// Items 3 and 4 are a second batch: n8n starts them only after the interval.
		expect(arrivals[2] - started).toBeGreaterThanOrEqual(800);
	}, 30_000);

	it('the node as n8n loads it shows Request Options under Settings', () => {
		const requestOptions = loadExotelNode().description.properties.find((property) => property.name === 'requestOptions');
		expect(requestOptions?.options?.map((option) => option.name).sort()).toEqual(['allowUnauthorizedCerts', 'batching', 'proxy', 'timeout']);
	});
});
