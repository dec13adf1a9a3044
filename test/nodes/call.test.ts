/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
import type { IDataObject, ILoadOptionsFunctions, INode } from 'n8n-workflow';

import { exotelLoadOptionsContext, runExotel } from '../helpers/harness';
import type { OnError, RunOptions } from '../helpers/harness';
import { rl, useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator, LoggedRequest } from '../simulator/server';
import { Exotel } from '../../nodes/Exotel/Exotel.node';
import { flowUrl } from '../../nodes/Exotel/helpers/flowUrl';

/** The form body of a v1 request as Exotel reads it. */
function form(request: LoggedRequest | undefined): Record<string, string> {
	return Object.fromEntries(new URLSearchParams(String(request?.body ?? '')));
}

const FAST_WAIT = { pollInterval: 0.02, timeout: 30 };

describe('call', () => {
	let sim: ExotelSimulator;
	let v1: string;
	let exoPhone: string;
	useSimulator((started) => {
		sim = started;
		v1 = `/v1/Accounts/${sim.credentials.accountSid}`;
	});
	beforeEach(() => {
		exoPhone = sim.seedExoPhones(1)[0].phone_number;
	});

	const run = (parameters: IDataObject, items?: IDataObject[], onError?: OnError, extra: Partial<RunOptions> = {}) =>
		runExotel({
			credentials: { ...sim.credentials },
			parameters: { resource: 'call', ...parameters } as never,
			items,
			onError,
			...extra,
		});

	const connects = () => sim.requests.filter((r) => r.method === 'POST' && r.path === `${v1}/Calls/connect.json`);
	const lists = () => sim.requests.filter((r) => r.method === 'GET' && r.path === `${v1}/Calls.json`);

	const connect = (extra: IDataObject = {}) => ({
		operation: 'connect',
		from: '={{ $json.agent }}',
		to: '={{ $json.phone }}',
		callerId: rl(exoPhone, 'list'),
		...extra,
	});

	/** Places calls from the agent to each number and gives their SIDs (the simulator's outcome comes from To's last digit). */
	async function placed(numbers: string[]): Promise<string[]> {
		const result = await run(connect(), numbers.map((phone) => ({ agent: '+919845099001', phone })));
		expect(result.error).toBeUndefined();
		return result.output.map((item) => String(item.json.Sid));
	}

	describe('connect', () => {
		it('one POST per item with Exotel field names, numbers normalised, the callback events indexed; simplified output', async () => {
			const result = await run(
				connect({
					additionalFields: {
						record: true,
						recordingChannels: 'dual',
						recordingFormat: 'mp3-hq',
						timeLimit: 600,
						timeOut: 25,
						waitUrl: 'https://example.com/hold.wav',
						customField: '={{ $json.crmId }}',
						statusCallback: 'https://example.com/hook?key=abc',
						statusCallbackEvents: ['terminal', 'answered'],
						statusCallbackContentType: 'application/json',
					},
					options: { defaultCountryCode: '91' },
				}),
				[
					{ agent: '98450 99001', phone: '098450-11001', crmId: 'LEAD-1' },
					{ agent: '+919845099001', phone: '9845011002', crmId: 'LEAD-2' },
				],
			);
			expect(result.error).toBeUndefined();
			expect(connects()).toHaveLength(2);
			expect(form(connects()[0])).toEqual({
				From: '+919845099001',
				To: '+919845011001',
				CallerId: exoPhone,
				Record: 'true',
				RecordingChannels: 'dual',
				RecordingFormat: 'mp3-hq',
				TimeLimit: '600',
				TimeOut: '25',
				WaitUrl: 'https://example.com/hold.wav',
				CustomField: 'LEAD-1',
				StatusCallback: 'https://example.com/hook?key=abc',
				'StatusCallbackEvents[0]': 'terminal',
				'StatusCallbackEvents[1]': 'answered',
				StatusCallbackContentType: 'application/json',
			});
			expect(form(connects()[1]).To).toBe('+919845011002');
			expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			const first = result.output[0].json;
			expect(first.Sid).toEqual(expect.any(String));
			expect(first.Status).toMatch(/^(in-progress|queued)$/);
			expect(Object.keys(first).every((key) => ['Sid', 'Status', 'From', 'To', 'Direction', 'StartTime', 'EndTime', 'Duration', 'Price', 'RecordingUrl', 'PreSignedRecordingUrl', 'CustomField'].includes(key))).toBe(true);
			expect(first).not.toHaveProperty('AccountSid');
		});

		it('Simplify off gives every field Exotel sends; a plain-string caller ID (older workflows) works', async () => {
			const result = await run(connect({ callerId: exoPhone, options: { simplify: false } }), [{ agent: '09845099001', phone: '09845011001' }]);
			expect(result.error).toBeUndefined();
			expect(form(connects()[0])).toMatchObject({ From: '09845099001', To: '09845011001', CallerId: exoPhone });
			expect(result.output[0].json).toMatchObject({ AccountSid: sim.credentials.accountSid, Direction: 'outbound-api' });
			expect(result.output[0].json).toHaveProperty('Uri');
		});

		it('checks every item before the first call: a bad number in item 2 places no call at all', async () => {
			const result = await run(connect(), [
				{ agent: '+919845099001', phone: '+919845011001' },
				{ agent: '+919845099001', phone: '12345' },
			]);
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/^Item 2: To \(Customer\) "12345" is not a phone number/);
			expect(connects()).toHaveLength(0);
		});

		it('with the error output, the bad item goes there and the others are called, in order', async () => {
			const result = await run(
				connect(),
				[
					{ agent: '+919845099001', phone: '+919845011001' },
					{ agent: '+919845099001', phone: 'call me' },
					{ agent: '+919845099001', phone: '+919845011003' },
				],
				'continueErrorOutput',
			);
			expect(connects()).toHaveLength(2);
			expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
			expect(result.errorOutput).toHaveLength(1);
			expect(result.errorOutput[0].pairedItem).toEqual({ item: 1 });
			expect(result.errorOutput[0].json).toMatchObject({ phone: 'call me', details: { field: 'To (Customer)' } });
		});

		it.each([
			[{ additionalFields: { timeLimit: 20000 } }, /^Item 1: Time Limit \(Seconds\) must be a whole number from 1 to 14400/],
			[{ additionalFields: { customField: 'x'.repeat(129) } }, /^Item 1: Custom Field has 129 characters; Exotel keeps at most 128/],
			[{ additionalFields: { statusCallback: 'example.com/hook' } }, /^Item 1: Status Callback URL "example.com\/hook" is not an http\(s\) URL/],
			[{ additionalFields: { statusCallbackEvents: ['terminal'] } }, /^Item 1: Status Callback URL is empty/],
			[{ additionalFields: { waitUrl: 'hold.wav' } }, /^Item 1: Wait Audio URL/],
			[{ callerId: rl('={{ "" }}') }, /^Item 1: Caller ID is empty/],
			[{ from: '={{ "" }}' }, /^Item 1: From \(Agent\) is empty/],
			[{ options: { defaultCountryCode: '0' } }, /^Item 1: Default Country Code "0"/],
		])('refuses %j before any request', async (extra, message) => {
			const result = await run(connect(extra), [{ agent: '9845099001', phone: '9845011001' }]);
			expect(result.error?.message).toMatch(message);
			expect(sim.requests.filter((r) => r.path.startsWith(v1))).toHaveLength(0);
		});

		// Assumes what Exotel documents: a 4xx places no call. The node only says "may have been placed" for
		// answers that leave it open.
		it("Exotel's refusal (a caller ID that is not the account's ExoPhone) is its own message, not 'may have been placed'", async () => {
			const result = await run(connect({ callerId: '08000000000' }), [{ agent: '+919845099001', phone: '+919845011001' }], 'continueRegularOutput');
			expect(connects()).toHaveLength(1);
			const error = String(result.output[0].json.error);
			expect(error).toMatch(/^Exotel: /);
			expect(error).not.toMatch(/may have been placed/);
			expect(result.output[0].json.details).toMatchObject({ httpCode: 400 });
		});

		it('a call whose answer was a 502 after Exotel placed it is never sent again, and the error says how to check', async () => {
			sim.injectFault({ kind: 'status', status: 502, apply: true, match: { method: 'POST', path: '/Calls/connect.json' } });
			const result = await run(connect(), [{ agent: '+919845099001', phone: '+919845011001' }], 'continueRegularOutput');
			expect(connects()).toHaveLength(1);
			const { error, details } = result.output[0].json as { error: string; details: IDataObject };
			expect(error).toMatch(/^Item 1: the call from \+919845099001 to \+919845011001 may have been placed/);
			expect(String(details.description)).toMatch(/not sent again.*Call → Get Many with From \+919845099001 or To \+919845011001 and Date From \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);

			// The check the message suggests finds the call the lost answer placed.
			const check = await run({ operation: 'getMany', returnAll: true, filters: { to: '+919845011001' } });
			expect(check.output).toHaveLength(1);
		});

		it('an accepted call whose answer holds no call record is reported as maybe placed too', async () => {
			sim.injectFault({ kind: 'status', status: 200, body: 'envelope', apply: true, match: { method: 'POST', path: '/Calls/connect.json' } });
			const result = await run(connect(), [{ agent: '+919845099001', phone: '+919845011001' }], 'continueRegularOutput');
			expect(connects()).toHaveLength(1);
			expect(result.output[0].json.error).toMatch(/^Item 1: the call from \+919845099001 to \+919845011001 may have been placed.*holds no call/);
		});

		it('a call whose answer never came (timeout) is not sent again either', async () => {
			sim.injectFault({ kind: 'hang', apply: true, match: { method: 'POST', path: '/Calls/connect.json' } });
			const result = await run(
				connect({ requestOptions: { timeout: 300 } }),
				[
					{ agent: '+919845099001', phone: '+919845011001' },
					{ agent: '+919845099001', phone: '+919845011002' },
				],
				'continueRegularOutput',
			);
			expect(connects()).toHaveLength(2);
			expect(result.output[0].json.error).toMatch(/^Item 1: the call from .* may have been placed, but Exotel's answer was lost \(Exotel did not answer in time/);
			expect(result.output[1].json.Sid).toEqual(expect.any(String));
		});
	});

	describe('connect to flow', () => {
		it('builds the flow URL from the App ID; a full flow URL goes as given; no To', async () => {
			const result = await run(
				{ operation: 'connectToFlow', from: '={{ $json.phone }}', callerId: rl(exoPhone), appId: '={{ $json.app }}', additionalFields: { customField: 'reminder', timeLimit: 120 } },
				[
					{ phone: '+919845011001', app: '926' },
					{ phone: '+919845011002', app: `https://my.exotel.com/${sim.credentials.accountSid}/exoml/start_voice/927` },
				],
			);
			expect(result.error).toBeUndefined();
			expect(form(connects()[0])).toEqual({
				From: '+919845011001',
				CallerId: exoPhone,
				Url: `http://my.exotel.com/${sim.credentials.accountSid}/exoml/start_voice/926`,
				CustomField: 'reminder',
				TimeLimit: '120',
			});
			expect(form(connects()[1]).Url).toBe(`https://my.exotel.com/${sim.credentials.accountSid}/exoml/start_voice/927`);
			expect(result.output).toHaveLength(2);
			expect(result.output[0].json.To).toBeNull();
		});

		it('refuses a URL that is not a flow before any request', async () => {
			const result = await run({ operation: 'connectToFlow', from: '+919845011001', callerId: rl(exoPhone), appId: 'https://example.com/ivr' });
			expect(result.error?.message).toMatch(/^Item 1: App ID "https:\/\/example.com\/ivr" is not a flow URL/);
			expect(connects()).toHaveLength(0);
		});

		it("the flow host follows the credential's region", () => {
			const node = { name: 'Exotel' } as INode;
			expect(flowUrl(node, 0, '926', 'acme1', { region: 'mumbai' })).toBe('http://my.in.exotel.com/acme1/exoml/start_voice/926');
			expect(flowUrl(node, 0, '926', 'acme1', { region: 'singapore' })).toBe('http://my.exotel.com/acme1/exoml/start_voice/926');
		});
	});

	describe('get', () => {
		it('by SID or by Uri; the legs and a pre-signed recording link on request', async () => {
			const [sid] = await placed(['+919845011001']);
			sim.callClock.advance(60_000);
			const bySid = await run({ operation: 'get', callSid: sid, options: { details: true, recordingUrlValidity: 10, simplify: false } });
			expect(bySid.error).toBeUndefined();
			expect(sim.requests.at(-1)?.query).toEqual({ details: 'true', RecordingUrlValidity: '10' });
			expect(bySid.output[0].json).toMatchObject({ Sid: sid, Status: 'completed', Details: { Leg1Status: 'completed', Leg2Status: 'completed' } });
			const byUri = await run({ operation: 'get', callSid: String(bySid.output[0].json.Uri) });
			expect(byUri.output[0].json).toMatchObject({ Sid: sid, Status: 'completed' });
			expect(byUri.output[0].json).not.toHaveProperty('Details');
		});

		it('Recording Link Validity outside 5–60 fails before the request; an unknown SID is an error item', async () => {
			const bad = await run({ operation: 'get', callSid: 'abc', options: { recordingUrlValidity: 61 } });
			expect(bad.error?.message).toMatch(/^Item 1: Recording Link Validity \(Minutes\) must be a whole number from 5 to 60/);
			expect(sim.requests).toHaveLength(0);
			const unknown = await run({ operation: 'get', callSid: 'nosuchcall' }, undefined, 'continueRegularOutput');
			expect(unknown.output[0].json.details).toMatchObject({ httpCode: 404 });
		});
	});

	describe('get many', () => {
		it('Return All follows the cursor at 100 a page', async () => {
			sim.seedCalls(250, { days: 20 });
			const result = await run({ operation: 'getMany', returnAll: true });
			expect(result.output).toHaveLength(250);
			expect(new Set(result.output.map((item) => item.json.Sid)).size).toBe(250);
			expect(lists()).toHaveLength(3);
			expect(lists().map((r) => r.query.PageSize)).toEqual(['100', '100', '100']);
			expect(lists()[1].query.After).toEqual(expect.any(String));
			expect(lists().slice(1).every((r) => r.query.SortBy === 'DateCreated:desc')).toBe(true);
		});

		it('Limit stops paging once it has enough', async () => {
			sim.seedCalls(250, { days: 20 });
			const result = await run({ operation: 'getMany', returnAll: false, limit: 120 });
			expect(result.output).toHaveLength(120);
			expect(lists().map((r) => r.query.PageSize)).toEqual(['100', '20']);
		});

		it('a range over a month is read in windows of at most 30 days, newest first, without gaps or repeats', async () => {
			sim.seedCalls(180, { days: 90 });
			const to = new Date().toISOString();
			const from = new Date(Date.now() - 89 * 24 * 3600_000).toISOString();
			const result = await run({ operation: 'getMany', returnAll: true, filters: { dateFrom: from, dateTo: to } });
			expect(result.error).toBeUndefined();
			const windows = lists().map((r) => /^gte:(.+);lte:(.+)$/.exec(r.query.DateCreated)?.slice(1) ?? []);
			expect(windows).toHaveLength(3);
			for (const [gte, lte] of windows) {
				const span = Date.parse(`${lte.replace(' ', 'T')}Z`) - Date.parse(`${gte.replace(' ', 'T')}Z`);
				expect(span).toBeLessThan(31 * 24 * 3600_000);
			}
			// Newest window first, each starting a second after the next one ends.
			expect(windows[0][0] > windows[1][0] && windows[1][0] > windows[2][0]).toBe(true);
			const created = result.output.map((item) => String(item.json.StartTime ?? ''));
			expect(new Set(result.output.map((item) => item.json.Sid)).size).toBe(result.output.length);
			expect(result.output.length).toBeGreaterThanOrEqual(170);
			expect([...created].sort().reverse()).toEqual(created);
		});

		it('oldest first reads the oldest window first, and the Limit ends the reading early', async () => {
			sim.seedCalls(180, { days: 90 });
			const from = new Date(Date.now() - 89 * 24 * 3600_000).toISOString();
			const result = await run({ operation: 'getMany', returnAll: false, limit: 10, filters: { dateFrom: from, sortBy: 'DateCreated:asc' } });
			expect(result.output).toHaveLength(10);
			expect(lists()).toHaveLength(1);
			expect(lists()[0].query).toMatchObject({ SortBy: 'DateCreated:asc', PageSize: '10' });
		});

		it('maps the filters to Exotel names', async () => {
			await placed(['+919845011001', '+919845011007']);
			sim.callClock.advance(60_000);
			const result = await run({
				operation: 'getMany',
				returnAll: true,
				filters: { status: ['busy'], direction: ['outbound-api'], from: '+919845099001', phoneNumber: exoPhone, minDuration: 1, maxDuration: 600 },
			});
			expect(result.error).toBeUndefined();
			expect(lists()[0].query).toMatchObject({
				Status: 'busy',
				Direction: 'outbound-api',
				From: '+919845099001',
				PhoneNumber: exoPhone,
				Duration: 'gte:1s;lte:600s',
			});
			expect(result.output.map((item) => item.json.Status)).toEqual(['busy']);
		});

		it.each([
			[{ to: '1,2,3,4,5,6' }, /^Item 1: To has 6 numbers; Exotel takes at most 5/],
			[{ dateFrom: '2024-02-01T00:00:00Z', dateTo: '2024-01-01T00:00:00Z' }, /^Item 1: Date From .* is after Date To/],
			[{ minDuration: 60, maxDuration: 10 }, /^Item 1: Min Duration \(Seconds\) \(60\) is more than Max Duration \(10\)/],
			[{ dateFrom: 'yesterday' }, /^Item 1: Date From "yesterday" is not a date and time/],
		])('refuses filters %j before any request', async (filters, message) => {
			const result = await run({ operation: 'getMany', returnAll: true, filters });
			expect(result.error?.message).toMatch(message);
			expect(sim.requests).toHaveLength(0);
		});
	});

	describe('wait for completion', () => {
		it('waits for all items together, one list request a round for up to 20 calls, each item with its own outcome', async () => {
			const numbers = Array.from({ length: 25 }, (_, k) => `+9198450110${String(k).padStart(2, '0')}`);
			const sids = await placed(numbers);
			const result = await run(
				{ operation: 'waitForCompletion', callSid: '={{ $json.sid }}', options: FAST_WAIT },
				sids.map((sid) => ({ sid })),
			);
			expect(result.error).toBeUndefined();
			expect(result.output.map((item) => item.pairedItem)).toEqual(sids.map((_, item) => ({ item })));
			result.output.forEach((item, k) => {
				expect(item.json.Sid).toBe(sids[k]);
				// The simulator's outcome by To's last digit: 7 busy, 8 no-answer, 9 failed, else completed.
				const expected = { 7: 'busy', 8: 'no-answer', 9: 'failed' }[Number(numbers[k].slice(-1))] ?? 'completed';
				expect(item.json.Status).toBe(expected);
				expect(item.json.Duration).not.toBeNull();
				expect(item.json.Price).not.toBeNull();
			});
			// Never one request per call: every check is a list request naming up to 20 calls.
			expect(sim.requests.filter((r) => r.path.startsWith(`${v1}/Calls/`) && r.method === 'GET')).toHaveLength(0);
			const rounds = lists();
			expect(rounds.length).toBeGreaterThanOrEqual(2);
			for (const request of rounds) expect(request.query.Sid.split(',').length).toBeLessThanOrEqual(20);
			expect(rounds[0].query.Sid.split(',')).toHaveLength(20);
			expect(rounds[1].query.Sid.split(',')).toHaveLength(5);
			// Rounds come in pairs (20 + 5) until the calls are done: at most 2 requests a round.
			const sidsAsked = rounds.flatMap((r) => r.query.Sid.split(','));
			expect(new Set(sidsAsked)).toEqual(new Set(sids));
		});

		it("each item fails alone at its Max Wait; the message says the call ended but Exotel's figures are not in", async () => {
			sim.callClock.settleMs = 1e9;
			const [sid] = await placed(['+919845011001']);
			sim.callClock.advance(60_000);
			const result = await run(
				{ operation: 'waitForCompletion', callSid: '={{ $json.sid }}', options: { pollInterval: 0.02, timeout: 0.2 } },
				[{ sid }, { sid: 'bad/sid' }],
				'continueRegularOutput',
			);
			expect(result.output[0].json.error).toMatch(new RegExp(`^Item 1: call ${sid} ended \\(completed\\) but its duration and price are not in yet after 0.2 seconds`));
			expect(result.output[1].json.error).toMatch(/^Item 2: Call SID "bad\/sid" is not a call SID or URI/);
		});

		it('an unknown call fails its item with the 404, the others go on', async () => {
			const [sid] = await placed(['+919845011002']);
			const result = await run(
				{ operation: 'waitForCompletion', callSid: '={{ $json.sid }}', options: FAST_WAIT },
				[{ sid: 'nosuchcall' }, { sid }],
				'continueRegularOutput',
			);
			expect(result.output[0].json.details).toMatchObject({ httpCode: 404 });
			expect(result.output[1].json).toMatchObject({ Sid: sid, Status: 'completed' });
		});

		it('Stop ends the wait at once and sends nothing more', async () => {
			sim.callClock.settleMs = 1e9;
			const sids = await placed(['+919845011001', '+919845011002']);
			const before = lists().length;
			const result = await run(
				{ operation: 'waitForCompletion', callSid: '={{ $json.sid }}', options: { pollInterval: 600, timeout: 3600 } },
				sids.map((sid) => ({ sid })),
				undefined,
				{
					onStarted: (cancel) => {
						const check = setInterval(() => {
							if (lists().length > before && lists().every((r) => r.status !== 0)) {
								clearInterval(check);
								cancel();
							}
						}, 5);
					},
				},
			);
			// Finishing at all (within the test's timeout) shows the 600 s wait did not run out.
			expect(result.status).toBe('canceled');
			expect(lists().length - before).toBe(1);
		});
	});

	describe('ExoPhone picker', () => {
		it('lists the ExoPhones through the cursor pager and filters by number or name', async () => {
			const phones = [sim.exoPhones.list[0], ...sim.seedExoPhones(120)];
			const node = new Exotel();
			const context = exotelLoadOptionsContext({ credentials: { ...sim.credentials }, parameters: { resource: 'call', operation: 'connect' } });
			const search = node.methods.listSearch.searchExoPhones;
			const all = await search.call(context as unknown as ILoadOptionsFunctions);
			expect(all.results.map((r) => r.value)).toEqual(phones.map((p) => p.phone_number));
			const pages = sim.requests.filter((r) => r.path.endsWith('/IncomingPhoneNumbers'));
			expect(pages).toHaveLength(2);
			// Typed as people write it (trunk 0, spaces): found by its digits.
			const wanted = phones[42].phone_number;
			const typed = `0${wanted.slice(3, 6)} ${wanted.slice(6)}`;
			const found = await search.call(context as unknown as ILoadOptionsFunctions, typed);
			expect(found.results.map((r) => r.value)).toEqual([wanted]);

			const locators = node.description.properties.filter((p) => p.name === 'callerId');
			expect(locators.length).toBeGreaterThanOrEqual(3);
			for (const locator of locators) {
				const field = locator.type === 'resourceLocator' ? locator : undefined;
				expect(field?.modes?.find((m) => m.name === 'list')?.typeOptions?.searchListMethod).toBe('searchExoPhones');
			}
		});

		it('Campaign Create takes a picked ExoPhone and a plain string alike', async () => {
			const list = sim.seedList('Picker');
			sim.seedContacts(1, { listSid: list.sid });
			const create = (callerId: unknown) =>
				runExotel({
					credentials: { ...sim.credentials },
					parameters: { resource: 'campaign', operation: 'create', name: 'Picker run', callerId, listIds: list.sid, appId: '926' } as never,
				});
			expect((await create(rl(exoPhone, 'list'))).error).toBeUndefined();
			expect((await create(' 08047112345 ')).error).toBeUndefined();
			const posts = sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/campaigns'));
			const callerIds = posts.map((r) => (r.body as { campaigns: IDataObject[] }).campaigns[0].caller_id);
			expect(callerIds).toEqual([exoPhone, '08047112345']);
		});
	});
});
