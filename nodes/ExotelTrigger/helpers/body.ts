import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { asObject } from '../../Exotel/transport/envelope';

/** Exotel's callbacks are a few hundred bytes; anything this large is not one of them. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type CallbackBody = { ok: true; fields: IDataObject } | { ok: false; reason: string };

/** The parts of n8n's request object this node reads (n8n adds `rawBody`/`readRawBody`). */
interface CallbackRequest {
	headers: Record<string, string | string[] | undefined>;
	rawBody?: { length: number; toString(encoding: 'utf8'): string };
	readRawBody?: () => Promise<void>;
}

const TOO_LARGE = `Body is larger than ${MAX_BODY_BYTES} bytes`;
const NOT_FIELDS = 'Body is not JSON, form-urlencoded or multipart form fields';


/** Copies a parsed body into a plain object; `fromEntries` keeps a `__proto__` key as data. */
function toFields(value: Record<string, unknown>): IDataObject {
	return Object.fromEntries(Object.entries(value)) as IDataObject;
}

function header(request: CallbackRequest, name: string): string {
	const value = request.headers[name];
	return (Array.isArray(value) ? value[0] : value ?? '').toLowerCase();
}

function decodeFormComponent(text: string): string {
	return decodeURIComponent(text.replace(/\+/g, ' '));
}

/**
 * Strict form-urlencoded parsing: every pair needs `key=`, so plain text is not taken for a form.
 * A repeated key gives an array, as n8n's own form parsing does.
 */
function parseForm(text: string): IDataObject | undefined {
	const fields: IDataObject = {};
	for (const pair of text.split('&')) {
		if (pair === '') continue;
		const equals = pair.indexOf('=');
		if (equals <= 0) return undefined;
		let key: string;
		let value: string;
		try {
			key = decodeFormComponent(pair.slice(0, equals));
			value = decodeFormComponent(pair.slice(equals + 1));
		} catch {
			return undefined;
		}
		const previous = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined;
		const next =
			previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
		Object.defineProperty(fields, key, { value: next, enumerable: true, writable: true, configurable: true });
	}
	return Object.keys(fields).length > 0 ? fields : undefined;
}

/** A body n8n left as text (text/plain, or no or another content type): JSON first, then a form. */
function parseText(text: string): CallbackBody {
	const trimmed = text.trim();
	if (trimmed === '') return { ok: false, reason: 'Body is empty' };
	if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
		try {
			const parsed = asObject(JSON.parse(trimmed));
			if (parsed) return { ok: true, fields: toFields(parsed) };
		} catch {
			// Not JSON: reported below.
		}
		return { ok: false, reason: NOT_FIELDS };
	}
	const form = parseForm(trimmed);
	return form ? { ok: true, fields: form } : { ok: false, reason: NOT_FIELDS };
}

function approximateSize(fields: IDataObject): number {
	try {
		return JSON.stringify(fields).length;
	} catch {
		return 0;
	}
}

/**
 * The callback's fields from the body n8n parsed before `webhook()` ran: JSON and form-urlencoded
 * arrive as objects, multipart as `{ data: fields, files }`, text as a string, and any other or no
 * content type as nothing (then the raw body is read and tried as JSON, then as a form).
 */
export async function readCallbackBody(context: IWebhookFunctions): Promise<CallbackBody> {
	const request = context.getRequestObject() as unknown as CallbackRequest;
	const declaredLength = Number(header(request, 'content-length'));
	if (Number.isFinite(declaredLength) && declaredLength > MAX_BODY_BYTES) return { ok: false, reason: TOO_LARGE };

	const body: unknown = context.getBodyData();
	let result: CallbackBody;
	if (header(request, 'content-type').startsWith('multipart/form-data')) {
		const data = asObject(asObject(body)?.data);
		result = data ? { ok: true, fields: toFields(data) } : { ok: false, reason: NOT_FIELDS };
	} else if (asObject(body) && !(body instanceof Uint8Array)) {
		result = { ok: true, fields: toFields(body as IDataObject) };
	} else if (typeof body === 'string') {
		result = parseText(body);
	} else if (body === undefined || body === null) {
		if (request.rawBody === undefined && request.readRawBody) await request.readRawBody();
		const raw = request.rawBody;
		if (raw !== undefined && raw.length > MAX_BODY_BYTES) return { ok: false, reason: TOO_LARGE };
		result = parseText(raw === undefined ? '' : raw.toString('utf8'));
	} else {
		// A JSON array, number or boolean: valid JSON, but not a callback.
		result = { ok: false, reason: NOT_FIELDS };
	}

	if (!result.ok) return result;
	if (Object.keys(result.fields).length === 0) return { ok: false, reason: 'Body has no fields' };
	// No Content-Length (chunked): the raw body's size if n8n read it, else the fields' own size.
	const size = request.rawBody?.length ?? approximateSize(result.fields);
	if (size > MAX_BODY_BYTES) return { ok: false, reason: TOO_LARGE };
	return result;
}
