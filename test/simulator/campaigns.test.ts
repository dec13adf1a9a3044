/* eslint-disable @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { pause, simulatorTestKit, type Entry } from './apiClient';
import { callOutcome, encodeCallback } from './campaigns';
import type { ExotelSimulator } from './server';

let sim: ExotelSimulator;
const { call } = simulatorTestKit((started) => (sim = started));

type Campaign = Record<string, unknown> & { id: string; status: string; stats: Record<string, number> };

/** A list with `n` seeded contacts (numbers end in 1, 2, … 9, 0, 1, …). */
function listWith(n: number, name = 'Campaign list') {
	// Seeded numbers count up across tests: skip ahead so this list's first number ends in 1.
	const [probe] = sim.seedContacts(1);
	sim.seedContacts((10 - Number(probe.number.slice(-1))) % 10);
	const list = sim.seedList(name);
	sim.seedContacts(n, { listSid: list.sid });
	return list;
}

async function createCampaign(fields: Record<string, unknown>, wrapped = true) {
	return await call<Array<Entry<Campaign>>>('POST', '/campaigns', wrapped ? { campaigns: [fields] } : fields);
}

async function getCampaign(id: string): Promise<Campaign> {
	const r = await call<Array<Entry<Campaign>>>('GET', `/campaigns/${id}`);
	return r.json.response[0].data as Campaign;
}

async function until(id: string, statuses: string[]): Promise<Campaign> {
	for (let i = 0; i < 400; i++) {
		const c = await getCampaign(id);
		if (statuses.includes(c.status)) return c;
		await pause(10);
	}
	throw new Error(`campaign ${id} never reached ${statuses.join('/')}`);
}

