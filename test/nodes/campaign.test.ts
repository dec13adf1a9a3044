/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';

import { exotelLoadOptionsContext, runExotel } from '../helpers/harness';
import type { OnError, RunOptions } from '../helpers/harness';
import { rl, useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator, ListRecord } from '../simulator/server';
import { Exotel } from '../../nodes/Exotel/Exotel.node';
import { instantOf, rfc3339In } from '../../nodes/Exotel/helpers/dates';

const FAST_POLL = { pollInterval: 0.02, timeout: 30 };

describe('campaign', () => {
	let sim: ExotelSimulator;
	let root: string;
	useSimulator((started, accountRoot) => {
		sim = started;
		root = accountRoot;
	});

	const run = (parameters: IDataObject, items?: IDataObject[], onError?: OnError, extra: Partial<RunOptions> = {}) =>
		runExotel({
			credentials: { ...sim.credentials },
			parameters: { resource: 'campaign', ...parameters } as never,
			items,
			onError,
			...extra,
		});

	const campaignRequests = (method?: string) =>
		sim.requests.filter((r) => r.path.startsWith(`${root}/campaigns`) && (!method || r.method === method));

	/** A list of `n` contacts whose numbers end in 1, 2, … 9, 0, 1, … (outcomes: 7 busy then completed, 8 no-answer, 9 failed). */
	function listWith(n: number, name = 'Today'): ListRecord {
		const [probe] = sim.seedContacts(1);
		sim.seedContacts((10 - Number(probe.number.slice(-1))) % 10);
		const list = sim.seedList(name);
		sim.seedContacts(n, { listSid: list.sid });
		return list;
	}

	const create = (extra: IDataObject = {}) => ({
		operation: 'create',
		name: '={{ $json.name }}',
		callerId: '08047112345',
		listIds: '={{ $json.listIds }}',
		appId: '926',
		...extra,
	});

	async function createOne(list: ListRecord, additionalFields: IDataObject = {}): Promise<string> {
		const result = await run(create({ additionalFields }), [{ name: 'Renewals run', listIds: list.sid }]);
		expect(result.error).toBeUndefined();
		return String(result.output[0].json.id);
	}

	describe('create', () => {
		it('one POST per item, wrapped, with the flow URL, schedule in RFC 3339, retries, callbacks and throttle', async () => {
			const a = listWith(2, 'A');
			const b = sim.seedList('B');
			const result = await run(
				create({
					additionalFields: {
						sendAt: '2031-01-15T09:00:00+05:30',
						endAt: '2031-01-15T18:00:00+05:30',
						retries: 2,
						retryIntervalMinutes: 10,
						retryMechanism: 'exponential',
						retryOnStatus: ['busy', 'no-answer'],
						callStatusCallback: 'https://example.com/hook?token=abc',
						statusCallback: 'http://example.com/status',
						throttle: 30,
						callDuplicateNumbers: true,
						customField: 'batch-7',
					},
				}),
				[
					{ name: 'Morning renewals', listIds: `${a.sid}, ${b.uri}` },
					{ name: 'Second batch', listIds: a.sid },
				],
			);
			expect(result.error).toBeUndefined();
			expect(campaignRequests('POST')).toHaveLength(2);
			const body = campaignRequests('POST')[0].body as { campaigns: IDataObject[] };
			expect(body.campaigns).toHaveLength(1);
			const sent = body.campaigns[0];
			expect(sent).toMatchObject({
				name: 'Morning renewals',
				caller_id: '08047112345',
				lists: [a.sid, b.sid],
				url: `http://my.exotel.com/${sim.credentials.accountSid}/exoml/start_voice/926`,
				retries: { number_of_retries: 2, interval_mins: 10, mechanism: 'Exponential', on_status: ['busy', 'no-answer'] },
				call_status_callback: 'https://example.com/hook?token=abc',
				status_callback: 'http://example.com/status',
				mode: 'custom',
				throttle: 30,
				call_duplicate_numbers: true,
				custom_field: 'batch-7',
			});
			const schedule = sent.schedule as { send_at: string; end_at: string };
			expect(schedule.send_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
			expect(Date.parse(schedule.send_at)).toBe(Date.parse('2031-01-15T09:00:00+05:30'));
			expect(Date.parse(schedule.end_at)).toBe(Date.parse('2031-01-15T18:00:00+05:30'));

			expect(result.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(result.output[0].json).toMatchObject({ name: 'Morning renewals', status: 'Created', lists: [a.sid, b.sid] });
			expect(result.output[0].json.id).toEqual(expect.any(String));
			expect(result.output[0].json).not.toHaveProperty('response');
		});

		it('a full flow URL is sent as given; Wrap Body off sends the flat object', async () => {
			const list = listWith(1);
			const result = await run(create({ appId: 'https://flows.example.com/start/77', options: { wrapBody: false } }), [
				{ name: 'Flat one', listIds: list.sid },
			]);
			expect(result.error).toBeUndefined();
			expect(campaignRequests('POST')[0].body).toMatchObject({ name: 'Flat one', url: 'https://flows.example.com/start/77' });
		});

		it.each([
			[{ name: 'abc' }, {}, /^Item 2: Name "abc" is too short/],
			[{ listIds: 'a,b,c,d,e,f' }, {}, /^Item 2: List IDs has 6 lists: a static campaign takes at most 5/],
			[{ listIds: 'a,b', campaignType: 'dynamic' }, {}, /^Item 2: List IDs has 2 lists: a dynamic campaign takes at most 1/],
			[{ retries: 4, retryIntervalMinutes: 5 }, {}, /^Item 2: Retries must be a whole number from 0 to 3/],
			[{ retries: 2 }, {}, /^Item 2: Retry Interval \(Minutes\) is required when Retries is more than 0/],
			[{ sendAt: '2031-01-02T10:00:00Z', endAt: '2031-01-01T10:00:00Z' }, {}, /^Item 2: End At \(.*\) must be after Send At/],
			[{ statusCallback: 'ftp://example.com/x' }, {}, /^Item 2: Status Callback "ftp:\/\/example.com\/x" is not an http\(s\) URL/],
			[{ sendAt: 'next tuesday' }, {}, /^Item 2: Send At "next tuesday" is not a date and time/],
		])('checks %j before sending anything', async (item, _unused, message) => {
			const list = listWith(1);
			// Each field comes from the item, so the first item is valid and the second is not.
			const fromItem = (key: string) => `={{ $json.${key} ?? "" }}`;
			const additionalFields = Object.fromEntries(
				['campaignType', 'retries', 'retryIntervalMinutes', 'sendAt', 'endAt', 'statusCallback'].map((key) => [key, fromItem(key)]),
			);
			const result = await run(create({ additionalFields }), [
				{ name: 'Valid name', listIds: list.sid },
				{ name: 'Valid name', listIds: list.sid, ...item },
			]);
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(message);
			// The first item went out; the second was stopped before sending.
			expect(campaignRequests('POST')).toHaveLength(1);
		});

		it('with Continue (error output) a bad item is an error item with the field and its input', async () => {
			const list = listWith(1);
			const result = await run(
				create(),
				[
					{ name: 'No', listIds: list.sid },
					{ name: 'Good one', listIds: list.sid },
					{ name: 'Unknown list', listIds: 'nosuchlist' },
				],
				'continueErrorOutput',
			);
			expect(result.output.map((i) => i.json.name)).toEqual(['Good one']);
			expect(result.errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
			expect(result.errorOutput[0].json.details).toMatchObject({ field: 'Name', input: { name: 'No', listIds: list.sid } });
			expect(result.errorOutput[1].json.error).toMatch(/List nosuchlist does not exist/);
			expect(result.errorOutput[1].json.details).toMatchObject({ code: 1002, httpCode: 400 });
			expect(JSON.stringify(result.errorOutput)).not.toContain(sim.credentials.apiToken);
		});
	});

	describe('a campaign from start to finish', () => {
		it('create → wait for completion → call details: one item per call, in seconds', async () => {
			const list = listWith(10);
			const id = await createOne(list, { retries: 1, retryIntervalMinutes: 1, retryOnStatus: ['busy'] });

			const waited = await run({ operation: 'waitForCompletion', campaignId: rl(id), options: FAST_POLL });
			expect(waited.error).toBeUndefined();
			expect(waited.output).toHaveLength(1);
			expect(waited.output[0].json).toMatchObject({
				id,
				status: 'Completed',
				stats: { created: 10, completed: 8, no_answer: 1, failed: 1, pending: 0 },
			});

			const details = await run({ operation: 'getCallDetails', campaignId: rl(id), returnAll: true });
			expect(details.error).toBeUndefined();
			// 10 numbers and one retry of the busy one.
			expect(details.output).toHaveLength(11);
			expect(details.output[0].json).toMatchObject({ number: expect.any(String), status: expect.any(String), duration: expect.any(Number) });
			const members = new Set(sim.listMembers(list.sid).map((sid) => sim.state.contacts.get(sid)?.number));
			expect(new Set(details.output.map((i) => i.json.number))).toEqual(members);

			const busy = await run({ operation: 'getCallDetails', campaignId: rl(id), returnAll: true, filters: { status: ['busy', 'no-answer'] } });
			expect(busy.output.map((i) => i.json.status).sort()).toEqual(['busy', 'no-answer']);
			expect(sim.requests.at(-1)?.query.status).toBe('busy,no-answer');

			const limited = await run({ operation: 'getCallDetails', campaignId: rl(id), returnAll: false, limit: 3 });
			expect(limited.output).toHaveLength(3);
		});

		it('reads lower-case statuses and bare call-detail entries wrapped in {code,data} alike', async () => {
			sim.campaignClock.statusStyle = 'lower';
			sim.campaignClock.callDetailItems = 'wrapped';
			const id = await createOne(listWith(3));
			const waited = await run({ operation: 'waitForCompletion', campaignId: rl(id), options: FAST_POLL });
			expect(waited.output[0].json.status).toBe('completed');
			const details = await run({ operation: 'getCallDetails', campaignId: rl(id), returnAll: true });
			expect(details.output).toHaveLength(3);
			expect(details.output[0].json).toHaveProperty('call_sid');
		});

		it('an empty list ends Failed, which is final too', async () => {
			const list = sim.seedList('Empty');
			const id = await createOne(list);
			const waited = await run({ operation: 'waitForCompletion', campaignId: rl(id), options: FAST_POLL });
			expect(waited.output[0].json.status).toBe('Failed');
		});
	});

	describe('wait for completion', () => {
		const later = { sendAt: '2099-01-01T00:00:00Z' };

		it('fails at Max Wait with the last status and stats', async () => {
			const id = await createOne(listWith(2), later);
			const result = await run({ operation: 'waitForCompletion', campaignId: rl(id), options: { pollInterval: 0.05, timeout: 0.2 } });
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(new RegExp(`^Item 1: campaign ${id} is still Created after 0.2 seconds \\(created 2, .*pending 2`));
		});

		it('paused is not final', async () => {
			const id = await createOne(listWith(2), later);
			await run({ operation: 'pause', campaignId: rl(id) });
			const result = await run({ operation: 'waitForCompletion', campaignId: rl(id), options: { pollInterval: 0.05, timeout: 0.15 } });
			expect(result.error?.message).toMatch(/is still Paused/);
		});

		it('a cancel ends the wait at once and sends nothing more', async () => {
			const id = await createOne(listWith(2), later);
			const before = campaignRequests('GET').length;
			const result = await run(
				{ operation: 'waitForCompletion', campaignId: rl(id), options: { pollInterval: 600, timeout: 3600 } },
				undefined,
				undefined,
				{
					onStarted: (cancel) => {
						const check = setInterval(() => {
							if (campaignRequests('GET').length > before && campaignRequests('GET').every((r) => r.status !== 0)) {
								clearInterval(check);
								cancel();
							}
						}, 5);
					},
				},
			);
			// Finishing at all (within the test's timeout) shows the 600 s wait did not run out.
			expect(result.status).toBe('canceled');
			expect(campaignRequests('GET').length - before).toBe(1);
		});
	});

	describe('get, get many, update, delete', () => {
		it('get gives the campaign; by ID or by its URI', async () => {
			const id = await createOne(listWith(1), { sendAt: '2099-01-01T00:00:00Z' });
			const result = await run({ operation: 'get', campaignId: rl(`${root}/campaigns/${id}`) });
			expect(result.output[0].json).toMatchObject({ id, name: 'Renewals run', status: 'Created', stats: { created: 1 } });
			expect(sim.requests.at(-1)?.path).toBe(`${root}/campaigns/${id}`);
		});

		it('get of an unknown campaign is Exotel’s 404', async () => {
			const result = await run({ operation: 'get', campaignId: rl('nosuch') }, undefined, 'continueRegularOutput');
			expect(result.output[0].json.error).toMatch(/Not found \(1000\): Campaign nosuch not found/);
		});

		it('get many pages with filters; Return All and Limit', async () => {
			const list = listWith(1);
			const names = Array.from({ length: 105 }, (_, i) => ({ name: `Batch ${String(i).padStart(3, '0')}`, listIds: list.sid }));
			await run(create({ additionalFields: { sendAt: '2099-01-01T00:00:00Z' } }), names);
			const all = await run({ operation: 'getMany', returnAll: true, filters: { name: 'batch', sortBy: 'name:desc', status: ['created', 'in-progress'] } });
			expect(all.output).toHaveLength(105);
			expect(all.output[0].json.name).toBe('Batch 104');
			const gets = campaignRequests('GET');
			expect(gets.at(-1)?.query).toMatchObject({ name: 'batch', sort_by: 'name:desc', status: 'Created,InProgress' });
			expect(gets.slice(-2).map((r) => r.query.offset)).toEqual(['0', '100']);

			sim.campaignClock.listItems = 'bare';
			const some = await run({ operation: 'getMany', returnAll: false, limit: 7 });
			expect(some.output).toHaveLength(7);
			expect(some.output[0].json).toHaveProperty('id');
			const none = await run({ operation: 'getMany', returnAll: true, filters: { status: ['completed'] } });
			expect(none.output).toHaveLength(0);
		});

		it('update before start changes any field; after start only callbacks, and a refusal names the status', async () => {
			const list = listWith(3);
			const scheduled = await createOne(list, { sendAt: '2099-01-01T00:00:00Z' });
			const renamed = await run({ operation: 'update', campaignId: rl(scheduled), updateFields: { name: 'New name', retries: 1, retryIntervalMinutes: 5 } });
			expect(renamed.error).toBeUndefined();
			expect(renamed.output[0].json).toMatchObject({ name: 'New name', retries: { number_of_retries: 1, interval_mins: 5 } });
			expect(campaignRequests('PUT').at(-1)?.body).toEqual({
				campaigns: [{ name: 'New name', retries: { number_of_retries: 1, interval_mins: 5 } }],
			});

			sim.campaignClock.callMs = 1000;
			const running = await createOne(list);
			await new Promise((resolve) => setTimeout(resolve, 20));
			const refused = await run({ operation: 'update', campaignId: rl(running), updateFields: { name: 'Too late' } });
			expect(refused.error?.message).toBe(
				`Item 1: Exotel refused to update (name) campaign ${running}: it is InProgress, which allows pause, update (callbacks only)`,
			);
			expect(refused.error?.description).toMatch(/^Exotel said: .*after the start only/);
			const callbacks = await run({ operation: 'update', campaignId: rl(running), updateFields: { statusCallback: 'https://example.com/s' } });
			expect(callbacks.output[0].json.status_callback).toBe('https://example.com/s');

			const empty = await run({ operation: 'update', campaignId: rl(running), updateFields: {} });
			expect(empty.error?.message).toBe('Item 1: Update Fields is empty: nothing to change');
		});

		it('delete before start; after start it is refused with the status', async () => {
			const list = listWith(3);
			const scheduled = await createOne(list, { sendAt: '2099-01-01T00:00:00Z' });
			const deleted = await run({ operation: 'delete', campaignId: rl(scheduled) });
			expect(deleted.output[0].json).toEqual({ deleted: true, id: scheduled });
			expect(campaignRequests('DELETE')).toHaveLength(1);

			sim.campaignClock.callMs = 1000;
			const running = await createOne(list);
			await new Promise((resolve) => setTimeout(resolve, 20));
			const refused = await run({ operation: 'delete', campaignId: rl(running) });
			expect(refused.error?.message).toBe(`Item 1: Exotel refused to delete campaign ${running}: it is InProgress, which allows pause, update (callbacks only)`);
		});
	});

	describe('simplify', () => {
		const SIMPLIFIED = ['caller_id', 'campaign_type', 'date_created', 'date_started', 'date_updated', 'id', 'lists', 'name', 'stats', 'status'];

		it('Create, Get, Get Many and Update return the ten usual fields with Simplify on, the whole record with it off', async () => {
			const list = listWith(2);
			const later = { sendAt: '2099-01-01T00:00:00Z', statusCallback: 'https://example.com/exotel' };
			const created = await run(create({ simplify: true, additionalFields: later }), [{ name: 'Simple run', listIds: list.sid }]);
			expect(created.error).toBeUndefined();
			const id = String(created.output[0].json.id);
			expect(Object.keys(created.output[0].json).sort()).toEqual(SIMPLIFIED);
			expect(created.output[0].json).toMatchObject({ id, name: 'Simple run', status: 'Created', lists: [list.sid], stats: { created: 2 } });

			const full = await run({ operation: 'get', campaignId: rl(id) });
			expect(Object.keys(full.output[0].json).length).toBeGreaterThan(10);
			expect(full.output[0].json).toMatchObject({ status_callback: 'https://example.com/exotel', uri: `${root}/campaigns/${id}` });
			const simple = await run({ operation: 'get', campaignId: rl(id), simplify: true });
			expect(simple.output[0].json).toEqual(Object.fromEntries(SIMPLIFIED.map((key) => [key, full.output[0].json[key]])));

			await createOne(list, later);
			const many = await run({ operation: 'getMany', returnAll: true, simplify: true });
			expect(many.output).toHaveLength(2);
			for (const item of many.output) expect(Object.keys(item.json).sort()).toEqual(SIMPLIFIED);

			const renamed = await run({ operation: 'update', campaignId: rl(id), updateFields: { name: 'Simpler run' }, simplify: true });
			expect(renamed.error).toBeUndefined();
			expect(Object.keys(renamed.output[0].json).sort()).toEqual(SIMPLIFIED);
			expect(renamed.output[0].json).toMatchObject({ id, name: 'Simpler run' });
		});
	});

	describe('pause, resume, complete, archive', () => {
		it('follow Exotel’s transitions; a refused one names the current status and what it allows', async () => {
			const id = await createOne(listWith(2), { sendAt: '2099-01-01T00:00:00Z' });

			const resumeCreated = await run({ operation: 'resume', campaignId: rl(id) }, undefined, 'continueErrorOutput');
			expect(resumeCreated.errorOutput[0].json.error).toBe(
				`Item 1: Exotel refused to resume campaign ${id}: it is Created, which allows pause, delete, update (any field)`,
			);
			expect(resumeCreated.errorOutput[0].json.details).toMatchObject({ code: 1002, httpCode: 400 });

			const paused = await run({ operation: 'pause', campaignId: rl(id) });
			expect(paused.output[0].json.status).toBe('Paused');
			expect(campaignRequests('PUT').at(-1)?.body).toEqual({ campaigns: [{ action: 'pause' }] });

			const archivePaused = await run({ operation: 'archive', campaignId: rl(id) });
			expect(archivePaused.error?.message).toBe(`Item 1: Exotel refused to archive campaign ${id}: it is Paused, which allows resume, complete, update (callbacks only)`);

			const completed = await run({ operation: 'complete', campaignId: rl(id), options: { wrapBody: false } });
			expect(completed.output[0].json.status).toBe('Completed');
			expect(campaignRequests('PUT').at(-1)?.body).toEqual({ action: 'complete' });

			const archived = await run({ operation: 'archive', campaignId: rl(id) });
			expect(archived.output[0].json.status).toBe('Archived');

			const pauseArchived = await run({ operation: 'pause', campaignId: rl(id) });
			expect(pauseArchived.error?.message).toBe(`Item 1: Exotel refused to pause campaign ${id}: it is Archived, which allows nothing: it is a final status`);
		});

		it('resume goes on calling to the end', async () => {
			sim.campaignClock.callMs = 20;
			const id = await createOne(listWith(4));
			await run({ operation: 'pause', campaignId: rl(id) });
			const resumed = await run({ operation: 'resume', campaignId: rl(id) });
			expect(resumed.output[0].json.status).toBe('InProgress');
			const waited = await run({ operation: 'waitForCompletion', campaignId: rl(id), options: FAST_POLL });
			expect(waited.output[0].json).toMatchObject({ status: 'Completed', stats: { completed: 4 } });
		});
	});

	describe('call details before any call', () => {
		it('a 404 gives no items; an unknown campaign is still an error', async () => {
			const id = await createOne(listWith(2), { sendAt: '2099-01-01T00:00:00Z' });
			const result = await run({ operation: 'getCallDetails', campaignId: rl(id), returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.output).toHaveLength(0);

			const unknown = await run({ operation: 'getCallDetails', campaignId: rl('nosuch'), returnAll: true });
			expect(unknown.error?.message).toMatch(/Campaign nosuch not found/);
		});
	});

	describe('campaign picker', () => {
		it('searches by name, newest first, and pages', async () => {
			const list = listWith(1);
			const names = Array.from({ length: 25 }, (_, i) => ({ name: `Drive ${i}`, listIds: list.sid }));
			await run(create({ additionalFields: { sendAt: '2099-01-01T00:00:00Z' } }), [...names, { name: 'Other', listIds: list.sid }]);
			const node = new Exotel();
			const context = exotelLoadOptionsContext({ credentials: { ...sim.credentials }, parameters: { resource: 'campaign', operation: 'get' } });
			const first = await node.methods.listSearch.searchCampaigns.call(context as unknown as ILoadOptionsFunctions, 'drive');
			expect(first.results).toHaveLength(20);
			expect(first.results[0].name).toBe('Drive 24 (Created)');
			const second = await node.methods.listSearch.searchCampaigns.call(context as unknown as ILoadOptionsFunctions, 'drive', first.paginationToken);
			expect(second.results).toHaveLength(5);
			expect(second.paginationToken).toBeUndefined();
			const locators = node.description.properties.filter((p) => p.name === 'campaignId');
			expect(locators.length).toBeGreaterThan(0);
			for (const locator of locators) expect(locator.modes?.find((m) => m.name === 'list')?.typeOptions?.searchListMethod).toBe('searchCampaigns');
		});
	});

	describe('dates', () => {
		it('a date without offset is wall time in the workflow time zone, sent with its offset', () => {
			const instant = instantOf('2024-01-15T09:00:00', 'Asia/Kolkata');
			expect(instant).toBe(Date.parse('2024-01-15T09:00:00+05:30'));
			expect(rfc3339In(instant as number, 'Asia/Kolkata')).toBe('2024-01-15T09:00:00+05:30');
			expect(rfc3339In(Date.parse('2024-07-01T12:00:00Z'), 'America/New_York')).toBe('2024-07-01T08:00:00-04:00');
			expect(instantOf('2024-03-10T12:00:00', 'America/New_York')).toBe(Date.parse('2024-03-10T12:00:00-04:00'));
		});
	});
});
