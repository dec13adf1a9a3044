/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * v1 SMS on a clock: `POST Sms/send.json` (one or many To), `POST Sms/bulksend.json`, `GET SMS/Messages/<sid>.json`
 * (also `Sms/`), delivery callbacks.
 *
 * Send (form body): From must be an ExoPhone of the account or a registered sender ID (`EXOTEL` by
 * default, sim.exoPhones.senderIds) else 400 Code 40300 (an ExoPhone without SMS: 40301); To required; Body required, ≤2000 chars (40202);
 * EncodingType plain/unicode (40205), Priority normal/high (40206), SmsType transactional /
 * transactional_opt_in / promotional (40204), StatusCallback an http(s) URL (40207), DltEntityId required only
 * with `smsClock.requireDltEntityId` (40208). A missing field → 40200. Several To — indexed `To[0]`, repeated
 * `To=…&To=…`, or comma-joined — make a static bulk send (≤100, else 400 40406) answered with an **array**
 * `[{"SMSMessage":{…}},…]` in request order; one To answers `{"SMSMessage":{…}}`. A To that is not a valid
 * Indian number is refused in its place as `{"RestException":{"Status":400,"Code":40203,"Message":…}}`; all
 * refused (or a single invalid To) → 400 Code 40203 (nothing sent).
 *
 * Bulk send: three body shapes, each accepted unless turned off in `smsClock.bulkShapes` (then 400 Code 40201,
 * as for a body without messages): form `Messages[i][To|Body|From|SmsType|DltTemplateId|DltEntityId]`, form
 * `Message[i][…]`, JSON `{"sms":[{From,To,Body,…}], …}`. Top-level From (fallback), EncodingType,
 * StatusCallback, DltEntityId apply to every message. ≤100 messages (else 400 40400); answer an array in request
 * order (`smsClock.bulkOrder = 'reversed'` answers the other way round), invalid numbers refused in place.
 *
 * Lifecycle (virtual time, `stepMs` apart): queued 21010 → sending 21015 → submitted 21020 → final, by To's
 * last digit: 3 → `failed-dnd` 23005 (or `failed_dnd`, smsClock.dndSpelling); 4 → failed 23070 (DLT template
 * mismatch); 5 → failed 23035 (handset unavailable); 6 → sent 20006 DELIVERED_TO_OPERATOR; 9 → failed 23010
 * (invalid number); else sent 20005 DELIVERED_TO_HANDSET. DateSent and Price are set when it is final.
 * SmsUnits: 160 characters per unit (153 when split), unicode 70 (67). SmsType=promotional due outside
 * 10:00–21:00 India time stays `submitted` until 10:00 (`smsClock.promoWindow = false` turns this off).
 * Accepted sends answer 200, or 202 with `smsClock.postStatus = 202`.
 *
 * Details of an unknown sid: 200 with a RestException "No matching results" (default), or plain text
 * (`smsClock.notFound = 'text'`), or 404 (`'404'`).
 * Delivery callbacks (terminal state only) to StatusCallback: form-urlencoded SmsSid, To, Status, SmsUnits,
 * DetailedStatus, DetailedStatusCode, DateSent, CustomField (default), or JSON {SmsSid, To, From, Status
 * (the detailed status, e.g. DELIVERED_TO_HANDSET), ExoStatusCode, DateUpdated} (`callbackFormat: 'json'`).
 */
import { CallbackSender, type CallbackDelivery, type CallbackPolicy } from './callbacks';
import { exoPhonesOf } from './exoPhones';
import { isObject } from './replies';
import type { ApiRequest, ResourceFactory } from './routing';
import { newSid, type Store } from './store';
import { RestError, formParams, indianNumber, list, parseV1Time, stripJson, v1Json, v1Time, type FormParams, type FormValue } from './v1Replies';

