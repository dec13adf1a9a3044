import { simulatorTestKit, type Entry } from './apiClient';
import type { ExotelSimulator, ContactRecord } from './server';

let sim: ExotelSimulator;
const { call } = simulatorTestKit((started) => (sim = started));

describe('contacts', () => {
	it('bulk-creates with 207 and per-item failures in request order', async () => {
		const r = await call<Entry[]>('POST', '/contacts', {
			contacts: [
				{ number: '+919876543210', first_name: 'Asha', custom_field: { plan: 'gold' } },
				{ first_name: 'NoNumber' },
				{ number: '98765' },
				{ number: '+919876543211', email: 'not-an-email' },
				{ number: '04424002400', email: 'a@b.co' },
			],
		});
		expect(r.status).toBe(207);
		expect(r.json.http_code).toBe(207);
		expect(r.json.metadata).toEqual({ total: 5, success: 2, failed: 3 });
		const [a, b, c, d, e] = r.json.response;
		expect(a.status).toBe('success');
		expect(a.data).toEqual(expect.objectContaining({ number: '+919876543210', first_name: 'Asha', last_name: null, custom_field: { plan: 'gold' } }));
		expect(b).toEqual({
			code: 400,
			status: 'failure',
			data: null,
			error_data: { code: 1001, message: 'Mandatory parameter missing', description: 'number is mandatory' },
		});
		expect(c.error_data?.code).toBe(1002);
		expect(c.error_data?.description).toContain('98765');
		expect(d.error_data?.code).toBe(1002);
		expect(e.status).toBe('success');
		expect(sim.state.contacts.size).toBe(2);
	});

	it('answers 207 even when every item succeeds', async () => {
		const r = await call<Entry[]>('POST', '/contacts', { contacts: [{ number: '+14155550100' }] });
		expect(r.status).toBe(207);
		expect(r.json.metadata).toEqual({ total: 1, success: 1, failed: 0 });
	});

	it('rejects >5000 items, bad bodies and non-JSON content types', async () => {
		const many = Array.from({ length: 5001 }, (_, i) => ({ number: `+9190${String(i).padStart(8, '0')}` }));
		const big = await call('POST', '/contacts', { contacts: many });
		expect(big.status).toBe(400);
		expect(big.json.response.error_data?.code).toBe(1002);
		const bad = await call('POST', '/contacts', '{not json');
		expect(bad.status).toBe(400);
		expect(bad.json.response.error_data?.code).toBe(1007);
		const noArray = await call('POST', '/contacts', { contact: [] });
		expect(noArray.json.response.error_data?.code).toBe(1007);
		const text = await call('POST', '/contacts', 'number=1', { headers: { 'content-type': 'text/plain' } });
		expect(text.status).toBe(415);
		expect(text.json.response.error_data?.code).toBe(1011);
		expect(sim.state.contacts.size).toBe(0);
	});

	// How fast it pages is the benchmark's business (npm run bench), not a test's.
	it('handles 5000 contacts in one request and pages 10,000', async () => {
		const contacts = Array.from({ length: 5000 }, (_, i) => ({ number: `+9191${String(i).padStart(8, '0')}` }));
		const r = await call<Entry[]>('POST', '/contacts', { contacts });
		expect(r.json.metadata).toEqual({ total: 5000, success: 5000, failed: 0 });
		sim.seedContacts(5000);
		const seen = new Set<string>();
		for (let offset = 0; offset < 10_000; offset += 20) {
			const page = await call<Array<Entry<ContactRecord>>>('GET', `/contacts?offset=${offset}&limit=20`);
			for (const e of page.json.response) seen.add(e.data?.sid ?? '');
			expect(page.json.metadata?.total).toBe(10_000);
		}
		expect(seen.size).toBe(10_000);
	});

	it('caps pages at 20 and reports metadata', async () => {
		sim.seedContacts(45);
		const r = await call<Entry[]>('GET', '/contacts?limit=100&offset=40');
		expect(r.json.metadata).toEqual({ count: 5, offset: 40, limit: 20, total: 45 });
		const d = await call<Entry[]>('GET', '/contacts');
		expect(d.json.metadata).toEqual({ count: 20, offset: 0, limit: 20, total: 45 });
		const past = await call<Entry[]>('GET', '/contacts?offset=100');
		expect(past.json.response).toEqual([]);
		for (const q of ['offset=-1', 'limit=abc', 'limit=0', 'sort_by=email:asc']) {
			const bad = await call('GET', `/contacts?${q}`);
			expect([q, bad.status, bad.json.response.error_data?.code]).toEqual([q, 400, 1002]);
		}
	});

	it('sorts by number and date_created', async () => {
		await call('POST', '/contacts', {
			contacts: [{ number: '+919000000003' }, { number: '+919000000001' }, { number: '+919000000002' }],
		});
		const numbers = async (q: string) =>
			(await call<Array<Entry<ContactRecord>>>('GET', `/contacts?${q}`)).json.response.map((e) => e.data?.number);
		expect(await numbers('sort_by=number:asc')).toEqual(['+919000000001', '+919000000002', '+919000000003']);
		expect(await numbers('sort_by=number:desc')).toEqual(['+919000000003', '+919000000002', '+919000000001']);
		expect(await numbers('')).toEqual(['+919000000003', '+919000000001', '+919000000002']);
		expect(await numbers('sort_by=date_created:desc')).toEqual(['+919000000002', '+919000000001', '+919000000003']);
	});

	it('filters by list_sids and shows lists with filter=show_list', async () => {
		const a = sim.seedList('A');
		const b = sim.seedList('B');
		const inA = sim.seedContacts(2, { listSid: a.sid });
		const inB = sim.seedContacts(1, { listSid: b.sid });
		sim.seedContacts(3);
		const r = await call<Array<Entry<ContactRecord>>>('GET', `/contacts?list_sids=${a.sid},${b.sid}`);
		expect(r.json.metadata?.total).toBe(3);
		expect(r.json.response.map((e) => e.data?.sid)).toEqual([...inA, ...inB].map((c) => c.sid));
		const s = await call<Array<Entry<ContactRecord & { lists: Array<{ sid: string; name: string }> }>>>(
			'GET',
			`/contacts?list_sids=${a.sid}&filter=show_list`,
		);
		expect(s.json.response[0].data?.lists).toEqual([{ sid: a.sid, name: 'A' }]);
		const plain = await call<Array<Entry<Record<string, unknown>>>>('GET', '/contacts');
		expect(plain.json.response[0].data).not.toHaveProperty('lists');
	});

	it('gets, updates and deletes one contact; 404 when absent', async () => {
		const list = sim.seedList('L');
		const [c] = sim.seedContacts(1, { listSid: list.sid });
		const up = await call<Entry<ContactRecord>>('PUT', `/contacts/${c.sid}`, { first_name: 'Ravi', custom_field: { x: 1 } });
		expect(up.status).toBe(200);
		expect(up.json.response.data).toEqual(expect.objectContaining({ first_name: 'Ravi', number: c.number, custom_field: { x: 1 } }));
		const badNum = await call('PUT', `/contacts/${c.sid}`, { number: '12' });
		expect(badNum.status).toBe(400);
		expect(badNum.json.response.error_data?.code).toBe(1002);
		const del = await call<Entry<ContactRecord>>('DELETE', `/contacts/${c.sid}`);
		expect(del.status).toBe(200);
		expect(del.json.response.data?.sid).toBe(c.sid);
		expect(sim.listMembers(list.sid)).toEqual([]);
		expect(sim.state.lists.get(list.sid)?.contact_count).toBe(0);
		const gone = await call('GET', `/contacts/${c.sid}`);
		expect(gone.status).toBe(404);
		expect(gone.json.response.error_data).toEqual(expect.objectContaining({ code: 1000, message: 'Not found' }));
	});

	it('bulk-updates with 207 and 404 entries for unknown sids', async () => {
		const [c] = sim.seedContacts(1);
		const r = await call<Entry[]>('PUT', '/contacts', {
			contacts: [
				{ sid: c.sid, tag: 'vip' },
				{ sid: 'f'.repeat(32), tag: 'x' },
			],
		});
		expect(r.status).toBe(207);
		expect(r.json.metadata).toEqual({ total: 2, success: 1, failed: 1 });
		expect(r.json.response[1]).toEqual(expect.objectContaining({ code: 404, status: 'failure' }));
		expect(r.json.response[1].error_data?.code).toBe(1000);
		expect(sim.state.contacts.get(c.sid)?.tag).toBe('vip');
	});
});
