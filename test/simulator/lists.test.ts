import { simulatorTestKit, type Entry } from './apiClient';
import type { ExotelSimulator, ContactRecord, ListRecord } from './server';

let sim: ExotelSimulator;
const { call } = simulatorTestKit((started) => (sim = started));

describe('lists', () => {
	it('creates lists with 207, 1001 for missing name, 1008 for duplicates (also within the request)', async () => {
		sim.seedList('existing');
		const r = await call<Array<Entry<ListRecord>>>('POST', '/lists', {
			lists: [{ name: 'new', tag: 't' }, { tag: 'noname' }, { name: 'existing' }, { name: 'new' }, { name: 'New' }],
		});
		expect(r.status).toBe(207);
		expect(r.json.metadata).toEqual({ total: 5, success: 2, failed: 3 });
		const [ok, noName, dup, dupInRequest, caseDiffers] = r.json.response;
		expect(ok.data).toEqual(expect.objectContaining({ name: 'new', tag: 't', contact_count: 0 }));
		expect(noName.error_data?.code).toBe(1001);
		expect(dup.code).toBe(409);
		expect(dup.error_data).toEqual(expect.objectContaining({ code: 1008, message: 'Duplicate resource' }));
		expect(dup.error_data?.description).toContain('existing');
		expect(dupInRequest.error_data?.code).toBe(1008);
		expect(caseDiffers.status).toBe('success');
	});

	it('searches by name, sorts, caps at 100 and counts members', async () => {
		for (let i = 0; i < 105; i++) sim.seedList(`bulk-${String(i).padStart(3, '0')}`);
		const sales = sim.seedList('Sales Leads');
		sim.seedList('support');
		sim.seedContacts(3, { listSid: sales.sid });
		const r = await call<Array<Entry<ListRecord>>>('GET', '/lists?name=LEADS');
		expect(r.json.metadata).toEqual({ count: 1, offset: 0, limit: 20, total: 1 });
		expect(r.json.response[0].data).toEqual(expect.objectContaining({ name: 'Sales Leads', contact_count: 3 }));
		const capped = await call<Entry[]>('GET', '/lists?limit=500');
		expect(capped.json.metadata).toEqual({ count: 100, offset: 0, limit: 100, total: 107 });
		const desc = await call<Array<Entry<ListRecord>>>('GET', '/lists?sort_by=name:desc&limit=2');
		expect(desc.json.response.map((e) => e.data?.name)).toEqual(['support', 'bulk-104']);
	});

	it('gets, updates (409 on duplicate name) and deletes one list', async () => {
		const a = sim.seedList('A');
		sim.seedList('B');
		const dup = await call('PUT', `/lists/${a.sid}`, { name: 'B' });
		expect(dup.status).toBe(409);
		expect(dup.json.http_code).toBe(409);
		expect(dup.json.response.error_data?.code).toBe(1008);
		const ok = await call<Entry<ListRecord>>('PUT', `/lists/${a.sid}`, { name: 'A2', tag: 'x' });
		expect(ok.status).toBe(200);
		expect(ok.json.response.data).toEqual(expect.objectContaining({ name: 'A2', tag: 'x' }));
		const bulk = await call<Entry[]>('PUT', '/lists', { lists: [{ sid: a.sid, name: 'A3' }, { sid: 'nope', name: 'Z' }] });
		expect(bulk.status).toBe(207);
		expect(bulk.json.metadata).toEqual({ total: 2, success: 1, failed: 1 });
		const del = await call<Entry<ListRecord>>('DELETE', `/lists/${a.sid}`);
		expect(del.json.response.data?.name).toBe('A3');
		expect((await call('GET', `/lists/${a.sid}`)).status).toBe(404);
		// The freed name can be reused.
		const again = await call<Entry[]>('POST', '/lists', { lists: [{ name: 'A3' }] });
		expect(again.json.metadata?.success).toBe(1);
	});

	it('adds and removes members', async () => {
		const list = sim.seedList('members');
		const [c1, c2] = sim.seedContacts(2);
		const add = await call<Array<Entry<Record<string, unknown>>>>('POST', `/lists/${list.sid}/contacts`, {
			contact_references: [{ contact_sid: c1.sid }, { contact_sid: 'missing' }, { contact_sid: c2.sid }, { contact_sid: c1.sid }],
		});
		expect(add.status).toBe(207);
		expect(add.json.metadata).toEqual({ total: 4, success: 2, failed: 2 });
		expect(add.json.response[0].data).toEqual(
			expect.objectContaining({ sid: c1.sid, list_id: list.sid, account_sid: 'simaccount1', uri: c1.uri }),
		);
		expect([add.json.response[1].code, add.json.response[1].error_data?.code]).toEqual([404, 1000]);
		expect([add.json.response[3].code, add.json.response[3].error_data?.code]).toEqual([409, 1008]);
		expect(sim.listMembers(list.sid)).toEqual([c1.sid, c2.sid]);

		const page = await call<Array<Entry<ContactRecord>>>('GET', `/lists/${list.sid}/contacts?limit=50`);
		expect(page.json.metadata).toEqual({ count: 2, offset: 0, limit: 20, total: 2 });
		expect(page.json.response[1].data?.number).toBe(c2.number);

		const rm = await call<Entry<Record<string, unknown>>>('DELETE', `/lists/${list.sid}/contacts/${c1.sid}`);
		expect(rm.status).toBe(200);
		expect(rm.json.response.data).toEqual(expect.objectContaining({ sid: c1.sid, list_id: list.sid }));
		expect(sim.listMembers(list.sid)).toEqual([c2.sid]);
		expect(sim.state.contacts.has(c1.sid)).toBe(true);
		const again = await call('DELETE', `/lists/${list.sid}/contacts/${c1.sid}`);
		expect([again.status, again.json.response.error_data?.code]).toEqual([404, 1000]);
		const noList = await call('POST', '/lists/nolist/contacts', { contact_references: [{ contact_sid: c1.sid }] });
		expect(noList.status).toBe(404);
	});
});