export interface SmsClock {
	/** Virtual ms between lifecycle steps (default 10). */
	stepMs: number;
	dndSpelling: 'failed-dnd' | 'failed_dnd';
	/** Which bulk-send body shapes are accepted (all by default). */
	bulkShapes: { messages: boolean; message: boolean; json: boolean };
	bulkOrder: 'request' | 'reversed';
	callbackFormat: 'form' | 'json';
	notFound: 'rest-exception' | 'text' | '404';
	requireDltEntityId: boolean;
	/** HTTP status of an accepted send: 200 (default) or 202 (both documented). */
	postStatus: 200 | 202;
	/** Promotional messages wait in `submitted` outside 10:00–21:00 India time until 10:00 (default on). */
	promoWindow: boolean;
	callbacks: CallbackPolicy;
	readonly delivered: CallbackDelivery[];
	now(): number;
	advance(ms: number): void;
	settled(): Promise<void>;
	/** A message as GET SMS/Messages/<sid>.json shows it, or undefined. */
	get(sid: string): Record<string, unknown> | undefined;
	/** Every message accepted, in order. */
	readonly messages: ReadonlyArray<{ sid: string; to: string; from: string; body: string }>;
}

interface Final {
	status: string;
	code: number;
	detail: string;
}

interface SmsRecord {
	sid: string;
	createdAt: number;
	from: string;
	to: string;
	body: string;
	units: number;
	final: Final;
	customField: string | null;
	statusCallback: string | null;
	smsType: string | null;
	/** Virtual time it reaches its final status. */
	finalAt: number;
	notified: boolean;
}

interface Draft {
	to: string;
	body: string;
	from: string;
	smsType: string | null;
	customField: string | null;
	statusCallback: string | null;
}

const MAX_BODY = 2000;
const MAX_BULK = 100;
const STEPS: Array<[string, number, string]> = [
	['queued', 21010, 'PENDING_TO_OPERATOR'],
	['sending', 21015, 'SENDING_TO_OPERATOR'],
	['submitted', 21020, 'SUBMITTED_TO_OPERATOR'],
];
const SMS_TYPES = ['transactional', 'transactional_opt_in', 'promotional'];

const clocks = new WeakMap<Store, SmsClock>();

export function smsClockOf(store: Store): SmsClock {
	const c = clocks.get(store);
	if (!c) throw new Error('sms resource is not installed');
	return c;
}

function finalFor(to: string, dnd: SmsClock['dndSpelling']): Final {
	switch (to.slice(-1)) {
		case '3':
			return { status: dnd, code: 23005, detail: 'FAILED_DND' };
		case '4':
			return { status: 'failed', code: 23070, detail: 'FAILED_INVALID_MESSAGE_TEMPLATE' };
		case '5':
			return { status: 'failed', code: 23035, detail: 'FAILED_HANDSET_UNAVAILABLE' };
		case '6':
			return { status: 'sent', code: 20006, detail: 'DELIVERED_TO_OPERATOR' };
		case '9':
			return { status: 'failed', code: 23010, detail: 'FAILED_INVALID_NUMBER' };
		default:
			return { status: 'sent', code: 20005, detail: 'DELIVERED_TO_HANDSET' };
	}
}

function units(body: string): number {
	const unicode = /[^\x20-\x7e\n\r]/.test(body);
	const single = unicode ? 70 : 160;
	const part = unicode ? 67 : 153;
	return body.length <= single ? 1 : Math.ceil(body.length / part);
}

function fail(code: number, message: string, status = 400): never {
	throw new RestError(status, message, code);
}

/** A JSON value of a bulk body as a form-like value (strings only). */
function asForm(v: unknown): FormValue | undefined {
	if (v === null || v === undefined) return undefined;
	if (typeof v === 'string') return v;
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	if (Array.isArray(v)) return v.map((x) => asForm(x) ?? '');
	if (isObject(v)) {
		const out: Record<string, FormValue> = {};
		for (const [k, x] of Object.entries(v)) {
			const f = asForm(x);
			if (f !== undefined) out[k] = f;
		}
		return out;
	}
	return undefined;
}

