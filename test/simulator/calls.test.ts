/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
import fc from 'fast-check';
import { simulatorTestKit } from './apiClient';
import { CallbackReceiver } from './callbackReceiver';
import type { ExotelSimulator } from './server';
import { at, v1Call } from './v1Client';

let sim: ExotelSimulator;
simulatorTestKit((started) => (sim = started));
let hook: CallbackReceiver;
beforeAll(async () => (hook = await CallbackReceiver.start()));
afterAll(async () => hook.stop());

/** Phases long enough that only advance() moves calls on (no real-time waits in these tests). */
function manualClock(): void {
	Object.assign(sim.callClock, { ringMs: 60_000, talkMs: 60_000, settleMs: 120_000 });
}

let exoPhone = '';
beforeEach(() => {
	hook.clear();
	exoPhone = sim.seedExoPhones(2)[0].phone_number;
	manualClock();
});

const connect = (form: Array<[string, string]> | Record<string, string>) => v1Call(sim, 'POST', '/Calls/connect.json', { form });
const getCall = async (sid: string, query = '') => (await v1Call(sim, 'GET', `/Calls/${sid}.json${query}`)).json;

describe('Calls/connect.json', () => {
	it('answers the call in-progress, numbers as 0XXXXXXXXXX, Duration/Price/EndTime null', async () => {
		const r = await connect({ From: '+919876543210', To: '9123456781', CallerId: exoPhone });
		expect(r.status).toBe(200);
		expect(at(r.json, 'Call')).toMatchObject({
			To: '09123456781',
			From: '09876543210',
			PhoneNumberSid: '08047100001',
			Status: 'in-progress',
			Direction: 'outbound-api',
			Duration: null,
			Price: null,
			EndTime: null,
			RecordingUrl: null,
		});
		expect(at(r.json, 'Call', 'DateCreated')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
	});

	it.each([
		[{ To: '09123456781', CallerId: '+918047100001' }, 'From'],
		[{ From: '09876543210', CallerId: '+918047100001' }, 'To'],
		[{ From: '09876543210', To: '09123456781' }, 'CallerId'],
		[{ From: '09876543210', To: '09123456781', CallerId: '08099999999' }, 'CallerId'],
		[{ From: '09876543210', To: '09123456781', CallerId: '08047100001', TimeLimit: '14401' }, 'TimeLimit'],
		[{ From: '09876543210', To: '09123456781', CallerId: '08047100001', RecordingChannels: 'stereo' }, 'RecordingChannels'],
		[{ From: '09876543210', To: '09123456781', CallerId: '08047100001', RecordingFormat: 'wav' }, 'RecordingFormat'],
		[{ From: '09876543210', To: '09123456781', CallerId: '08047100001', CustomField: 'x'.repeat(129) }, 'CustomField'],
		[{ From: '09876543210', To: '09123456781', CallerId: '08047100001', 'StatusCallbackEvents[0]': 'ringing' }, 'StatusCallbackEvents'],
		[{ From: '09876543210', To: '09123456781', CallerId: '08047100001', StatusCallbackContentType: 'text/xml' }, 'StatusCallbackContentType'],
		[{ From: '09876543210', CallerId: '08047100001', Url: 'http://my.exotel.com/otheraccount/exoml/start_voice/123' }, 'Url'],
	])('400 RestException for %j (%s)', async (form, field) => {
		const r = await connect(form);
		expect(r.status).toBe(400);
		expect(at(r.json, 'RestException', 'Status')).toBe(400);
		expect(String(at(r.json, 'RestException', 'Message'))).toContain(field);
		expect(at(await v1Call(sim, 'GET', '/Calls.json'), 'json', 'Calls')).toEqual([]);
	});

	it('accepts TimeLimit 14400 and a flow Url on either host; flowHost narrows it', async () => {
		expect((await connect({ From: '09876543210', To: '09123456781', CallerId: '08047100001', TimeLimit: '14400' })).status).toBe(200);
		const acct = sim.credentials.accountSid;
		const flow = await connect({ From: '09876543210', CallerId: '08047100001', Url: `http://my.in.exotel.com/${acct}/exoml/start_voice/4242` });
		expect(flow.status).toBe(200);
		expect(at(flow.json, 'Call', 'To')).toBeNull();
		sim.callClock.flowHost = 'my.exotel.com';
		expect((await connect({ From: '09876543210', CallerId: '08047100001', Url: `http://my.in.exotel.com/${acct}/exoml/start_voice/4242` })).status).toBe(400);
		sim.callClock.connectStatus = 'queued';
		const q = await connect({ From: '09876543210', CallerId: '08047100001', Url: `http://my.exotel.com/${acct}/exoml/start_voice/4242` });
		expect(at(q.json, 'Call', 'Status')).toBe('queued');
	});
});

describe('the call clock', () => {
	it.each([
		['09123456780', 'completed', 43],
		['09123456787', 'busy', 7],
		['09123456788', 'no-answer', 35],
		['09123456789', 'failed', 6],
	])('To %s → %s; Duration/Price/EndTime settle after hang-up', async (to, outcome, duration) => {
		const r = await connect({ From: '09876543210', To: to, CallerId: exoPhone, Record: 'true' });
		const sid = String(at(r.json, 'Call', 'Sid'));
		sim.callClock.advance(60_000);
		expect(at(await getCall(sid), 'Call', 'Status')).toBe('in-progress');
		sim.callClock.advance(120_000);
		const ended = await getCall(sid);
		expect(at(ended, 'Call', 'Status')).toBe(outcome);
		expect(at(ended, 'Call', 'Duration')).toBeNull();
		expect(at(ended, 'Call', 'RecordingUrl') !== null).toBe(outcome === 'completed');
		sim.callClock.advance(120_000);
		const settled = await getCall(sid, '?details=true&RecordingUrlValidity=10');
		expect(at(settled, 'Call', 'Duration')).toBe(String(duration));
		expect(at(settled, 'Call', 'Price')).toBe('1.500');
		expect(at(settled, 'Call', 'EndTime')).toMatch(/^\d{4}-/);
		expect(at(settled, 'Call', 'Details', 'Leg2Status')).toBe(outcome);
		expect(at(settled, 'Call', 'Details', 'Legs', 1, 'Leg', 'Id')).toBe(2);
		expect('PreSignedRecordingUrl' in (at(settled, 'Call') as object)).toBe(outcome === 'completed');
	});

	it('switches: 202 for connect, Duration and Price as numbers', async () => {
		sim.callClock.postStatus = 202;
		sim.callClock.numbers = 'number';
		const r = await connect({ From: '09876543210', To: '09123456780', CallerId: exoPhone });
		expect(r.status).toBe(202);
		sim.callClock.advance(1_000_000);
		const c = await getCall(String(at(r.json, 'Call', 'Sid')));
		expect(at(c, 'Call', 'Duration')).toBe(43);
		expect(at(c, 'Call', 'Price')).toBe(1.5);
	});

	it('From ending 8: leg 1 never answers', async () => {
		const r = await connect({ From: '09876543218', To: '09123456780', CallerId: exoPhone });
		sim.callClock.advance(60_000);
		const c = await getCall(String(at(r.json, 'Call', 'Sid')), '?details=true');
		expect(at(c, 'Call', 'Status')).toBe('no-answer');
		expect(at(c, 'Call', 'Details', 'Leg1Status')).toBe('no-answer');
	});

	it('RecordingUrlValidity outside 5–60 → 400; unknown sid → 404', async () => {
		const r = await connect({ From: '09876543210', To: '09123456780', CallerId: exoPhone });
		const sid = String(at(r.json, 'Call', 'Sid'));
		expect((await v1Call(sim, 'GET', `/Calls/${sid}.json?RecordingUrlValidity=4`)).status).toBe(400);
		expect((await v1Call(sim, 'GET', `/Calls/${sid}.json?RecordingUrlValidity=61`)).status).toBe(400);
		expect((await v1Call(sim, 'GET', '/Calls/ffffffff.json')).status).toBe(404);
	});

	it('runs on its own in real time with short phases', async () => {
		Object.assign(sim.callClock, { ringMs: 1, talkMs: 1, settleMs: 1 });
		const r = await connect({ From: '09876543210', To: '09123456780', CallerId: exoPhone, StatusCallback: `${hook.url}/rt` });
		const sid = String(at(r.json, 'Call', 'Sid'));
		while (hook.received.length === 0) await new Promise((res) => setTimeout(res, 5));
		await sim.callClock.settled();
		while (at(await getCall(sid), 'Call', 'Duration') === null) await new Promise((res) => setTimeout(res, 5));
		expect(at(await getCall(sid), 'Call', 'Status')).toBe('completed');
	});
});

describe('status callbacks', () => {
	it('without events: one terminal callback with the four default fields, multipart', async () => {
		const r = await connect({ From: '09876543210', To: '09123456780', CallerId: exoPhone, StatusCallback: `${hook.url}/cb?key=s3cret` });
		sim.callClock.advance(500_000);
		await sim.callClock.settled();
		expect(hook.received).toHaveLength(1);
		expect(hook.received[0].path).toBe('/cb?key=s3cret');
		expect(hook.received[0].contentType).toMatch(/^multipart\/form-data/);
		expect(Object.keys(hook.received[0].body as object).sort()).toEqual(['CallSid', 'DateUpdated', 'RecordingUrl', 'Status']);
		expect(at(hook.received[0].body, 'CallSid')).toBe(at(r.json, 'Call', 'Sid'));
		expect(at(hook.received[0].body, 'Status')).toBe('completed');
		expect(sim.callClock.delivered[0].status).toBe(200);
	});

	it('answered and terminal events, multipart with flattened Legs[i][k]', async () => {
		await connect([
			['From', '09876543210'],
			['To', '09123456780'],
			['CallerId', exoPhone],
			['StatusCallback', `${hook.url}/cb`],
			['StatusCallbackEvents[0]', 'terminal'],
			['StatusCallbackEvents[1]', 'answered'],
			['CustomField', 'lead-42'],
		]);
		sim.callClock.advance(60_000);
		await sim.callClock.settled();
		expect(hook.received).toHaveLength(1);
		const answered = hook.received[0].body;
		expect(at(answered, 'EventType')).toBe('answered');
		expect(at(answered, 'Status')).toBe('in-progress');
		expect(at(answered, 'Legs', 1, 'Status')).toBe('');
		sim.callClock.advance(500_000);
		await sim.callClock.settled();
		const terminal = hook.received[1].body;
		expect(at(terminal, 'EventType')).toBe('terminal');
		expect(at(terminal, 'CustomField')).toBe('lead-42');
		expect(at(terminal, 'Legs', 1, 'Status')).toBe('completed');
		expect(at(terminal, 'Legs', 0, 'AnsweredBy')).toBe('Human');
		expect(at(terminal, 'ConversationDuration')).toBe('30');
		// Sent flattened: the wire keys are Legs[0][Status] etc.
		expect(Object.keys(sim.callClock.delivered[1].payload)).toContain('Legs[0][Status]');
	});

	it('JSON callbacks keep Legs as an array; repeated StatusCallbackEvents keys count', async () => {
		await connect([
			['From', '09876543210'],
			['To', '09123456787'],
			['CallerId', exoPhone],
			['StatusCallback', `${hook.url}/cb`],
			['StatusCallbackEvents', 'terminal'],
			['StatusCallbackContentType', 'application/json'],
		]);
		sim.callClock.advance(500_000);
		await sim.callClock.settled();
		expect(hook.received).toHaveLength(1);
		expect(hook.received[0].contentType).toBe('application/json');
		const body = hook.received[0].body;
		expect(at(body, 'Status')).toBe('busy');
		expect(Array.isArray(at(body, 'Legs'))).toBe(true);
		expect(at(body, 'Legs', 1, 'OnCallDuration')).toBe(0);
	});

	it('comma-joined StatusCallbackEvents subscribes to nothing: default fields only', async () => {
		await connect({ From: '09876543210', To: '09123456780', CallerId: exoPhone, StatusCallback: `${hook.url}/cb`, StatusCallbackEvents: 'terminal,answered' });
		sim.callClock.advance(500_000);
		await sim.callClock.settled();
		expect(hook.received).toHaveLength(1);
		expect(at(hook.received[0].body, 'EventType')).toBeUndefined();
	});

	it('retries a failed delivery at most twice; duplicates after success', async () => {
		hook.statuses.push(500, 500, 500);
		await connect({ From: '09876543210', To: '09123456780', CallerId: exoPhone, StatusCallback: `${hook.url}/cb` });
		sim.callClock.advance(500_000);
		await sim.callClock.settled();
		expect(sim.callClock.delivered.map((d) => d.status)).toEqual([500, 500, 500]);
		hook.clear();
		sim.callClock.callbacks.duplicates = 1;
		await connect({ From: '09876543210', To: '09123456780', CallerId: exoPhone, StatusCallback: `${hook.url}/cb` });
		sim.callClock.advance(500_000);
		await sim.callClock.settled();
		expect(hook.received).toHaveLength(2);
		expect(at(hook.received[0].body, 'CallSid')).toBe(at(hook.received[1].body, 'CallSid'));
	});
});

describe('Passthru and incoming calls', () => {
	it('an incoming call reaches the Passthru applet by GET, digits in quotes; 302 recorded as the answer', async () => {
		sim.callClock.passthru.url = `${hook.url}/passthru?token=abc`;
		hook.statuses.push(302);
		const sid = sim.callClock.incoming({ from: '+919123456780', digits: '123', appId: '4242' });
		sim.callClock.advance(60_000);
		await sim.callClock.settled();
		expect(hook.received).toHaveLength(1);
		const q = new URL(hook.received[0].path, 'http://x').searchParams;
		expect(q.get('token')).toBe('abc');
		expect(q.get('CallSid')).toBe(sid);
		expect(q.get('CallFrom')).toBe('09123456780');
		expect(q.get('CallTo')).toBe('08047100001');
		expect(q.get('Direction')).toBe('incoming');
		expect(q.get('digits')).toBe('"123"');
		expect(q.get('CallType')).toBe('call-attempt');
		expect(q.get('EndTime')).toBe('1970-01-01 05:30:00');
		expect(sim.callClock.passthruDelivered.map((d) => d.status)).toEqual([302]);
		sim.callClock.advance(500_000);
		const list = await v1Call(sim, 'GET', '/Calls.json?Direction=inbound');
		expect(at(list.json, 'Calls', 0, 'Sid')).toBe(sid);
		expect(at(list.json, 'Calls', 0, 'Status')).toBe('completed');
	});

	it('a flow call not answered reaches it at the end (incomplete), by POST when set; never retried', async () => {
		sim.callClock.passthru = { url: `${hook.url}/pt`, method: 'POST', timeoutMs: 15_000 };
		hook.statuses.push(500);
		const acct = sim.credentials.accountSid;
		await connect({ From: '09876543218', CallerId: exoPhone, Url: `http://my.exotel.com/${acct}/exoml/start_voice/77` });
		sim.callClock.advance(500_000);
		await sim.callClock.settled();
		expect(hook.received).toHaveLength(1);
		expect(hook.received[0].body).toMatchObject({ CallType: 'incomplete', DialCallStatus: 'no-answer', Direction: 'outbound-dial', flow_id: '77' });
		expect(sim.callClock.passthruDelivered).toHaveLength(1);
	});
});

describe('GET Calls.json', () => {
	it('pages by cursor through 250 seeded calls, newest first, no duplicates', async () => {
		const sids = sim.seedCalls(250);
		const seen: string[] = [];
		let path: string | null = '/Calls.json?PageSize=100';
		let requests = 0;
		let prev = '';
		while (path) {
			const r = await v1Call(sim, 'GET', path);
			expect(r.status).toBe(200);
			requests++;
			const calls = at(r.json, 'Calls') as Array<{ Sid: string; DateCreated: string }>;
			for (const c of calls) {
				if (prev) expect(c.DateCreated <= prev).toBe(true);
				prev = c.DateCreated;
				seen.push(c.Sid);
			}
			expect(at(r.json, 'Metadata', 'Total')).toBe(250);
			const next = at(r.json, 'Metadata', 'NextPageUri') as string | null;
			if (next) expect(next).toMatch(/After=/);
			if (next) expect(next).not.toMatch(/After=\d+(&|$)/); // an opaque token, not an offset
			path = next ? next.replace(/^\/v1\/Accounts\/[^/]+/, '') : null;
		}
		expect(requests).toBe(3);
		expect(new Set(seen).size).toBe(250);
		expect(new Set(seen)).toEqual(new Set(sids));
	});

	it('cursor paging (property): forward pages cover every call once in order; PrevPageUri walks the same pages back', async () => {
		const rel = (uri: string) => uri.replace(/^\/v1\/Accounts\/[^/]+/, '');
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 12 }), fc.boolean(), async (n, size, asc) => {
				sim.reset();
				sim.seedCalls(n, { days: 20 });
				const pages: string[][] = [];
				let path: string | null = `/Calls.json?PageSize=${size}&SortBy=DateCreated:${asc ? 'asc' : 'desc'}`;
				let lastPrev: string | null = null;
				while (path) {
					const r = await v1Call(sim, 'GET', path);
					const page = (at(r.json, 'Calls') as Array<{ Sid: string }>).map((c) => c.Sid);
					if (page.length) pages.push(page);
					lastPrev = at(r.json, 'Metadata', 'PrevPageUri') as string | null;
					const next = at(r.json, 'Metadata', 'NextPageUri') as string | null;
					path = next ? rel(next) : null;
				}
				const all = pages.flat();
				expect(all).toHaveLength(n);
				expect(new Set(all).size).toBe(n);
				const back: string[][] = [];
				let prev = lastPrev;
				while (prev) {
					const r = await v1Call(sim, 'GET', rel(prev));
					back.unshift((at(r.json, 'Calls') as Array<{ Sid: string }>).map((c) => c.Sid));
					prev = at(r.json, 'Metadata', 'PrevPageUri') as string | null;
				}
				expect(back).toEqual(pages.slice(0, -1));
			}),
			{ numRuns: 15 },
		);
	});

	it('PrevPageUri goes back; empty-page mode ends with one empty page', async () => {
		sim.seedCalls(5);
		const first = await v1Call(sim, 'GET', '/Calls.json?PageSize=2&SortBy=DateCreated:asc');
		expect(at(first.json, 'Metadata', 'PrevPageUri')).toBeNull();
		const next = String(at(first.json, 'Metadata', 'NextPageUri')).replace(/^\/v1\/Accounts\/[^/]+/, '');
		const second = await v1Call(sim, 'GET', next);
		const back = String(at(second.json, 'Metadata', 'PrevPageUri')).replace(/^\/v1\/Accounts\/[^/]+/, '');
		expect(at((await v1Call(sim, 'GET', back)).json, 'Calls')).toEqual(at(first.json, 'Calls'));
		sim.callClock.lastPage = 'empty-page';
		const all = await v1Call(sim, 'GET', '/Calls.json?PageSize=5');
		const tail = String(at(all.json, 'Metadata', 'NextPageUri')).replace(/^\/v1\/Accounts\/[^/]+/, '');
		const empty = await v1Call(sim, 'GET', tail);
		expect(at(empty.json, 'Calls')).toEqual([]);
		expect(at(empty.json, 'Metadata', 'NextPageUri')).toBeNull();
	});

	it('filters: To, Status, Duration, Sid, DateCreated; one month at most', async () => {
		sim.seedCalls(20, { days: 10 });
		const byTo = await v1Call(sim, 'GET', '/Calls.json?To=%2B919810000007');
		expect((at(byTo.json, 'Calls') as unknown[]).length).toBe(1);
		expect(at(byTo.json, 'Calls', 0, 'Status')).toBe('busy');
		const busy = await v1Call(sim, 'GET', '/Calls.json?Status=busy');
		expect(at(busy.json, 'Metadata', 'Total')).toBe(2);
		const long = await v1Call(sim, 'GET', '/Calls.json?Duration=' + encodeURIComponent('gte:40s;lte:45s'));
		for (const c of at(long.json, 'Calls') as Array<{ Duration: string }>) expect(Number(c.Duration)).toBeGreaterThanOrEqual(40);
		const sid = String(at(busy.json, 'Calls', 0, 'Sid'));
		expect(at((await v1Call(sim, 'GET', `/Calls.json?Sid=${sid},nope`)).json, 'Metadata', 'Total')).toBe(1);
		const tooLong = await v1Call(sim, 'GET', '/Calls.json?DateCreated=' + encodeURIComponent('gte:2024-01-01 00:00:00;lte:2024-03-01 00:00:00'));
		expect(tooLong.status).toBe(400);
		expect(String(at(tooLong.json, 'RestException', 'Message'))).toContain('DateCreated');
		expect((await v1Call(sim, 'GET', '/Calls.json?To=1,2,3,4,5,6')).status).toBe(400);
		expect((await v1Call(sim, 'GET', '/Calls.json?PageSize=101')).status).toBe(400);
		expect((await v1Call(sim, 'GET', '/Calls.json?After=garbage')).status).toBe(400);
	});

	it('without DateCreated shows the last 31 days; 2,500 seeded calls page in 25 requests', async () => {
		sim.seedCalls(10, { days: 60 });
		expect(at((await v1Call(sim, 'GET', '/Calls.json')).json, 'Metadata', 'Total')).toBe(5);
		sim.reset();
		sim.seedCalls(2_500, { days: 30 });
		let path: string | null = '/Calls.json?PageSize=100';
		let requests = 0;
		let total = 0;
		while (path) {
			const r = await v1Call(sim, 'GET', path);
			requests++;
			total += (at(r.json, 'Calls') as unknown[]).length;
			const next = at(r.json, 'Metadata', 'NextPageUri') as string | null;
			path = next ? next.replace(/^\/v1\/Accounts\/[^/]+/, '') : null;
		}
		expect(total).toBe(2_500);
		expect(requests).toBe(25);
	});
});
