/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * v1 calls on a clock: `POST Calls/connect.json`, `GET Calls/<sid>.json`, `GET Calls.json`, status callbacks.
 *
 * Connect (form body): From (number or sip:), CallerId (must be one of the account's ExoPhones) and To, or
 * `Url` for a flow (`http(s)://my.exotel.com/<account>/exoml/start_voice/<app id>`, or my.in.exotel.com;
 * `sim.callClock.flowHost` narrows it to one host), To then ignored and answered null. Optional fields are
 * checked as documented: CallType `trans`, TimeLimit 1–14400, TimeOut ≥1, Record true/false,
 * RecordingChannels single/dual, RecordingFormat mp3/mp3-hq, CustomField ≤128 chars, StatusCallback an
 * http(s) URL, StatusCallbackEvents ⊆ {terminal, answered} (indexed or repeated; one comma-joined value
 * subscribes to nothing, as reported), StatusCallbackContentType multipart/form-data or application/json.
 * Any failure → 400 RestException naming the field. Answer `{"Call":{…}}`, numbers as 0XXXXXXXXXX,
 * Status `in-progress` (or `queued`, `callClock.connectStatus`), Duration/Price/EndTime null; HTTP 200, or 202
 * with `callClock.postStatus = 202`. Duration and Price are strings, or numbers with `callClock.numbers = 'number'`.
 *
 * The clock (`sim.callClock`; virtual time = real time + advance()):
 * - Leg 1 (From) rings `ringMs`: From ending 8 → no-answer, the call ends. Else leg 1 answers (the
 *   `answered` event), then leg 2 (To) rings `ringMs`: To ending 7 → busy, 8 → no-answer, 9 → failed,
 *   else it answers and they talk `talkMs`, then hang up → completed. A flow call has one leg, judged by
 *   From's last digit the same way (7/8/9), completed after `talkMs` otherwise.
 * - Reported seconds are nominal, not the elapsed ms: leg 1 rings 5 s; a conversation lasts 30 + the last
 *   digit s (cut to TimeLimit); Duration = 5 + leg 1's on-call seconds; Price "1.500" per started minute.
 * - Duration, Price and EndTime stay null until `settleMs` after hang-up; RecordingUrl is set at hang-up
 *   when Record=true and the call was completed. Status is the connect status until leg 1 answers,
 *   in-progress until hang-up, then the outcome.
 * - Callbacks to StatusCallback: without StatusCallbackEvents (and for flow calls) one at hang-up with
 *   CallSid, Status, DateUpdated, RecordingUrl (absent when unanswered); with them, `answered` (when leg 1
 *   answers, Status in-progress, Legs[1][Status] '') and/or `terminal` with EventType, DateCreated, To, From,
 *   PhoneNumberSid, StartTime, EndTime, ConversationDuration, Direction, CustomField (terminal), Legs
 *   (OnCallDuration, Status, AnsweredBy, plus Cause/CauseCode on terminal). Multipart with `Legs[i][k]` by
 *   default, JSON with StatusCallbackContentType=application/json. Delivery as callbacks.ts.
 *
 * Passthru (`callClock.passthru.url`): every flow call reaches the account's Passthru applet once — when it
 * is answered (CallType call-attempt) or, unanswered, at its end (CallType incomplete, DialCallStatus) — as a
 * GET with CallSid, CallFrom, CallTo (the ExoPhone), Direction (incoming / outbound-dial), StartTime,
 * CurrentTime, EndTime (always 1970-01-01 05:30:00), DialCallDuration, digits in quotes ("123"), CustomField,
 * flow_id; or a POST form (`method: 'POST'`). Not retried; the status it got (200 / 302) is recorded.
 * `callClock.incoming({from, digits})` makes an incoming call (Direction inbound) that runs the flow.
 *
 * GET Calls/<sid>.json: unknown → 404; `details=true` adds Details {ConversationDuration, Leg1Status,
 * Leg2Status, Legs:[{Leg:{Id, OnCallDuration}}]}; `RecordingUrlValidity` 5–60 (else 400) adds
 * PreSignedRecordingUrl where there is a recording.
 *
 * GET Calls.json: filters Sid (comma list ≤100), DateCreated `gte:…;lte:…` (also gt/lt; at most 31 days
 * apart → else 400; default the last `listDefaultDays` days), To/From/PhoneNumber (≤5 each, any number
 * form), Status, Direction, Duration `gte:10s;lte:45s`, Price `gte:0.10;lte:1.0`, SortBy DateCreated:asc|desc
 * (desc default); PageSize 50 default, 1–100 else 400. Only the last 183 days are kept. Paging is by
 * cursor: `Metadata.NextPageUri`/`PrevPageUri` carry the filters plus `After`/`Before`, opaque tokens of a
 * record's position (a bad token → 400). NextPageUri is null on the last page, or (`lastPage: 'empty-page'`)
 * set after every non-empty page, so the client reads one empty page at the end.
 * sim.seedCalls(n) adds finished calls in the past quickly (benchmarks use 10,000).
 */
import type { ApiRequest, ResourceFactory } from './routing';
import { exoPhonesOf } from './exoPhones';
import { CallbackSender, type CallbackDelivery, type CallbackPolicy } from './callbacks';
import { newSid, type Store } from './store';
import { RestError, formParams, indianNumber, isSip, list, stripJson, text, v1Json, v1Time, parseV1Time, type FormParams } from './v1Replies';

export type CallOutcome = 'completed' | 'busy' | 'no-answer' | 'failed';
type LegStatus = CallOutcome | 'in-progress' | 'canceled' | null;

export interface CallClock {
	/** Virtual ms each leg rings before it answers or gives up (default 10). */
	ringMs: number;
	/** Virtual ms of conversation before hang-up (default 20). */
	talkMs: number;
	/** Virtual ms after hang-up until Duration, Price and EndTime are set (default 30). */
	settleMs: number;
	/** Status answered by connect and shown until leg 1 answers (default in-progress). */
	connectStatus: 'in-progress' | 'queued';
	/** Flow URL hosts accepted (default either). */
	flowHost: 'my.exotel.com' | 'my.in.exotel.com' | 'either';
	/** AnsweredBy spelling for answered legs (default Human). */
	answeredBy: 'Human' | 'HUMAN';
	/** Days shown by GET Calls.json without DateCreated (default 31). */
	listDefaultDays: number;
	/** How the last page of GET Calls.json ends (default 'null': NextPageUri null). */
	lastPage: 'null' | 'empty-page';
	/** Status callback delivery (retries default 2, duplicates 0, retryMs 10). */
	callbacks: CallbackPolicy;
	/** HTTP status of a successful connect: 200 (default, as documented) or 202 (also documented). */
	postStatus: 200 | 202;
	/** Duration and Price as strings ("45", "1.500", default) or JSON numbers (both are seen). */
	numbers: 'string' | 'number';
	/** Every status callback attempt, in order. Cleared by reset(). */
	readonly delivered: CallbackDelivery[];
	/** The virtual time (ms). */
	now(): number;
	/** Moves the virtual time forward and runs what became due. */
	advance(ms: number): void;
	/** Resolves when every callback started so far is done (retries included). */
	settled(): Promise<void>;
	/** A call as GET Calls/<sid>.json shows it (details included), or undefined. */
	get(sid: string): Record<string, unknown> | undefined;
	/**
	 * The Passthru applet of the account's flows: when `url` is set, every flow call (Connect to Flow and
	 * incoming calls) reaches it once. GET with the call in the query string (default) or POST as a form;
	 * not retried; the receiver's status (200 first branch, 302 second) is recorded in `passthruDelivered`.
	 */
	passthru: { url: string | null; method: 'GET' | 'POST'; timeoutMs: number };
	readonly passthruDelivered: CallbackDelivery[];
	/**
	 * A call coming in to an ExoPhone (default the first) from `from`, answered by a flow: Direction
	 * inbound, judged by From's last digit as a flow call; `digits` are what the caller pressed. Returns its sid.
	 */
	incoming(o: { from: string; to?: string; digits?: string; appId?: string; customField?: string }): string;
}

export interface SeedCallsOptions {
	/** Spread evenly over this many days before now (default 30). */
	days?: number;
	from?: string;
	/** A fixed To; by default To runs through numbers whose last digit cycles 0–9. */
	to?: string;
	callerId?: string;
	direction?: 'inbound' | 'outbound-dial' | 'outbound-api';
}

interface Leg {
	status: LegStatus;
	onCall: number;
}

interface CallRecord {
	sid: string;
	seq: number;
	createdAt: number;
	to: string | null;
	from: string;
	callerId: string;
	direction: 'inbound' | 'outbound-dial' | 'outbound-api';
	flow: boolean;
	appId: string | null;
	digits: string | null;
	outcome: CallOutcome;
	/** Virtual times; answeredAt undefined when leg 1 never answers. */
	answeredAt?: number;
	endAt: number;
	settleAt: number;
	legs: Leg[];
	conversation: number;
	duration: number;
	record: boolean;
	recordingFormat: string;
	customField: string | null;
	statusCallback: string | null;
	/** undefined: no StatusCallbackEvents (the four default fields). */
	events?: string[];
	json: boolean;
	fired: Set<string>;
}

const MAX_TIME_LIMIT = 14400;
const DAY = 86_400_000;
const RETENTION_DAYS = 183;
const MAX_RANGE_DAYS = 31;
const RING_S = 5;
const PRICE_PER_MINUTE = 1.5;

const clocks = new WeakMap<Store, CallClock & { seed(n: number, o: SeedCallsOptions): string[] }>();

export function callClockOf(store: Store): CallClock & { seed(n: number, o: SeedCallsOptions): string[] } {
	const c = clocks.get(store);
	if (!c) throw new Error('calls resource is not installed');
	return c;
}

function bad(field: string, why: string): never {
	throw new RestError(400, `Invalid parameter '${field}': ${why}`);
}

/** A number as answered: Indian numbers as 0XXXXXXXXXX, sip: addresses and others as sent. */
function answerForm(raw: string): string {
	return indianNumber(raw) ?? raw.trim();
}

function validNumber(field: string, raw: string): string {
	if (isSip(raw)) return raw.trim();
	const n = indianNumber(raw);
	if (n) return n;
	if (/^\+[1-9]\d{7,14}$/.test(raw.trim())) return raw.trim();
	return bad(field, `'${raw}' is not a phone number`);
}

function lastDigit(n: string): string {
	const m = /(\d)\D*$/.exec(n);
	return m ? m[1] : '0';
}

function price(duration: number): string {
	return (Math.ceil(duration / 60) * PRICE_PER_MINUTE).toFixed(3);
}

function intField(params: FormParams, field: string, min: number, max: number): number | undefined {
	const v = text(params, field);
	if (v === undefined || v === '') return undefined;
	if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) bad(field, `must be a whole number from ${min} to ${max}`);
	return Number(v);
}

