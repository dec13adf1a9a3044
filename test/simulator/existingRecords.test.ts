/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
import { callApi, entries, simulatorTestKit } from './apiClient';
import type { ExotelSimulator } from './server';

let sim: ExotelSimulator;
simulatorTestKit((started) => (sim = started));

const duplicate = expect.objectContaining({ code: 1008, message: 'Duplicate resource' });

describe('contacts: an account holds a number once', () => {
	it('POST with a number the account has: that entry 409 / 1008 with the existing contact, others unaffected', async () => {
		const [existing] = sim.seedContacts(1);
		const r = await callApi(sim, 'POST', '/contacts', {
			contacts: [{ number: '+919800000001' }, { number: existing.number, first_name: 'Ignored' }, { number: '+919800000002' }],
		});
		expect(r.status).toBe(207);
		const [a, dup, b] = entries(r);
		expect([a.code, dup.code, b.code]).toEqual([200, 409, 200]);
		expect(dup).toEqual({ code: 409, status: 'failure', error_data: duplicate, data: existing });
		expect(r.json.metadata).toEqual({ total: 3, success: 2, failed: 1 });
		expect(sim.state.contacts.get(existing.sid)?.first_name).toBeNull();
		expect(sim.state.contacts.size).toBe(3);
	});

	it('the same number twice in one request: the second is 409 with the first one’s data', async () => {
		const r = await callApi(sim, 'POST', '/contacts', { contacts: [{ number: '+919800000003', first_name: 'First' }, { number: '+919800000003' }] });
		const [first, second] = entries(r);
		expect(first.code).toBe(200);
		expect(second).toEqual(expect.objectContaining({ code: 409, status: 'failure', error_data: duplicate }));
		expect(second.data).toEqual(first.data);
		expect(second.data?.sid).toEqual(expect.stringMatching(/^[0-9a-f]{32}$/));
	});

	it('a deleted contact frees its number; renaming onto a taken number is 409 with the other contact', async () => {
		const [a, b] = sim.seedContacts(2);
		expect((await callApi(sim, 'DELETE', `/contacts/${a.sid}`)).status).toBe(200);
		expect(entries(await callApi(sim, 'POST', '/contacts', { contacts: [{ number: a.number }] }))[0].code).toBe(200);
		const [c] = sim.seedContacts(1);
		const single = await callApi(sim, 'PUT', `/contacts/${c.sid}`, { number: b.number });
		expect(single.status).toBe(409);
		expect(single.json.response).toEqual({ code: 409, status: 'failure', error_data: duplicate, data: b });
		const bulk = await callApi(sim, 'PUT', '/contacts', { contacts: [{ sid: c.sid, number: b.number }, { sid: b.sid, number: b.number }] });
		expect(entries(bulk).map((e) => e.code)).toEqual([409, 200]); // keeping one's own number is fine
		expect(sim.state.contacts.get(c.sid)?.number).toBe(c.number);
	});

	it('seedContacts skips numbers already taken; a CSV row with a taken number puts that contact in the list', async () => {
		const [first] = sim.seedContacts(1);
		const next = (n: string, by: number) => '+9190' + String(Number(n.slice(5)) + by).padStart(8, '0');
		const taken = next(first.number, 1);
		const posted = entries(await callApi(sim, 'POST', '/contacts', { contacts: [{ number: taken }] }))[0].data;
		const [seeded] = sim.seedContacts(1);
		expect(seeded.number).toBe(next(first.number, 2));
		const form = new FormData();
		form.append('list_name', 'Imported');
		form.append('file_name', new Blob([`number\n${taken}\n+919811112222\n`], { type: 'text/csv' }), 'c.csv');
		const { apiKey, apiToken, accountSid } = sim.credentials;
		const res = await fetch(`${sim.url}/v2/accounts/${accountSid}/contacts/csv-upload`, {
			method: 'POST',
			headers: { authorization: 'Basic ' + Buffer.from(`${apiKey}:${apiToken}`).toString('base64') },
			body: form,
		});
		expect(res.status).toBe(200);
		const upload = Array.from(sim.state.uploads.values())[0];
		while (upload.status === 'in-progress') await new Promise((r) => setTimeout(r, 10));
		expect(upload.stats).toEqual({ duplicate: 0, total: 2, success: 2, failed: 0 });
		expect(sim.state.contacts.size).toBe(4);
		expect(sim.listMembers(upload.list_sid)).toEqual([posted?.sid, expect.any(String)]);
	});
});

