/**
 * Exotel's v1 (calls, SMS, numbers) and v2_beta (ExoPhones) conventions, shared by their resources:
 * - Errors: `{"RestException":{"Status":<http>,"Message":"…","Code":<code>}}`, `Code` only where Exotel
 *   gives one (SMS codes such as 40204); thrown as RestError, turned into a body by the core.
 * - Answers are JSON when the path ends `.json`; without it v1 answers XML (`<TwilioResponse>…`), which
 *   the core derives from the JSON answer (v2_beta is JSON only).
 * - Request bodies are form-urlencoded (or multipart) with bracket keys: `StatusCallbackEvents[0]=terminal`,
 *   `Messages[0][To]=…` are read into nested values (arrays where every key is an index, in index order),
 *   and a repeated key (`To=a&To=b`) into an array.
 * - Times are zoneless `YYYY-MM-DD HH:mm:ss` in India time (UTC+5:30); numbers are answered as `0XXXXXXXXXX`.
 */
import type { ParsedBody } from './body';
import { HttpError, isObject, type Reply } from './replies';
import type { ApiRequest } from './routing';

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormParams = Record<string, FormValue>;

/** A v1 / v2_beta failure of the whole request; `restCode` becomes the body's `Code` when given. */
export class RestError extends HttpError {
	constructor(
		status: number,
		message: string,
		readonly restCode?: number | string,
		headers: Record<string, string> = {},
	) {
		super(status, typeof restCode === 'number' ? restCode : 0, message, headers);
	}
}

export function restExceptionBody(status: number, message: string, code?: number | string): string {
	const ex: Record<string, unknown> = { Status: status, Message: message };
	if (code !== undefined) ex.Code = code;
	return JSON.stringify({ RestException: ex });
}

export function restException(status: number, message: string, code?: number | string, headers: Record<string, string> = {}): Reply {
	return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: restExceptionBody(status, message, code) };
}

export function v1Json(data: unknown, status = 200): Reply {
	return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(data) };
}

// ----- XML (v1 paths without .json) ------------------------------------------------------------