function oneOf<T extends string>(params: FormParams, field: string, allowed: readonly T[]): T | undefined {
	const v = text(params, field);
	if (v === undefined || v === '') return undefined;
	if (!allowed.includes(v as T)) bad(field, `must be one of ${allowed.join(', ')}`);
	return v as T;
}

/** Outcome, legs and nominal seconds of a call, all decided by its numbers' last digits. */
function plan(from: string, to: string | null, timeLimit: number | undefined, timeOut: number | undefined) {
	const ringOut = timeOut ?? 30;
	const talkFor = (n: string) => Math.min(30 + Number(lastDigit(n)), timeLimit ?? Infinity);
	const byDigit: Record<string, CallOutcome> = { '7': 'busy', '8': 'no-answer', '9': 'failed' };
	const legDigitOutcome = (n: string): CallOutcome => byDigit[lastDigit(n)] ?? 'completed';
	if (to === null) {
		// A flow call: one leg, the number called.
		const outcome = legDigitOutcome(from);
		const talk = outcome === 'completed' ? talkFor(from) : 0;
		const legs: Leg[] = [{ status: outcome, onCall: talk }];
		return { outcome, leg1Answers: outcome === 'completed', legs, conversation: talk, duration: outcome === 'completed' ? RING_S + talk : 0 };
	}
	if (lastDigit(from) === '8') {
		return { outcome: 'no-answer' as CallOutcome, leg1Answers: false, legs: [{ status: 'no-answer', onCall: 0 }, { status: null, onCall: 0 }] as Leg[], conversation: 0, duration: 0 };
	}
	const outcome = legDigitOutcome(to);
	const leg2Ring = outcome === 'busy' ? 2 : outcome === 'failed' ? 1 : outcome === 'no-answer' ? ringOut : 8;
	const talk = outcome === 'completed' ? talkFor(to) : 0;
	const leg1OnCall = leg2Ring + talk;
	return {
		outcome,
		leg1Answers: true,
		legs: [
			{ status: 'completed', onCall: leg1OnCall },
			{ status: outcome, onCall: talk },
		] as Leg[],
		conversation: talk,
		duration: RING_S + leg1OnCall,
	};
}