describe('lists and membership', () => {
	it('POST /lists with a name that exists (or twice in the request): that entry 409 / 1008', async () => {
		sim.seedList('Taken');
		const r = await callApi(sim, 'POST', '/lists', { lists: [{ name: 'Taken' }, { name: 'New' }, { name: 'New' }] });
		expect(entries(r).map((e) => [e.code, e.status, e.error_data?.code ?? null])).toEqual([
			[409, 'failure', 1008],
			[200, 'success', null],
			[409, 'failure', 1008],
		]);
	});

	it('adding a contact already in the list: that entry 409 / 1008 with { contact_sid, list_sid }', async () => {
		const list = sim.seedList('Members');
		const [inList] = sim.seedContacts(1, { listSid: list.sid });
		const [other] = sim.seedContacts(1);
		const r = await callApi(sim, 'POST', `/lists/${list.sid}/contacts`, {
			contact_references: [{ contact_sid: inList.sid }, { contact_sid: other.sid }, { contact_sid: other.sid }],
		});
		const [dup, added, again] = entries(r);
		expect(dup).toEqual({ code: 409, status: 'failure', error_data: duplicate, data: { contact_sid: inList.sid, list_sid: list.sid } });
		expect(added.code).toBe(200);
		expect(again).toEqual(expect.objectContaining({ code: 409, data: { contact_sid: other.sid, list_sid: list.sid } }));
		expect(sim.listMembers(list.sid)).toEqual([inList.sid, other.sid]);
	});
});

describe('bulk updates', () => {
	it('PUT /contacts: 207 per item, 404 / 1000 for unknown sids, 400 / 1002 for invalid fields, valid ones applied', async () => {
		const [a, b] = sim.seedContacts(2);
		const r = await callApi(sim, 'PUT', '/contacts', {
			contacts: [
				{ sid: a.sid, first_name: 'Asha', email: 'asha@example.com' },
				{ sid: 'nope', first_name: 'X' },
				{ sid: b.sid, email: 'not-an-email' },
				{ sid: b.sid, number: '12' },
				{ sid: b.sid, first_name: 7 },
				{ first_name: 'no sid' },
			],
		});
		expect(r.status).toBe(207);
		expect(entries(r).map((e) => [e.code, e.error_data?.code ?? null])).toEqual([
			[200, null],
			[404, 1000],
			[400, 1002],
			[400, 1002],
			[400, 1002],
			[400, 1001],
		]);
		expect(entries(r)[0].data).toEqual(expect.objectContaining({ sid: a.sid, first_name: 'Asha', email: 'asha@example.com' }));
		expect(sim.state.contacts.get(b.sid)).toEqual(b); // untouched by its invalid entries
		expect(r.json.metadata).toEqual({ total: 6, success: 1, failed: 5 });
	});

	it('PUT /lists: 207 per item, 404 / 1000 unknown, 400 / 1002 invalid, 409 / 1008 on a taken name', async () => {
		const x = sim.seedList('X');
		const y = sim.seedList('Y');
		const r = await callApi(sim, 'PUT', '/lists', {
			lists: [{ sid: x.sid, name: 'X2', tag: 'retagged' }, { sid: 'nope', name: 'Z' }, { sid: y.sid, name: 5 }, { sid: y.sid, tag: {} }, { sid: y.sid, name: 'X2' }],
		});
		expect(entries(r).map((e) => [e.code, e.error_data?.code ?? null])).toEqual([
			[200, null],
			[404, 1000],
			[400, 1002],
			[400, 1002],
			[409, 1008],
		]);
		expect(sim.state.lists.get(x.sid)).toEqual(expect.objectContaining({ name: 'X2', tag: 'retagged' }));
		expect(sim.state.lists.get(y.sid)?.name).toBe('Y');
	});

	it('bulk PUTs take at most 5000 items', async () => {
		const many = Array.from({ length: 5001 }, () => ({ sid: 'x' }));
		for (const [path, key] of [
			['/contacts', 'contacts'],
			['/lists', 'lists'],
		]) {
			const r = await callApi(sim, 'PUT', path, { [key]: many });
			expect([r.status, (r.json.response as { error_data: { code: number } }).error_data.code]).toEqual([400, 1002]);
		}
	});
});
