import FormData from 'form-data';
import { ExotelSimulator, parseCsv, type ContactRecord, type ListRecord } from './server';
import { MultipartParser, boundaryFromContentType, type PartInfo } from './multipart';

interface ErrorData {
	code: number;
	message: string;
	description: string;
}
interface Entry<T = Record<string, unknown>> {
	code: number;
	status: 'success' | 'failure';
	error_data: ErrorData | null;
	data: T | null;
}
interface Envelope<R = unknown> {
	request_id: string;
	method: string;
	http_code: number;
	metadata?: Record<string, number>;
	response: R;
}
interface Answer<R> {
	status: number;
	headers: Headers;
	json: Envelope<R>;
}

let sim: ExotelSimulator;

beforeAll(async () => {
	sim = await ExotelSimulator.start({ csvProcessingMs: 50 });
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => {
	sim.reset();
	sim.latencyMs = 0;
	sim.csvProcessingMs = 50;
});

function basic(key: string, token: string): string {
	return 'Basic ' + Buffer.from(`${key}:${token}`).toString('base64');
}

function api(path: string, account = sim.credentials.accountSid): string {
	return `${sim.url}/v2/accounts/${account}${path}`;
}

async function call<R = Entry>(
	method: string,
	path: string,
	body?: unknown,
	opts: { auth?: string; account?: string; headers?: Record<string, string> } = {},
): Promise<Answer<R>> {
	const headers: Record<string, string> = {
		authorization: opts.auth ?? basic(sim.credentials.apiKey, sim.credentials.apiToken),
		...(body !== undefined ? { 'content-type': 'application/json' } : {}),
		...opts.headers,
	};
	const res = await fetch(api(path, opts.account), {
		method,
		headers,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, json: JSON.parse(text) as Envelope<R> };
}

function csvForm(listName: string | undefined, csv: string | Buffer | undefined, type?: string): FormData {
	const form = new FormData();
	if (listName !== undefined) form.append('list_name', listName);
	if (type !== undefined) form.append('type', type);
	if (csv !== undefined) form.append('file_name', Buffer.from(csv), { filename: 'contacts.csv', contentType: 'text/csv' });
	return form;
}

async function upload<R = Entry>(form: FormData): Promise<Answer<R>> {
	const res = await fetch(api('/contacts/csv-upload'), {
		method: 'POST',
		headers: { ...form.getHeaders(), authorization: basic(sim.credentials.apiKey, sim.credentials.apiToken) },
		body: form.getBuffer(),
	});
	return { status: res.status, headers: res.headers, json: JSON.parse(await res.text()) as Envelope<R> };
}

async function waitForUpload(url: string): Promise<Record<string, unknown>> {
	const relative = url.replace(/^\/v2\/accounts\/[^/]+/, '');
	for (let i = 0; i < 100; i++) {
		const r = await call('GET', relative);
		const data = r.json.response.data as Record<string, unknown>;
		if (data.status !== 'in-progress') return data;
		await new Promise((res) => setTimeout(res, 20));
	}
	throw new Error('upload never finished');
}

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

	it('handles 5000 contacts in one request and pages 10,000 cheaply', async () => {
		const contacts = Array.from({ length: 5000 }, (_, i) => ({ number: `+9191${String(i).padStart(8, '0')}` }));
		const t0 = Date.now();
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
		expect(Date.now() - t0).toBeLessThan(8000);
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

describe('CSV upload', () => {
	it('goes in-progress then completed with stats and contacts in the list', async () => {
		const csv =
			'\uFEFFnumber,first_name,last_name,email\r\n' +
			'+919800000001,"Doe, Jane",Smith,jane@example.com\r\n' +
			'+919800000002,"Multi\nLine","Quote ""Q""",\r\n' +
			'+919800000001,Dup,,\r\n' +
			'12345,Bad,,\r\n' +
			',Missing,,\r\n' +
			'04424002400,Land,,\r\n';
		const r = await upload<Entry<{ list: ListRecord; summary: Record<string, unknown> }>>(csvForm('csv list', csv));
		expect(r.status).toBe(200);
		const data = r.json.response.data;
		if (!data) throw new Error('upload answered without data');
		const { list, summary } = data;
		expect(list).toEqual(expect.objectContaining({ name: 'csv list', contact_count: 0 }));
		expect(summary).toEqual(
			expect.objectContaining({
				list_sid: list.sid,
				accountSid: 'simaccount1',
				status: 'in-progress',
				Stats: { duplicate: null, total: null, success: null, failed: null },
			}),
		);
		expect(summary.url).toBe(`/v2/accounts/simaccount1/csv-status/${String(summary.upload_id)}`);
		const immediate = await call<Entry<Record<string, unknown>>>('GET', `/csv-status/${String(summary.upload_id)}`);
		expect(immediate.json.response.data?.status).toBe('in-progress');
		expect(immediate.json.response.data?.stats).toEqual({ duplicate: null, total: null, success: null, failed: null });

		const done = await waitForUpload(String(summary.url));
		expect(done.status).toBe('completed');
		expect(done.stats).toEqual({ duplicate: 1, total: 6, success: 3, failed: 2 });
		const members = sim.listMembers(list.sid).map((sid) => sim.state.contacts.get(sid));
		expect(members.map((c) => c?.number)).toEqual(['+919800000001', '+919800000002', '04424002400']);
		expect(members[0]).toEqual(expect.objectContaining({ first_name: 'Doe, Jane', last_name: 'Smith', email: 'jane@example.com' }));
		expect(members[1]).toEqual(expect.objectContaining({ first_name: 'Multi\nLine', last_name: 'Quote "Q"', email: null }));
	});

	it('reuses an existing list and stores dynamic variables in custom_field', async () => {
		const list = sim.seedList('dyn');
		const r = await upload<Entry<{ list: ListRecord; summary: Record<string, unknown> }>>(
			csvForm('dyn', 'number,amount,due\n+919811111111,500,2024-01-01\n', 'dynamic'),
		);
		expect(r.json.response.data?.list.sid).toBe(list.sid);
		const done = await waitForUpload(String(r.json.response.data?.summary.url));
		expect(done.stats).toEqual({ duplicate: 0, total: 1, success: 1, failed: 0 });
		const c = sim.state.contacts.get(sim.listMembers(list.sid)[0]);
		expect(c?.custom_field).toEqual({ amount: '500', due: '2024-01-01' });
	});

	it('validates content type, fields and header', async () => {
		const json = await call('POST', '/contacts/csv-upload', { list_name: 'x', file_name: 'a.csv' });
		expect([json.status, json.json.response.error_data?.code, json.json.response.error_data?.message]).toEqual([
			415,
			1011,
			'Unsupported content type',
		]);
		const noBoundary = await call('POST', '/contacts/csv-upload', 'x', { headers: { 'content-type': 'multipart/form-data' } });
		expect(noBoundary.status).toBe(415);
		const noNumber = await upload(csvForm('x', 'first_name\nA\n'));
		expect([noNumber.status, noNumber.json.response.error_data?.code]).toEqual([400, 1002]);
		expect(noNumber.json.response.error_data?.description).toBe('number column is mandatory');
		const unknownCol = await upload(csvForm('x', 'number,amount\n+919811111111,5\n'));
		expect([unknownCol.status, unknownCol.json.response.error_data?.code]).toEqual([400, 1002]);
		const tooManyVars = await upload(csvForm('x', 'number,a,b,c,d,e,f\n', 'dynamic'));
		expect(tooManyVars.status).toBe(400);
		const noList = await upload(csvForm(undefined, 'number\n+919811111111\n'));
		expect([noList.status, noList.json.response.error_data?.code]).toEqual([400, 1001]);
		const noFile = await upload(csvForm('x', undefined));
		expect([noFile.status, noFile.json.response.error_data?.code]).toEqual([400, 1001]);
		const badType = await upload(csvForm('x', 'number\n', 'weird'));
		expect([badType.status, badType.json.response.error_data?.code]).toEqual([400, 1002]);
		expect(sim.state.lists.size).toBe(0);
		expect(sim.state.uploads.size).toBe(0);
	});

	it('rejects files over 60 MB with 413', async () => {
		const big = Buffer.alloc(60 * 1024 * 1024 + 1, 0x41);
		const r = await upload(csvForm('huge', big));
		expect([r.status, r.json.response.error_data?.code]).toEqual([413, 1002]);
	});

	it('failNextUpload makes only the next upload end with the given status, stats still filled', async () => {
		sim.failNextUpload('error');
		const first = await upload<Entry<{ summary: Record<string, unknown> }>>(csvForm('f', 'number\n+919822222222\n'));
		const second = await upload<Entry<{ summary: Record<string, unknown> }>>(csvForm('f', 'number\n+919822222223\n'));
		const a = await waitForUpload(String(first.json.response.data?.summary.url));
		const b = await waitForUpload(String(second.json.response.data?.summary.url));
		expect(a.status).toBe('error');
		expect(a.stats).toEqual({ duplicate: 0, total: 1, success: 1, failed: 0 });
		expect(b.status).toBe('completed');
		expect((await call('GET', '/csv-status/unknown')).status).toBe(404);
	});
});

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

describe('parsers', () => {
	it('multipart parser survives every chunk split, binary content, quoted boundary and parts without filename', () => {
		const boundary = 'b:o=u n"d'; // needs quoting in the header
		const binary = Buffer.from([0, 13, 10, 45, 45, 255, 13, 10, 13, 10, 0x62]);
		const body = Buffer.concat([
			Buffer.from(`preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\nhello\r\nworld\r\n`),
			Buffer.from(`--${boundary}  \r\nContent-Disposition: form-data; name="bin"; filename="a;b.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
			binary,
			Buffer.from(`\r\n--${boundary}--\r\nepilogue`),
		]);
		expect(boundaryFromContentType(`multipart/form-data; boundary="b:o=u n\\"d"`)).toBe(boundary);
		for (let split = 1; split < body.length; split += 1) {
			const parts: Array<{ info: PartInfo; data: Buffer[] }> = [];
			const p = new MultipartParser(boundary, {
				onPartBegin: (info) => parts.push({ info, data: [] }),
				onPartData: (c) => parts[parts.length - 1].data.push(Buffer.from(c)),
				onPartEnd: () => undefined,
			});
			p.write(body.subarray(0, split));
			p.write(body.subarray(split));
			p.end();
			expect(parts.map((x) => [x.info.name, x.info.filename, x.info.contentType])).toEqual([
				['text', undefined, undefined],
				['bin', 'a;b.bin', 'application/octet-stream'],
			]);
			expect(Buffer.concat(parts[0].data).toString()).toBe('hello\r\nworld');
			expect(Buffer.concat(parts[1].data).equals(binary)).toBe(true);
		}
		const truncated = new MultipartParser('x', { onPartBegin: () => undefined, onPartData: () => undefined, onPartEnd: () => undefined });
		truncated.write(Buffer.from('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nabc'));
		expect(() => truncated.end()).toThrow();
	});

	it('CSV parser follows RFC 4180', () => {
		const rows: string[][] = [];
		parseCsv('\uFEFFa,b,c\r\n"x, y","he said ""hi""",\n\n"multi\r\nline",2,3\rlast,,', (r) => {
			rows.push(r);
		});
		expect(rows).toEqual([
			['a', 'b', 'c'],
			['x, y', 'he said "hi"', ''],
			['multi\r\nline', '2', '3'],
			['last', '', ''],
		]);
		expect(() => parseCsv('"open', () => undefined)).toThrow();
	});
});