export const calls: ResourceFactory = ({ store, accountSid }) => {
	const byId = new Map<string, CallRecord>();
	const all: CallRecord[] = [];
	let sorted: CallRecord[] | undefined;
	const active = new Set<CallRecord>();
	let offsetMs = 0;
	let seq = 0;
	let timer: NodeJS.Timeout | undefined;
	const defaults = () => ({ retries: 2, duplicates: 0, retryMs: 10 });

	const clock = {
		ringMs: 10,
		talkMs: 20,
		settleMs: 30,
		connectStatus: 'in-progress' as CallClock['connectStatus'],
		flowHost: 'either' as CallClock['flowHost'],
		answeredBy: 'Human' as CallClock['answeredBy'],
		listDefaultDays: 31,
		lastPage: 'null' as CallClock['lastPage'],
		callbacks: defaults(),
		postStatus: 200 as CallClock['postStatus'],
		numbers: 'string' as CallClock['numbers'],
		get delivered() {
			return sender.delivered;
		},
		now: () => Date.now() + offsetMs,
		advance(ms: number) {
			offsetMs += ms;
			tick();
		},
		settled: async () => {
			await Promise.all([sender.settled(), passthruSender.settled()]);
		},
		get(sid: string) {
			const c = byId.get(sid);
			return c ? present(c, true) : undefined;
		},
		seed: (n: number, o: SeedCallsOptions) => seed(n, o),
		passthru: { url: null as string | null, method: 'GET' as 'GET' | 'POST', timeoutMs: 15_000 },
		get passthruDelivered() {
			return passthruSender.delivered;
		},
		incoming: (o: { from: string; to?: string; digits?: string; appId?: string; customField?: string }) => incoming(o),
	};
	const sender = new CallbackSender(() => clock.callbacks);
	const passthruSender = new CallbackSender(
		() => ({ retries: 0, duplicates: 0, retryMs: 0 }),
		() => clock.passthru.timeoutMs,
	);
	clocks.set(store, clock);

	// ----- clock ----------------------------------------------------------------------------------

	function schedule(): void {
		if (timer) clearTimeout(timer);
		timer = undefined;
		let next = Infinity;
		for (const c of active) {
			let t: number;
			if (c.answeredAt !== undefined && !c.fired.has('answered')) t = c.answeredAt;
			else if (!c.fired.has('terminal')) t = c.endAt;
			else t = c.settleAt;
			if (t < next) next = t;
		}
		if (next === Infinity) return;
		timer = setTimeout(tick, Math.max(0, next - clock.now()));
		timer.unref();
	}

	function tick(): void {
		const now = clock.now();
		for (const c of active) {
			if (c.answeredAt !== undefined && now >= c.answeredAt && !c.fired.has('answered')) {
				c.fired.add('answered');
				if (c.events?.includes('answered') && !c.flow) callback(c, 'answered');
				if (c.flow) passthru(c, 'answered');
			}
			if (now >= c.endAt && !c.fired.has('terminal')) {
				c.fired.add('terminal');
				if (c.flow && c.answeredAt === undefined) passthru(c, 'terminal');
				if (!c.events || c.flow || c.events.includes('terminal')) callback(c, 'terminal');
			}
			if (now >= c.settleAt && c.fired.has('terminal')) active.delete(c);
		}
		schedule();
	}

	// ----- presentation ---------------------------------------------------------------------------

	function statusAt(c: CallRecord, now: number): string {
		if (now >= c.endAt) return c.outcome;
		if (c.answeredAt !== undefined && now >= c.answeredAt) return 'in-progress';
		return clock.connectStatus;
	}

	function recordingUrl(c: CallRecord, now: number): string | null {
		if (!c.record || c.outcome !== 'completed' || now < c.endAt) return null;
		return `https://s3-ap-southeast-1.amazonaws.com/exotelrecordings/${accountSid}/${c.sid}.mp3`;
	}

	function lastChange(c: CallRecord, now: number): number {
		let t = c.createdAt;
		for (const x of [c.answeredAt, c.endAt, c.settleAt]) if (x !== undefined && now >= x && x > t) t = x;
		return t;
	}

	function present(c: CallRecord, details: boolean, validity?: number): Record<string, unknown> {
		const now = clock.now();
		const settled = now >= c.settleAt;
		const ended = now >= c.endAt;
		const rec = recordingUrl(c, now);
		const out: Record<string, unknown> = {
			Sid: c.sid,
			ParentCallSid: null,
			DateCreated: v1Time(c.createdAt),
			DateUpdated: v1Time(lastChange(c, now)),
			AccountSid: accountSid,
			To: c.to,
			From: c.from,
			PhoneNumberSid: c.callerId,
			Status: statusAt(c, now),
			StartTime: v1Time(c.createdAt),
			EndTime: settled ? v1Time(c.createdAt + c.duration * 1000) : null,
			Duration: settled ? (clock.numbers === 'number' ? c.duration : String(c.duration)) : null,
			Price: settled ? (clock.numbers === 'number' ? Number(price(c.duration)) : price(c.duration)) : null,
			Direction: c.direction,
			AnsweredBy: null,
			ForwardedFrom: null,
			CallerName: null,
			Uri: `/v1/Accounts/${accountSid}/Calls/${c.sid}.json`,
			RecordingUrl: rec,
		};
		if (validity !== undefined && rec) out.PreSignedRecordingUrl = `${rec}?X-Amz-Expires=${validity * 60}&X-Amz-Signature=${c.sid.slice(0, 16)}`;
		if (details) {
			const legStatus = (i: number): LegStatus => {
				if (ended) return c.legs[i]?.status ?? null;
				if (i === 0 && c.answeredAt !== undefined && now >= c.answeredAt) return 'in-progress';
				return null;
			};
			out.Details = {
				ConversationDuration: ended ? c.conversation : 0,
				Leg1Status: legStatus(0),
				Leg2Status: c.legs.length > 1 ? legStatus(1) : null,
				Legs: c.legs.map((l, i) => ({ Leg: { Id: i + 1, OnCallDuration: ended ? l.onCall : 0 } })),
			};
		}
		return out;
	}

	function callback(c: CallRecord, event: 'answered' | 'terminal'): void {
		if (!c.statusCallback) return;
		const now = clock.now();
		const rec = recordingUrl(c, now);
		const basic: Record<string, unknown> = {
			CallSid: c.sid,
			Status: event === 'answered' ? 'in-progress' : c.outcome,
			DateUpdated: v1Time(now),
		};
		if (c.answeredAt !== undefined) basic.RecordingUrl = rec ?? '';
		if (!c.events || c.flow) {
			sender.send(c.statusCallback, event, basic, c.json ? 'json' : 'multipart');
			return;
		}
		const answeredBy = (l: Leg) => (l.status === 'completed' && l.onCall > 0 ? clock.answeredBy : 'NA');
		const legs =
			event === 'answered'
				? c.legs.map((_, i) => ({ OnCallDuration: 0, Status: i === 0 ? 'in-progress' : '', AnsweredBy: i === 0 ? clock.answeredBy : 'NA' }))
				: c.legs.map((l) => ({
						OnCallDuration: l.onCall,
						Status: l.status ?? '',
						AnsweredBy: answeredBy(l),
						Cause: l.status === 'completed' ? 'NORMAL_CLEARING' : l.status === 'busy' ? 'USER_BUSY' : l.status === 'no-answer' ? 'NO_ANSWER' : 'CALL_REJECTED',
						CauseCode: l.status === 'completed' ? '16' : l.status === 'busy' ? '17' : l.status === 'no-answer' ? '19' : '21',
					}));
		const payload: Record<string, unknown> = {
			...basic,
			EventType: event,
			DateCreated: v1Time(c.createdAt),
			To: c.to ?? '',
			From: c.from,
			PhoneNumberSid: c.callerId,
			StartTime: v1Time(c.createdAt),
			EndTime: event === 'terminal' ? v1Time(c.createdAt + c.duration * 1000) : '',
			ConversationDuration: event === 'terminal' ? c.conversation : 0,
			Direction: c.direction,
			Legs: legs,
		};
		if (event === 'terminal') payload.CustomField = c.customField ?? '';
		sender.send(c.statusCallback, event, payload, c.json ? 'json' : 'multipart');
	}

	/** What a Passthru applet receives: on answer (CallType call-attempt) or, unanswered, at the end (incomplete). */
	function passthru(c: CallRecord, at: 'answered' | 'terminal'): void {
		const url = clock.passthru.url;
		if (!url) return;
		const payload: Record<string, unknown> = {
			CallSid: c.sid,
			CallFrom: c.from,
			CallTo: c.callerId,
			Direction: c.direction === 'inbound' ? 'incoming' : 'outbound-dial',
			StartTime: v1Time(c.createdAt),
			CurrentTime: v1Time(clock.now()),
			EndTime: '1970-01-01 05:30:00',
			CallType: at === 'answered' ? 'call-attempt' : 'incomplete',
			DialCallDuration: 0,
		};
		if (at === 'terminal') payload.DialCallStatus = c.outcome;
		if (c.digits !== null) payload.digits = `"${c.digits}"`;
		if (c.customField !== null) payload.CustomField = c.customField;
		if (c.appId !== null) payload.flow_id = c.appId;
		passthruSender.send(url, 'passthru', payload, clock.passthru.method === 'GET' ? 'query' : 'form');
	}

	// ----- records --------------------------------------------------------------------------------

	function add(c: CallRecord): void {
		byId.set(c.sid, c);
		all.push(c);
		sorted = undefined;
	}

	function seed(n: number, o: SeedCallsOptions): string[] {
		const days = o.days ?? 30;
		const end = clock.now() - 60_000;
		const span = days * DAY;
		const phones = exoPhonesOf(store).list;
		const callerId = answerForm(o.callerId ?? phones[0]?.phone_number ?? '08047100001');
		const from = answerForm(o.from ?? '09990000001');
		const sids: string[] = [];
		for (let i = 0; i < n; i++) {
			const to = answerForm(o.to ?? `09${String(810000000 + i).padStart(9, '0')}`);
			const p = plan(from, to, undefined, undefined);
			const createdAt = end - span + Math.floor(((i + 1) * span) / (n + 1));
			const c: CallRecord = {
				sid: newSid(),
				seq: ++seq,
				createdAt,
				to,
				from,
				callerId,
				direction: o.direction ?? 'outbound-api',
				flow: false,
				appId: null,
				digits: null,
				outcome: p.outcome,
				answeredAt: p.leg1Answers ? createdAt : undefined,
				endAt: createdAt,
				settleAt: createdAt,
				legs: p.legs,
				conversation: p.conversation,
				duration: p.duration,
				record: false,
				recordingFormat: 'mp3',
				customField: null,
				statusCallback: null,
				json: false,
				fired: new Set(['answered', 'terminal']),
			};
			add(c);
			sids.push(c.sid);
		}
		return sids;
	}

	function flowUrlOk(url: string): boolean {
		const m = /^https?:\/\/(my\.exotel\.com|my\.in\.exotel\.com)\/([^/]+)\/exoml\/start_voice\/(\d+)\/?$/.exec(url.trim());
		if (!m || m[2] !== accountSid) return false;
		return clock.flowHost === 'either' || clock.flowHost === m[1];
	}

	function connect(r: ApiRequest) {
		const params = formParams(r);
		const fromRaw = text(params, 'From');
		if (!fromRaw) throw new RestError(400, "Missing parameter 'From'");
		const from = validNumber('From', fromRaw);
		const url = text(params, 'Url');
		const flow = url !== undefined && url !== '';
		if (flow && !flowUrlOk(url)) {
			bad('Url', `must be http://${clock.flowHost === 'either' ? 'my.exotel.com' : clock.flowHost}/${accountSid}/exoml/start_voice/<app id>`);
		}
		let to: string | null = null;
		if (!flow) {
			const toRaw = text(params, 'To');
			if (!toRaw) throw new RestError(400, "Missing parameter 'To'");
			to = validNumber('To', toRaw);
		}
		const callerIdRaw = text(params, 'CallerId');
		if (!callerIdRaw) throw new RestError(400, "Missing parameter 'CallerId'");
		const phone = exoPhonesOf(store).find(callerIdRaw);
		if (!phone) bad('CallerId', `'${callerIdRaw}' is not an ExoPhone of this account`);
		oneOf(params, 'CallType', ['trans'] as const);
		const timeLimit = intField(params, 'TimeLimit', 1, MAX_TIME_LIMIT);
		const timeOut = intField(params, 'TimeOut', 1, 3600);
		const record = oneOf(params, 'Record', ['true', 'false'] as const) === 'true';
		oneOf(params, 'RecordingChannels', ['single', 'dual'] as const);
		const recordingFormat = oneOf(params, 'RecordingFormat', ['mp3', 'mp3-hq'] as const) ?? 'mp3';
		const customField = text(params, 'CustomField') ?? null;
		if (customField !== null && customField.length > 128) bad('CustomField', 'at most 128 characters');
		const statusCallback = text(params, 'StatusCallback') || null;
		if (statusCallback !== null && !/^https?:\/\/\S+$/i.test(statusCallback)) bad('StatusCallback', 'must be an http(s) URL');
		let events = list(params, 'StatusCallbackEvents');
		if (events && events.length === 1 && events[0].includes(',')) events = undefined; // comma-joined: subscribes to nothing
		for (const e of events ?? []) if (e !== 'terminal' && e !== 'answered') bad('StatusCallbackEvents', `'${e}' is not terminal or answered`);
		const contentType = oneOf(params, 'StatusCallbackContentType', ['multipart/form-data', 'application/json'] as const);
		for (const f of ['WaitUrl', 'StartPlaybackToNew', 'StartPlaybackValueNew', 'StreamUrl', 'StreamBegin']) text(params, f);

		const p = plan(from, to, timeLimit, timeOut);
		const t0 = clock.now();
		const ring = clock.ringMs;
		const answeredAt = p.leg1Answers ? t0 + ring : undefined;
		let endAt: number;
		if (!p.leg1Answers) endAt = t0 + ring;
		else if (flow) endAt = t0 + ring + clock.talkMs;
		else endAt = t0 + 2 * ring + (p.outcome === 'completed' ? clock.talkMs : 0);
		const c: CallRecord = {
			sid: newSid(),
			seq: ++seq,
			createdAt: t0,
			to,
			from,
			callerId: answerForm(phone.phone_number),
			direction: 'outbound-api',
			flow,
			appId: flow ? (/(\d+)\/?$/.exec(url)?.[1] ?? null) : null,
			digits: null,
			outcome: p.outcome,
			answeredAt,
			endAt,
			settleAt: endAt + clock.settleMs,
			legs: p.legs,
			conversation: p.conversation,
			duration: p.duration,
			record,
			recordingFormat,
			customField,
			statusCallback,
			events: events && events.length ? events : undefined,
			json: contentType === 'application/json',
			fired: new Set(),
		};
		add(c);
		active.add(c);
		schedule();
		return v1Json({ Call: present(c, false) }, clock.postStatus);
	}

	function incoming(o: { from: string; to?: string; digits?: string; appId?: string; customField?: string }): string {
		const phones = exoPhonesOf(store);
		const phone = o.to !== undefined ? phones.find(o.to) : phones.list[0];
		if (!phone) throw new Error('incoming: no such ExoPhone (seed one first)');
		const from = answerForm(o.from);
		const p = plan(from, null, undefined, undefined);
		const t0 = clock.now();
		const answeredAt = p.leg1Answers ? t0 + clock.ringMs : undefined;
		const endAt = answeredAt !== undefined ? answeredAt + clock.talkMs : t0 + clock.ringMs;
		const c: CallRecord = {
			sid: newSid(),
			seq: ++seq,
			createdAt: t0,
			to: answerForm(phone.phone_number),
			from,
			callerId: answerForm(phone.phone_number),
			direction: 'inbound',
			flow: true,
			appId: o.appId ?? null,
			digits: o.digits ?? null,
			outcome: p.outcome,
			answeredAt,
			endAt,
			settleAt: endAt + clock.settleMs,
			legs: p.legs,
			conversation: p.conversation,
			duration: p.duration,
			record: false,
			recordingFormat: 'mp3',
			customField: o.customField ?? null,
			statusCallback: null,
			json: false,
			fired: new Set(),
		};
		add(c);
		active.add(c);
		schedule();
		return c.sid;
	}

	// ----- GET --------------------------------------------------------------------------------------

	function validity(q: URLSearchParams): number | undefined {
		const v = q.get('RecordingUrlValidity');
		if (v === null || v === '') return undefined;
		if (!/^\d+$/.test(v) || Number(v) < 5 || Number(v) > 60) bad('RecordingUrlValidity', 'must be 5 to 60 (minutes)');
		return Number(v);
	}

	function getOne(r: ApiRequest) {
		const sid = stripJson(r.params.callSid);
		const c = byId.get(sid);
		if (!c) throw new RestError(404, `Call ${sid} not found`);
		const v = validity(r.query);
		return v1Json({ Call: present(c, r.query.get('details') === 'true', v) });
	}

	function range(spec: string, field: string, parse: (s: string) => number | undefined): { lo: number; loIncl: boolean; hi: number; hiIncl: boolean } {
		const out = { lo: -Infinity, loIncl: true, hi: Infinity, hiIncl: true };
		for (const part of spec.split(';').filter((s) => s.trim() !== '')) {
			const m = /^\s*(gte|gt|lte|lt|eq):(.*)$/i.exec(part);
			if (!m) bad(field, `'${part}' is not gte:/gt:/lte:/lt: a value`);
			const v = parse(m[2].trim());
			if (v === undefined) bad(field, `'${m[2]}' is not a valid value`);
			const op = m[1].toLowerCase();
			if (op === 'gte' || op === 'gt' || op === 'eq') Object.assign(out, { lo: v, loIncl: op !== 'gt' });
			if (op === 'lte' || op === 'lt' || op === 'eq') Object.assign(out, { hi: v, hiIncl: op !== 'lt' });
		}
		return out;
	}

	const within = (x: number, r: ReturnType<typeof range>) => (r.loIncl ? x >= r.lo : x > r.lo) && (r.hiIncl ? x <= r.hi : x < r.hi);

	function commaList(q: URLSearchParams, field: string, max: number): string[] | undefined {
		const v = q.get(field);
		if (v === null || v === '') return undefined;
		const items = v.split(',').map((s) => s.trim()).filter(Boolean);
		if (items.length > max) bad(field, `at most ${max} values`);
		return items;
	}

	const token = (c: CallRecord) => Buffer.from(`cur:${c.createdAt}:${c.seq}`).toString('base64url');
	function readToken(field: string, raw: string): { at: number; seq: number } {
		const m = /^cur:(\d+):(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
		if (!m) bad(field, 'not a page token from this API');
		return { at: Number(m[1]), seq: Number(m[2]) };
	}

	function listCalls(r: ApiRequest) {
		const q = r.query;
		const now = clock.now();
		const rawSize = q.get('PageSize');
		let pageSize = 50;
		if (rawSize !== null && rawSize !== '') {
			if (!/^\d+$/.test(rawSize) || Number(rawSize) < 1 || Number(rawSize) > 100) bad('PageSize', 'must be 1 to 100');
			pageSize = Number(rawSize);
		}
		const sortBy = q.get('SortBy') ?? 'DateCreated:desc';
		const sm = /^DateCreated:(asc|desc)$/i.exec(sortBy);
		if (!sm) bad('SortBy', 'must be DateCreated:asc or DateCreated:desc');
		const desc = sm[1].toLowerCase() === 'desc';

		const dc = q.get('DateCreated');
		let dates = { lo: now - clock.listDefaultDays * DAY, loIncl: true, hi: Infinity, hiIncl: true };
		if (dc !== null && dc !== '') {
			dates = range(dc, 'DateCreated', parseV1Time);
			const hi = dates.hi === Infinity ? now : dates.hi;
			if (dates.lo === -Infinity) dates.lo = hi - MAX_RANGE_DAYS * DAY;
			if (hi - dates.lo > MAX_RANGE_DAYS * DAY) bad('DateCreated', 'the range may span at most one month (31 days)');
		}
		const retained = now - RETENTION_DAYS * DAY;
		const sids = commaList(q, 'Sid', 100);
		const numberSet = (field: string) => {
			const l = commaList(q, field, 5);
			return l && new Set(l.map(answerForm));
		};
		const tos = numberSet('To');
		const froms = numberSet('From');
		const phoneNumbers = numberSet('PhoneNumber');
		const statuses = commaList(q, 'Status', 4);
		for (const s of statuses ?? []) if (!['completed', 'failed', 'busy', 'no-answer'].includes(s)) bad('Status', `'${s}' is not completed, failed, busy or no-answer`);
		const directions = commaList(q, 'Direction', 3);
		for (const d of directions ?? []) if (!['inbound', 'outbound-dial', 'outbound-api'].includes(d)) bad('Direction', `'${d}' is not inbound, outbound-dial or outbound-api`);
		const durSpec = q.get('Duration');
		const durations = durSpec ? range(durSpec, 'Duration', (s) => (/^\d+s?$/.test(s) ? parseInt(s, 10) : undefined)) : undefined;
		const priceSpec = q.get('Price');
		const prices = priceSpec ? range(priceSpec, 'Price', (s) => (/^\d+(\.\d+)?$/.test(s) ? Number(s) : undefined)) : undefined;
		const details = q.get('details') === 'true';
		const v = validity(q);
		const after = q.get('After');
		const before = q.get('Before');
		const cursor = after ? { ...readToken('After', after), dir: 'after' } : before ? { ...readToken('Before', before), dir: 'before' } : undefined;

		if (!sorted) sorted = [...all].sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
		const matches: CallRecord[] = [];
		const sidSet = sids && new Set(sids);
		for (const c of sorted) {
			if (c.createdAt < retained || !within(c.createdAt, dates)) continue;
			if (sidSet && !sidSet.has(c.sid)) continue;
			if (tos && !(c.to !== null && tos.has(c.to))) continue;
			if (froms && !froms.has(c.from)) continue;
			if (phoneNumbers && !phoneNumbers.has(c.callerId)) continue;
			if (statuses && !statuses.includes(statusAt(c, now))) continue;
			if (directions && !directions.includes(c.direction)) continue;
			const settled = now >= c.settleAt;
			if (durations && !(settled && within(c.duration, durations))) continue;
			if (prices && !(settled && within(Number(price(c.duration)), prices))) continue;
			matches.push(c);
		}
		if (desc) matches.reverse();
		// Position of a record in this order: before (−1) / same (0) / after (1) a cursor.
		const cmp = (c: CallRecord, t: { at: number; seq: number }) => {
			const d = c.createdAt - t.at || c.seq - t.seq;
			return desc ? -Math.sign(d) : Math.sign(d);
		};
		let page: CallRecord[];
		let hasBefore: boolean;
		let hasAfter: boolean;
		if (cursor?.dir === 'after') {
			const start = matches.findIndex((c) => cmp(c, cursor) > 0);
			const from = start < 0 ? matches.length : start;
			page = matches.slice(from, from + pageSize);
			hasBefore = from > 0;
			hasAfter = from + pageSize < matches.length;
		} else if (cursor?.dir === 'before') {
			let end = matches.findIndex((c) => cmp(c, cursor) >= 0);
			if (end < 0) end = matches.length;
			const from = Math.max(0, end - pageSize);
			page = matches.slice(from, end);
			hasBefore = from > 0;
			hasAfter = end < matches.length;
		} else {
			page = matches.slice(0, pageSize);
			hasBefore = false;
			hasAfter = pageSize < matches.length;
		}
		const base = new URLSearchParams();
		for (const [k, val] of q) if (k !== 'After' && k !== 'Before') base.append(k, val);
		const uri = (extra?: [string, string]) => {
			const p = new URLSearchParams(base);
			if (extra) p.set(...extra);
			const s = p.toString();
			return `/v1/Accounts/${accountSid}/Calls.json${s ? '?' + s : ''}`;
		};
		const last = page[page.length - 1];
		const nextUri = last && (hasAfter || clock.lastPage === 'empty-page') ? uri(['After', token(last)]) : null;
		const prevUri = page.length && hasBefore ? uri(['Before', token(page[0])]) : null;
		return v1Json({
			Metadata: { Total: matches.length, PageSize: pageSize, FirstPageUri: uri(), PrevPageUri: prevUri, NextPageUri: nextUri },
			Calls: page.map((c) => present(c, details, v)),
		});
	}

	return {
		routes: [
			{ api: 'v1', method: 'POST', path: '/Calls/connect.json', handle: connect },
			{ api: 'v1', method: 'GET', path: '/Calls.json', handle: listCalls },
			{ api: 'v1', method: 'GET', path: '/Calls/:callSid', handle: getOne },
		],
		reset() {
			if (timer) clearTimeout(timer);
			timer = undefined;
			byId.clear();
			all.length = 0;
			sorted = undefined;
			active.clear();
			offsetMs = 0;
			seq = 0;
			sender.reset();
			passthruSender.reset();
			Object.assign(clock, {
				ringMs: 10,
				talkMs: 20,
				settleMs: 30,
				connectStatus: 'in-progress',
				flowHost: 'either',
				answeredBy: 'Human',
				listDefaultDays: 31,
				lastPage: 'null',
				callbacks: defaults(),
				postStatus: 200,
				numbers: 'string',
				passthru: { url: null, method: 'GET', timeoutMs: 15_000 },
			});
		},
	};
};
