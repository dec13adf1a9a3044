/**
 * Exotel's v2 answer shapes (envelope, per-item entries, bulk 207s, pages) and the request-reading
 * helpers every resource shares (JSON object body, bulk array, paging, sorting).
 */
import { isJsonContentType } from './body';
import type { ApiRequest } from './routing';
import { newSid } from './store';

export const MAX_BULK_ITEMS = 5000;

export const ERROR_MESSAGES: Record<number, string> = {
	1000: 'Not found',
	1001: 'Mandatory parameter missing',
	1002: 'Invalid parameter',
	1003: 'Authorization failed',
	1007: 'Invalid request body',
	1008: 'Duplicate resource',
	1010: 'Authentication failed',
	1011: 'Unsupported content type',
	1100: 'Internal error',
};

export interface ErrorData {
	code: number;
	message: string;
	description: string;
}

/** One item of a v2 `response` (the whole response for single-object calls, an array element for bulk ones). */
export interface Entry {
	code: number;
	status: 'success' | 'failure';
	error_data: ErrorData | null;
	data: unknown;
}

export interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string;
}

/** Thrown by handlers for a failure of the whole request; the core turns it into an error envelope. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: number,
		readonly description: string,
		readonly headers: Record<string, string> = {},
	) {
		super(description);
	}
}

export function success(data: unknown): Entry {
	return { code: 200, status: 'success', error_data: null, data };
}

/** A failure entry; `data` is null unless given (Exotel's 409s carry the existing record). */
export function failure(code: number, errorCode: number, description: string, data: unknown = null): Entry {
	return {
		code,
		status: 'failure',
		error_data: { code: errorCode, message: ERROR_MESSAGES[errorCode] ?? 'Error', description },
		data,
	};
}

export function isFailure(x: unknown): x is Entry {
	return isObject(x) && x.status === 'failure' && 'error_data' in x;
}

/** Throws a single-object call's failure entry as the HttpError it stands for. */
export function throwEntry(e: Entry): never {
	throw new HttpError(e.code, e.error_data?.code ?? 1002, e.error_data?.description ?? '');
}

export function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function envelope(method: string, httpCode: number, response: unknown, metadata?: Record<string, number>): Reply {
	const env: Record<string, unknown> = { request_id: newSid(), method, http_code: httpCode };
	if (metadata) env.metadata = metadata;
	env.response = response;
	return { status: httpCode, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(env) };
}

export function errorReply(method: string, status: number, code: number, description: string, headers: Record<string, string> = {}): Reply {
	const reply = envelope(method, status, failure(status, code, description));
	Object.assign(reply.headers, headers);
	return reply;
}

/** 207 with one entry per input item, in order, and {total, success, failed}. */
export function bulkReply(method: string, entries: Entry[]): Reply {
	let ok = 0;
	for (const e of entries) if (e.status === 'success') ok++;
	return envelope(method, 207, entries, { total: entries.length, success: ok, failed: entries.length - ok });
}

export function pageReply(method: string, all: readonly unknown[], offset: number, limit: number, map?: (item: unknown) => unknown): Reply {
	const page = all.slice(offset, offset + limit);
	const entries = page.map((item) => success(map ? map(item) : item));
	return envelope(method, 200, entries, { count: entries.length, offset, limit, total: all.length });
}

// ----- reading requests ------------------------------------------------------------------------

export function jsonObject(request: ApiRequest): Record<string, unknown> {
	if (request.body.kind === 'too-large') throw new HttpError(413, 1002, 'Request body too large');
	if (!isJsonContentType(request.contentType)) {
		throw new HttpError(415, 1011, `Content-Type must be application/json, got '${request.contentType || 'none'}'`);
	}
	if (request.body.kind !== 'json' || !isObject(request.body.value)) throw new HttpError(400, 1007, 'Body must be a JSON object');
	return request.body.value;
}

/** The `key` array of a bulk body: 1..MAX_BULK_ITEMS items. */
export function bulkArray(request: ApiRequest, key: string): unknown[] {
	const obj = jsonObject(request);
	const arr = obj[key];
	if (!Array.isArray(arr)) throw new HttpError(400, 1007, `Body must have a '${key}' array`);
	if (arr.length === 0) throw new HttpError(400, 1002, `'${key}' must not be empty`);
	if (arr.length > MAX_BULK_ITEMS) {
		throw new HttpError(400, 1002, `At most ${MAX_BULK_ITEMS} ${key} per request, got ${arr.length}`);
	}
	return arr;
}

export function paging(request: ApiRequest, cap: number): { offset: number; limit: number } {
	const rawOffset = request.query.get('offset');
	const rawLimit = request.query.get('limit');
	let offset = 0;
	let limit = 20;
	if (rawOffset !== null && rawOffset !== '') {
		if (!/^\d+$/.test(rawOffset)) throw new HttpError(400, 1002, `Invalid offset '${rawOffset}'`);
		offset = Number(rawOffset);
	}
	if (rawLimit !== null && rawLimit !== '') {
		// limit=0 is rejected so a client can never page forever on empty pages.
		if (!/^\d+$/.test(rawLimit) || Number(rawLimit) === 0) throw new HttpError(400, 1002, `Invalid limit '${rawLimit}'`);
		limit = Math.min(Number(rawLimit), cap);
	}
	return { offset, limit };
}

export function sortSpec(request: ApiRequest, fields: readonly string[]): { field: string; desc: boolean } {
	const raw = request.query.get('sort_by');
	if (raw === null || raw === '') return { field: 'date_created', desc: false };
	const [field, dir = 'asc', extra] = raw.split(':');
	if (!fields.includes(field) || !['asc', 'desc'].includes(dir.toLowerCase()) || extra !== undefined) {
		throw new HttpError(400, 1002, `Invalid sort_by '${raw}'; use one of ${fields.join(', ')} with :asc or :desc`);
	}
	return { field, desc: dir.toLowerCase() === 'desc' };
}

/** Null sorts after every string (like SQL NULLS LAST for ascending). */
export function compareNullable(a: string | null, b: string | null): number {
	if (a === b) return 0;
	if (a === null) return 1;
	if (b === null) return -1;
	return a < b ? -1 : 1;
}