describe('campaigns (simulator)', () => {
	it('outcomes are decided by the last digit', () => {
		expect(['+919000000001', '+919000000007', '+919000000008', '+919000000009'].map((n) => callOutcome(n, 1))).toEqual([
			'completed',
			'busy',
			'no-answer',
			'failed',
		]);
		expect(callOutcome('+919000000007', 2)).toBe('completed');
	});

	it('creates (wrapped or flat), runs every list member with retries to Completed, and lists call details', async () => {
		const list = listWith(10);
		const r = await createCampaign({
			name: 'Morning run',
			caller_id: '08012345678',
			lists: [list.sid],
			retries: { number_of_retries: 1, interval_mins: 1, on_status: ['busy'] },
		});
		expect(r.status).toBe(200);
		const created = r.json.response[0].data as Campaign;
		expect(created).toMatchObject({ name: 'Morning run', lists: [list.sid], type: 'trans', campaign_type: 'static' });
		const done = await until(created.id, ['Completed']);
		// 10 numbers: 7 completes on its retry, 8 no-answer, 9 failed.
		expect(done.stats).toMatchObject({ created: 10, completed: 8, no_answer: 1, failed: 1, busy: 0, pending: 0 });
		const details = await call<Array<Record<string, unknown>>>('GET', `/campaigns/${created.id}/call-details?limit=5`);
		expect(details.json.metadata).toEqual({ count: 5, offset: 0, limit: 5, total: 11 });
		expect(details.json.response[0]).toHaveProperty('call_sid');
		const busy = await call<Array<Record<string, unknown>>>('GET', `/campaigns/${created.id}/call-details?status=busy`);
		expect(busy.json.response).toEqual([expect.objectContaining({ status: 'busy', attempt_number: 1 })]);

		const flat = await createCampaign({ name: 'Flat body', caller_id: '08012345678', from: ['+919812345671'] }, false);
		expect(flat.status).toBe(200);
	});

	it('refuses bad creates with 400 and a description', async () => {
		const list = listWith(1);
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[{ name: 'abc', caller_id: '0801', lists: [list.sid] }, /longer than 3/],
			[{ name: 'Named', lists: [list.sid] }, /caller_id/],
			[{ name: 'Named', caller_id: '0801', lists: ['nope'] }, /List nope does not exist/],
			[{ name: 'Named', caller_id: '0801', lists: [list.sid], retries: { number_of_retries: 4, interval_mins: 1 } }, /0 to 3/],
			[{ name: 'Named', caller_id: '0801', lists: [list.sid], retries: { number_of_retries: 2 } }, /interval_mins/],
			[{ name: 'Named', caller_id: '0801', lists: [list.sid], throttle: 10 }, /mode 'custom'/],
			[{ name: 'Named', caller_id: '0801', lists: [list.sid], schedule: { send_at: '2030-01-01 10:00:00' } }, /RFC 3339/],
			[
				{ name: 'Named', caller_id: '0801', lists: [list.sid], schedule: { send_at: '2030-01-02T10:00:00+05:30', end_at: '2030-01-01T10:00:00+05:30' } },
				/after send_at/,
			],
		];
		for (const [body, message] of cases) {
			const r = await createCampaign(body);
			expect(r.status).toBeGreaterThanOrEqual(400);
			expect((r.json.response as unknown as Entry).error_data?.description).toMatch(message);
		}
	});

	it('waits for send_at on the virtual clock; pause/resume/complete/archive follow the transition rules', async () => {
		const list = listWith(3);
		const sendAt = new Date(Date.now() + 3_600_000).toISOString();
		const { json } = await createCampaign({ name: 'Later on', caller_id: '0801', lists: [list.sid], schedule: { send_at: sendAt } });
		const id = (json.response[0].data as Campaign).id;
		await pause(30);
		expect((await getCampaign(id)).status).toBe('Created');

		const refused = await call('PUT', `/campaigns/${id}`, { campaigns: [{ action: 'resume' }] });
		expect(refused.status).toBe(400);
		expect(refused.json.response).toMatchObject({ error_data: { code: 1002, description: expect.stringMatching(/is Created; resume is allowed from Paused/) } });

		expect((await call('PUT', `/campaigns/${id}`, { action: 'pause' })).status).toBe(200);
		expect((await getCampaign(id)).status).toBe('Paused');
		sim.campaignClock.advance(3_600_000);
		expect((await getCampaign(id)).status).toBe('Paused');
		expect((await call('PUT', `/campaigns/${id}`, { campaigns: [{ action: 'resume' }] })).status).toBe(200);
		await until(id, ['InProgress', 'Completed']);
		const done = await until(id, ['Completed']);
		expect(done.stats.completed).toBe(3);
		expect((await call('DELETE', `/campaigns/${id}`)).status).toBe(400);
		expect((await call('PUT', `/campaigns/${id}`, { name: 'Renamed' })).status).toBe(400);
		expect((await call('PUT', `/campaigns/${id}`, { status_callback: 'https://example.com/cb' })).status).toBe(200);
		expect((await call('PUT', `/campaigns/${id}`, { action: 'archive' })).status).toBe(200);
		expect((await getCampaign(id)).status).toBe('Archived');
	});

	it('complete from Paused marks the rest failed; delete only before start; lower-case style', async () => {
		sim.campaignClock.callMs = 50;
		const list = listWith(20);
		const { json } = await createCampaign({ name: 'Stop early', caller_id: '0801', lists: [list.sid] });
		const id = (json.response[0].data as Campaign).id;
		await until(id, ['InProgress']);
		await call('PUT', `/campaigns/${id}`, { action: 'pause' });
		await call('PUT', `/campaigns/${id}`, { action: 'complete' });
		const c = await getCampaign(id);
		expect(c.status).toBe('Completed');
		expect(c.stats.pending).toBe(0);
		expect(c.stats.failed).toBeGreaterThan(10);

		const later = await createCampaign({ name: 'Deletable', caller_id: '0801', lists: [list.sid], schedule: { send_at: '2099-01-01T00:00:00Z' } });
		const laterId = (later.json.response[0].data as Campaign).id;
		expect((await call('DELETE', `/campaigns/${laterId}`)).status).toBe(200);
		expect((await call('GET', `/campaigns/${laterId}`)).status).toBe(404);

		sim.campaignClock.statusStyle = 'lower';
		expect((await getCampaign(id)).status).toBe('completed');
	});

	it('an empty list ends Failed; call details are 404 before any call', async () => {
		const list = sim.seedList('Empty');
		const { json } = await createCampaign({ name: 'Nobody', caller_id: '0801', lists: [list.sid], schedule: { send_at: '2099-01-01T00:00:00Z' } });
		const id = (json.response[0].data as Campaign).id;
		expect((await call('GET', `/campaigns/${id}/call-details`)).status).toBe(404);
		sim.campaignClock.advance(100 * 365 * 86_400_000);
		expect((await until(id, ['Failed'])).status).toBe('Failed');
	});

	it('pages, filters by name and status, sorts', async () => {
		const list = listWith(1);
		for (const name of ['Beta run', 'Alpha run', 'Gamma test']) {
			await createCampaign({ name, caller_id: '0801', lists: [list.sid], schedule: { send_at: '2099-01-01T00:00:00Z' } });
		}
		const byName = await call<Array<Entry<Campaign>>>('GET', '/campaigns?name=RUN&sort_by=name:asc');
		expect(byName.json.response.map((e) => e.data?.name)).toEqual(['Alpha run', 'Beta run']);
		const page = await call<Array<Entry<Campaign>>>('GET', '/campaigns?limit=2&offset=2');
		expect(page.json.metadata).toMatchObject({ count: 1, total: 3 });
		const created = await call<Array<Entry<Campaign>>>('GET', '/campaigns?status=created,InProgress');
		expect(created.json.metadata?.total).toBe(3);
		sim.campaignClock.listItems = 'bare';
		const bare = await call<Campaign[]>('GET', '/campaigns?status=Completed');
		expect(bare.json.response).toEqual([]);
	});

	describe('callbacks', () => {
		let receiver: http.Server;
		let received: Array<{ path: string; type: string; body: string }>;
		let base: string;
		beforeAll(async () => {
			receiver = http.createServer((req, res) => {
				let body = '';
				req.on('data', (chunk: Buffer) => (body += chunk.toString()));
				req.on('end', () => {
					received.push({ path: req.url ?? '', type: String(req.headers['content-type']), body });
					res.end('ok');
				});
			});
			await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
			base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
		});
		afterAll(async () => new Promise<void>((resolve) => receiver.close(() => resolve())));
		beforeEach(() => (received = []));

		const callbacks = () => ({
			call_status_callback: `${base}/call-status`,
			call_schedule_callback: `${base}/call-schedule`,
			status_callback: `${base}/status`,
		});

		it('POSTs the snake_case payloads as JSON by default', async () => {
			const list = listWith(2);
			const { json } = await createCampaign({ name: 'With hooks', caller_id: '0801', lists: [list.sid], ...callbacks() });
			const id = (json.response[0].data as Campaign).id;
			await until(id, ['Completed']);
			await sim.campaignClock.settled();
			expect(received.map((r) => r.path).sort()).toEqual(['/call-schedule', '/call-schedule', '/call-status', '/call-status', '/status']);
			const status = received.find((r) => r.path === '/status');
			expect(status?.type).toBe('application/json');
			expect(JSON.parse(status?.body ?? '')).toMatchObject({ campaign_sid: id, status: 'Completed', report_url: expect.any(String) });
			const schedule = JSON.parse(received.find((r) => r.path === '/call-schedule')?.body ?? '');
			expect(schedule).toMatchObject({ campaign_sid: id, to: expect.any(String), from: '0801', status: 'completed', call_sids: [expect.any(String)] });
			expect(sim.campaignClock.delivered.every((d) => d.status === 200)).toBe(true);
		});

		it('PascalCase and form encoding on request; multipart too', async () => {
			sim.campaignClock.callbacks = { casing: 'pascal', encoding: 'form' };
			const list = listWith(1);
			const { json } = await createCampaign({ name: 'Pascal hooks', caller_id: '0801', lists: [list.sid], ...callbacks() });
			const id = (json.response[0].data as Campaign).id;
			await until(id, ['Completed']);
			await sim.campaignClock.settled();
			const statuses = received.filter((r) => r.path === '/status').map((r) => new URLSearchParams(r.body).get('Status'));
			expect(statuses).toEqual(['InProgress', 'Completed']);
			expect(received[0].type).toBe('application/x-www-form-urlencoded');
			const schedule = new URLSearchParams(received.find((r) => r.path === '/call-schedule')?.body);
			expect(Object.fromEntries(schedule)).toMatchObject({ CampaignSid: id, FinalStatus: 'completed', AttemptCount: '1' });

			const multipart = encodeCallback({ a: '1', list: ['x', 'y'] }, 'multipart');
			expect(multipart.headers['Content-Type']).toMatch(/^multipart\/form-data; boundary=/);
			expect(multipart.body.match(/name="list"/g)).toHaveLength(2);
		});
	});
});