export const sms: ResourceFactory = ({ store, accountSid }) => {
	const byId = new Map<string, SmsRecord>();
	const pending = new Set<SmsRecord>();
	const messages: Array<{ sid: string; to: string; from: string; body: string }> = [];
	let offsetMs = 0;
	let timer: NodeJS.Timeout | undefined;
	const defaults = () => ({
		stepMs: 10,
		dndSpelling: 'failed-dnd' as const,
		bulkShapes: { messages: true, message: true, json: true },
		bulkOrder: 'request' as const,
		callbackFormat: 'form' as const,
		notFound: 'rest-exception' as const,
		requireDltEntityId: false,
		postStatus: 200 as const,
		promoWindow: true,
		callbacks: { retries: 2, duplicates: 0, retryMs: 10 },
	});
	const clock: SmsClock = {
		...defaults(),
		get delivered() {
			return sender.delivered;
		},
		now: () => Date.now() + offsetMs,
		advance(ms: number) {
			offsetMs += ms;
			tick();
		},
		settled: () => sender.settled(),
		get(sid: string) {
			const m = byId.get(sid);
			return m ? present(m) : undefined;
		},
		messages,
	};
	const sender = new CallbackSender(() => clock.callbacks);
	clocks.set(store, clock);

	const finalAt = (m: SmsRecord) => m.finalAt;

	function schedule(): void {
		if (timer) clearTimeout(timer);
		timer = undefined;
		let next = Infinity;
		for (const m of pending) next = Math.min(next, finalAt(m));
		if (next === Infinity) return;
		timer = setTimeout(tick, Math.max(0, next - clock.now()));
		timer.unref();
	}

	function tick(): void {
		const now = clock.now();
		for (const m of pending) {
			if (now < finalAt(m)) continue;
			pending.delete(m);
			m.notified = true;
			notify(m);
		}
		schedule();
	}

	function state(m: SmsRecord, now: number): { status: string; code: number; detail: string; final: boolean } {
		if (now >= m.finalAt) return { ...m.final, final: true };
		const step = Math.floor((now - m.createdAt) / Math.max(1, clock.stepMs));
		const [status, code, detail] = STEPS[Math.max(0, Math.min(step, STEPS.length - 1))];
		return { status, code, detail, final: false };
	}

	function present(m: SmsRecord): Record<string, unknown> {
		const now = clock.now();
		const s = state(m, now);
		const sent = s.final && s.status === 'sent';
		return {
			Sid: m.sid,
			AccountSid: accountSid,
			From: m.from,
			To: m.to,
			DateCreated: v1Time(m.createdAt),
			DateUpdated: v1Time(s.final ? finalAt(m) : m.createdAt + Math.min(STEPS.length - 1, Math.floor((now - m.createdAt) / Math.max(1, clock.stepMs))) * clock.stepMs),
			DateSent: sent ? v1Time(finalAt(m)) : null,
			Body: m.body,
			Direction: 'outbound-api',
			Uri: `/v1/Accounts/${accountSid}/SMS/Messages/${m.sid}.json`,
			Price: s.final ? (sent ? (0.2 * m.units).toFixed(3) : '0.000') : null,
			Status: s.status,
			DetailedStatusCode: s.code,
			DetailedStatus: s.detail,
			SmsUnits: m.units,
		};
	}

	function notify(m: SmsRecord): void {
		if (!m.statusCallback) return;
		const sent = m.final.status === 'sent';
		if (clock.callbackFormat === 'json') {
			sender.send(
				m.statusCallback,
				m.final.status,
				{ SmsSid: m.sid, To: m.to, From: m.from, Status: m.final.detail, ExoStatusCode: m.final.code, DateUpdated: v1Time(finalAt(m)) },
				'json',
			);
			return;
		}
		sender.send(
			m.statusCallback,
			m.final.status,
			{
				SmsSid: m.sid,
				To: m.to,
				Status: m.final.status,
				SmsUnits: m.units,
				DetailedStatus: m.final.detail,
				DetailedStatusCode: m.final.code,
				DateSent: sent ? v1Time(finalAt(m)) : '',
				CustomField: m.customField ?? '',
			},
			'form',
		);
	}

	// ----- request reading -----------------------------------------------------------------------

	/** The From as answered (`ExoPhone` or `ExoPhone/SenderID`); 400 40300 when neither. */
	function sender_(raw: string): string {
		const phones = exoPhonesOf(store);
		const phone = phones.find(raw);
		if (phone && !phone.capabilities.sms) fail(40301, `ExoPhone '${raw}' cannot send SMS`);
		if (phone) return indianNumber(phone.phone_number) ?? phone.phone_number;
		const id = phones.senderIds.find((s) => s.toUpperCase() === raw.trim().toUpperCase());
		if (!id) fail(40300, `From '${raw}' is neither an ExoPhone nor a sender ID of this account`);
		const first = phones.list[0];
		return first ? `${indianNumber(first.phone_number)}/${id}` : id;
	}

	function str(p: FormParams, key: string): string | undefined {
		const v = p[key];
		if (v === undefined) return undefined;
		if (typeof v !== 'string') fail(40200, `Parameter '${key}' must be a single value`);
		return v;
	}

	function checkCommon(p: FormParams, where = ''): { smsType: string | null } {
		const enc = str(p, 'EncodingType');
		if (enc !== undefined && enc !== '' && !['plain', 'unicode'].includes(enc)) fail(40205, `${where}EncodingType must be plain or unicode`);
		const pri = str(p, 'Priority');
		if (pri !== undefined && pri !== '' && !['normal', 'high'].includes(pri)) fail(40206, `${where}Priority must be normal or high`);
		const smsType = str(p, 'SmsType');
		if (smsType !== undefined && smsType !== '' && !SMS_TYPES.includes(smsType)) fail(40204, `${where}SmsType must be one of ${SMS_TYPES.join(', ')}`);
		const cb = str(p, 'StatusCallback');
		if (cb !== undefined && cb !== '' && !/^https?:\/\/\S+$/i.test(cb)) fail(40207, `${where}StatusCallback must be an http(s) URL`);
		return { smsType: smsType || null };
	}

	function checkBody(body: string | undefined, where = ''): string {
		if (body === undefined || body === '') fail(40200, `${where}Missing parameter 'Body'`);
		if (body.length > MAX_BODY) fail(40202, `${where}Body may have at most ${MAX_BODY} characters, has ${body.length}`);
		return body;
	}

	/** A promotional message due outside 10:00–21:00 India time goes out at the next 10:00. */
	function promoFinal(due: number, smsType: string | null): number {
		if (smsType !== 'promotional' || !clock.promoWindow) return due;
		const hour = Number(v1Time(due).slice(11, 13));
		if (hour >= 10 && hour < 21) return due;
		const day = v1Time(hour >= 21 ? due + 86_400_000 : due).slice(0, 10);
		return parseV1Time(`${day} 10:00:00`) ?? due;
	}

	type Outcome = { ok: true; record: SmsRecord } | { ok: false; to: string };

	function accept(drafts: Draft[]): Outcome[] {
		const now = clock.now();
		return drafts.map((d) => {
			const to = indianNumber(d.to);
			if (!to) return { ok: false, to: d.to };
			const m: SmsRecord = {
				sid: newSid(),
				createdAt: now,
				from: d.from,
				to,
				body: d.body,
				units: units(d.body),
				final: finalFor(to, clock.dndSpelling),
				customField: d.customField,
				statusCallback: d.statusCallback,
				smsType: d.smsType,
				finalAt: promoFinal(now + STEPS.length * clock.stepMs, d.smsType),
				notified: false,
			};
			return { ok: true, record: m };
		});
	}

	/** Stores the accepted ones (nothing when all were refused: 400 40203) and builds the array answer. */
	function commit(outcomes: Outcome[]): unknown[] {
		if (!outcomes.some((o) => o.ok)) fail(40203, 'None of the To numbers is a valid number');
		const items = outcomes.map((o) => {
			if (!o.ok) return { RestException: { Status: 400, Code: 40203, Message: `'${o.to}' is not a valid number` } };
			const m = o.record;
			byId.set(m.sid, m);
			pending.add(m);
			messages.push({ sid: m.sid, to: m.to, from: m.from, body: m.body });
			return { SMSMessage: present(m) };
		});
		schedule();
		return items;
	}

	function send(r: ApiRequest) {
		const p = formParams(r);
		const fromRaw = str(p, 'From');
		if (!fromRaw) fail(40200, "Missing parameter 'From'");
		const rawTo = list(p, 'To');
		if (!rawTo || rawTo.every((t) => t.trim() === '')) fail(40200, "Missing parameter 'To'");
		const tos = rawTo.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
		if (tos.length > MAX_BULK) fail(40406, `At most ${MAX_BULK} To numbers per request, got ${tos.length}`);
		const body = checkBody(str(p, 'Body'));
		const { smsType } = checkCommon(p);
		if (clock.requireDltEntityId && !str(p, 'DltEntityId')) fail(40208, "Missing parameter 'DltEntityId'");
		const from = sender_(fromRaw);
		const customField = str(p, 'CustomField') ?? null;
		const statusCallback = str(p, 'StatusCallback') || null;
		const drafts = tos.map((to) => ({ to, body, from, smsType, customField, statusCallback }));
		const items = commit(accept(drafts));
		const asList = typeof p.To !== 'string' || tos.length > 1;
		return v1Json(asList ? items : items[0], clock.postStatus);
	}

	function bulk(r: ApiRequest) {
		let top: FormParams;
		let raw: FormValue | undefined;
		let shape: keyof SmsClock['bulkShapes'];
		if (r.body.kind === 'json') {
			const v = asForm(r.body.value);
			if (!v || typeof v !== 'object' || Array.isArray(v)) fail(40201, "Parameter 'Messages' is mandatory");
			top = v;
			raw = top.sms;
			shape = 'json';
		} else {
			top = formParams(r);
			raw = top.Messages ?? top.Message;
			shape = top.Messages !== undefined ? 'messages' : 'message';
		}
		if (raw === undefined || !clock.bulkShapes[shape]) fail(40201, "Parameter 'Messages' is mandatory");
		const items = Array.isArray(raw) ? raw : [raw];
		if (items.length === 0) fail(40201, "Parameter 'Messages' is mandatory");
		if (items.length > MAX_BULK) fail(40400, `At most ${MAX_BULK} messages per request, got ${items.length}`);
		checkCommon(top);
		const topFrom = str(top, 'From');
		const statusCallback = str(top, 'StatusCallback') || null;
		const drafts: Draft[] = items.map((item, i) => {
			const where = `Message ${i + 1}: `;
			if (typeof item !== 'object' || Array.isArray(item)) fail(40201, `${where}must have To and Body`);
			const to = str(item, 'To');
			if (!to) fail(40200, `${where}Missing parameter 'To'`);
			const body = checkBody(str(item, 'Body'), where);
			const { smsType } = checkCommon(item, where);
			const fromRaw = str(item, 'From') || topFrom;
			if (!fromRaw) fail(40200, `${where}Missing parameter 'From'`);
			if (clock.requireDltEntityId && !str(item, 'DltEntityId') && !str(top, 'DltEntityId')) fail(40208, `${where}Missing parameter 'DltEntityId'`);
			return { to, body, from: sender_(fromRaw), smsType, customField: str(item, 'CustomField') ?? null, statusCallback };
		});
		const answer = commit(accept(drafts));
		return v1Json(clock.bulkOrder === 'reversed' ? answer.reverse() : answer, clock.postStatus);
	}

	function details(r: ApiRequest) {
		const sid = stripJson(r.params.smsSid);
		const m = byId.get(sid);
		if (m) return v1Json({ SMSMessage: present(m) });
		if (clock.notFound === '404') throw new RestError(404, 'No matching results');
		if (clock.notFound === 'text') return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'No matching results' };
		return v1Json({ RestException: { Status: 200, Message: 'No matching results' } });
	}

	return {
		routes: [
			{ api: 'v1', method: 'POST', path: '/Sms/send.json', handle: send },
			{ api: 'v1', method: 'POST', path: '/Sms/bulksend.json', handle: bulk },
			{ api: 'v1', method: 'GET', path: '/SMS/Messages/:smsSid', handle: details },
		],
		reset() {
			if (timer) clearTimeout(timer);
			timer = undefined;
			byId.clear();
			pending.clear();
			messages.length = 0;
			offsetMs = 0;
			sender.reset();
			Object.assign(clock, defaults());
		},
	};
};
