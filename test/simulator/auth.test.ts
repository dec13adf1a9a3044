import { simulatorTestKit, type Entry, type Envelope } from './apiClient';
import type { ExotelSimulator } from './server';

let sim: ExotelSimulator;
const { api, basic, call, csvForm, upload } = simulatorTestKit((started) => (sim = started));

describe('auth and envelope', () => {
	it('rejects missing and wrong credentials with 401 / 1010', async () => {
		const res = await fetch(api('/contacts'));
		expect(res.status).toBe(401);
		const body = (await res.json()) as Envelope<Entry>;
		expect(body.http_code).toBe(401);
		expect(body.response.error_data).toEqual(expect.objectContaining({ code: 1010, message: 'Authentication failed' }));

		const wrong = await call('GET', '/contacts', undefined, { auth: basic(sim.credentials.apiKey, 'nope') });
		expect(wrong.status).toBe(401);
		expect(wrong.json.response.error_data?.code).toBe(1010);
	});

	it('rejects another account sid with 403 / 1003', async () => {
		const r = await call('GET', '/contacts', undefined, { account: 'someoneelse' });
		expect(r.status).toBe(403);
		expect(r.json.response.error_data).toEqual(expect.objectContaining({ code: 1003, message: 'Authorization failed' }));
	});

	it('answers 404 / 1000 for unknown paths and 405 for wrong methods', async () => {
		const r = await call('GET', '/nothing-here');
		expect(r.status).toBe(404);
		expect(r.json.response.error_data?.code).toBe(1000);
		const m = await call('DELETE', '/contacts');
		expect(m.status).toBe(405);
		expect(m.headers.get('allow')).toBe('GET, POST, PUT');
	});

	it('wraps single objects in the v2 envelope', async () => {
		const [c] = sim.seedContacts(1);
		const r = await call('GET', `/contacts/${c.sid}`);
		expect(r.status).toBe(200);
		expect(r.json.request_id).toMatch(/^[0-9a-f]{32}$/);
		expect(r.json.method).toBe('GET');
		expect(r.json.http_code).toBe(200);
		expect(r.json.metadata).toBeUndefined();
		expect(r.json.response).toEqual({ code: 200, status: 'success', error_data: null, data: c });
		expect(c.sid).toMatch(/^[0-9a-f]{32}$/);
		expect(c.uri).toBe(`/v2/accounts/simaccount1/contacts/${c.sid}`);
	});
});

describe('request log', () => {
	it('records method, path, query, headers, JSON body, bytes and status', async () => {
		await call('POST', '/contacts', { contacts: [{ number: '+919844444444' }] });
		await call('GET', '/contacts?offset=0&limit=5');
		const [post, get] = sim.requests;
		expect(post).toEqual(
			expect.objectContaining({
				method: 'POST',
				path: '/v2/accounts/simaccount1/contacts',
				body: { contacts: [{ number: '+919844444444' }] },
				status: 207,
			}),
		);
		expect(post.bodyBytes).toBe(JSON.stringify({ contacts: [{ number: '+919844444444' }] }).length);
		expect(post.headers.authorization).toBe(basic('sim-api-key', 'sim-api-token-s3cr3t'));
		expect(get).toEqual(expect.objectContaining({ method: 'GET', query: { offset: '0', limit: '5' }, body: undefined, status: 200 }));
	});

	it('records multipart fields and files', async () => {
		await upload(csvForm('logged', 'number\n+919855555555\n'));
		const body = sim.requests[0].body as { fields: Record<string, string>; files: Array<{ name: string; filename?: string; size: number; content?: Buffer }> };
		expect(body.fields).toEqual({ list_name: 'logged' });
		expect(body.files).toEqual([
			expect.objectContaining({ name: 'file_name', filename: 'contacts.csv', contentType: 'text/csv', size: 21 }),
		]);
		expect(body.files[0].content?.toString()).toBe('number\n+919855555555\n');
	});
});