function escapeXml(s: string): string {
	return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

function xmlOf(key: string, value: unknown): string {
	if (Array.isArray(value)) {
		// {"Calls":[{"Sid"…}]} → <Calls><Call>…</Call></Calls>; [{"SMSMessage":{…}}] items keep their own key.
		const inner = value
			.map((v) => (isObject(v) && Object.keys(v).length === 1 && isObject(Object.values(v)[0]) ? xmlFields(v) : xmlOf(key.replace(/s$/, ''), v)))
			.join('');
		return `<${key}>${inner}</${key}>`;
	}
	if (isObject(value)) return `<${key}>${xmlFields(value)}</${key}>`;
	if (value === null || value === undefined) return `<${key}/>`;
	return `<${key}>${escapeXml(String(value))}</${key}>`;
}

function xmlFields(obj: Record<string, unknown>): string {
	return Object.entries(obj)
		.map(([k, v]) => xmlOf(k, v))
		.join('');
}

/** The XML form of a v1 JSON answer: `<TwilioResponse>` around its fields (an array's items side by side). */
export function toXmlReply(reply: Reply): Reply {
	let value: unknown;
	try {
		value = JSON.parse(reply.body);
	} catch {
		return reply;
	}
	const inner = Array.isArray(value) ? value.map((v) => (isObject(v) ? xmlFields(v) : '')).join('') : isObject(value) ? xmlFields(value) : '';
	const body = `<?xml version="1.0" encoding="UTF-8"?>\n<TwilioResponse>${inner}</TwilioResponse>`;
	return { status: reply.status, headers: { ...reply.headers, 'Content-Type': 'application/xml; charset=utf-8' }, body };
}

// ----- request bodies --------------------------------------------------------------------------

/** `a[0][b]` → ['a', '0', 'b']; a key without brackets is one segment; `a[]` appends. */
function keyPath(key: string): string[] {
	const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
	if (!m) return [key];
	const out = [m[1]];
	const re = /\[([^[\]]*)\]/g;
	let s: RegExpExecArray | null;
	while ((s = re.exec(m[2])) !== null) out.push(s[1]);
	return out;
}

type Node = { [key: string]: Node | string[] };

/** Nested values from ordered key/value pairs; see the header comment. */
export function nestPairs(pairs: Iterable<[string, string]>): FormParams {
	const root: Node = {};
	let appendSeq = 0;
	for (const [key, value] of pairs) {
		const path = keyPath(key).map((p) => (p === '' ? `\u0000${String(appendSeq++).padStart(9, '0')}` : p));
		let node = root;
		for (let i = 0; i < path.length - 1; i++) {
			const existing = node[path[i]];
			if (existing === undefined || Array.isArray(existing)) node = node[path[i]] = {} as Node;
			else node = existing;
		}
		const last = path[path.length - 1];
		const existing = node[last];
		if (Array.isArray(existing)) existing.push(value);
		else node[last] = [value];
	}
	return finish(root) as FormParams;
}

function finish(node: Node | string[]): FormValue {
	if (Array.isArray(node)) return node.length === 1 ? node[0] : node;
	const keys = Object.keys(node);
	const isIndex = (k: string) => /^\d+$/.test(k) || k.startsWith('\u0000');
	if (keys.length > 0 && keys.every(isIndex)) {
		const sortKey = (k: string) => (k.startsWith('\u0000') ? 1e12 + Number(k.slice(1)) : Number(k));
		return keys.sort((a, b) => sortKey(a) - sortKey(b)).map((k) => finish(node[k]));
	}
	const out: Record<string, FormValue> = {};
	for (const k of keys) out[k] = finish(node[k]);
	return out;
}

/** The form parameters of a v1 request (form-urlencoded or multipart body); a JSON body counts as no parameters. */
export function formParams(request: ApiRequest): FormParams {
	return formParamsOf(request.body);
}

export function formParamsOf(body: ParsedBody): FormParams {
	if (body.kind === 'text') return nestPairs(new URLSearchParams(body.raw));
	if (body.kind === 'multipart') return nestPairs(body.pairs);
	if (body.kind === 'too-large') throw new RestError(413, 'Request body too large');
	if (body.kind === 'malformed-multipart') throw new RestError(400, `Malformed multipart body: ${body.reason}`);
	return {};
}

/** The query string of a GET, read like a form (a repeated key becomes an array). */
export function queryParams(request: ApiRequest): FormParams {
	return nestPairs(request.query.entries());
}

/** A single text value; an array or nested value is a 400 naming the parameter. */
export function text(params: FormParams, key: string): string | undefined {
	const v = params[key];
	if (v === undefined) return undefined;
	if (typeof v !== 'string') throw new RestError(400, `Parameter '${key}' must be a single value`);
	return v;
}

export function requiredText(params: FormParams, key: string, code?: number): string {
	const v = text(params, key);
	if (v === undefined || v.trim() === '') throw new RestError(400, `Missing parameter '${key}'`, code);
	return v;
}

/** A list parameter sent indexed (`K[0]`, `K[1]`), repeated (`K=a&K=b`) or once: its strings in order. */
export function list(params: FormParams, key: string): string[] | undefined {
	const v = params[key];
	if (v === undefined) return undefined;
	if (typeof v === 'string') return [v];
	if (Array.isArray(v) && v.every((x): x is string => typeof x === 'string')) return v;
	throw new RestError(400, `Parameter '${key}' must be a list of values`);
}

/** `abc.json` → `abc` (route params of v1 paths keep the extension). */
export function stripJson(segment: string): string {
	return segment.replace(/\.json$/i, '');
}

// ----- times and numbers -----------------------------------------------------------------------

const IST_MS = 330 * 60_000;

/** `YYYY-MM-DD HH:mm:ss` in India time. */
export function v1Time(ms: number): string {
	return new Date(ms + IST_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Reads `YYYY-MM-DD HH:mm:ss` (or just the date) as India time; undefined when malformed. */
export function parseV1Time(s: string): number | undefined {
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s.trim());
	if (!m) return undefined;
	const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) - IST_MS;
	const back = new Date(ms + IST_MS);
	if (back.getUTCMonth() !== +m[2] - 1 || back.getUTCDate() !== +m[3]) return undefined;
	return ms;
}

/**
 * An Indian number in Exotel's answer form `0XXXXXXXXXX` (0 + ten digits: mobile, or STD code + landline)
 * from `+91XXXXXXXXXX`, `91XXXXXXXXXX`, `0XXXXXXXXXX` or `XXXXXXXXXX` (spaces and dashes ignored);
 * undefined for anything else, including other countries.
 */
export function indianNumber(raw: string): string | undefined {
	const s = raw.replace(/[\s()-]/g, '');
	let m: RegExpExecArray | null;
	if ((m = /^\+91(\d{10})$/.exec(s)) || (m = /^0091(\d{10})$/.exec(s)) || (m = /^91(\d{10})$/.exec(s)) || (m = /^0(\d{10})$/.exec(s)) || (m = /^(\d{10})$/.exec(s))) {
		if (m[1][0] === '0') return undefined;
		return '0' + m[1];
	}
	return undefined;
}

/** `sip:…` addresses pass through as sent. */
export function isSip(raw: string): boolean {
	return /^sips?:/i.test(raw.trim());
}
