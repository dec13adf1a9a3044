import { simulatorTestKit, type Entry } from './apiClient';
import type { ExotelSimulator, ListRecord } from './server';

let sim: ExotelSimulator;
const { call, csvForm, upload, waitForUpload } = simulatorTestKit((started) => (sim = started));

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
		// Long enough that the status read straight after the upload still finds it in progress on a busy machine.
		sim.csvProcessingMs = 1000;
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
