import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';

import { restExceptionError } from './v1Answer';
import type { ExotelEnvelope, ExotelErrorData, ExotelResult } from './types';

/** Exotel's error codes in words a workflow builder can act on. */
const ERROR_HINTS: Record<string, string> = {
	'1000': 'The record does not exist in this Exotel account (check the SID, the account and the region).',
	'1001': 'A mandatory field is missing.',
	'1002': 'A value is not in the format Exotel accepts.',
	'1003': 'The API key and token are valid but not for this account SID.',
	'1007': 'Exotel could not read the request body.',
	'1008': 'A record with the same unique value already exists.',
	'1010': 'Exotel rejected the API key or token. Check the credential and its region.',
	'1011': 'Exotel does not accept this content type for this endpoint.',
	'1100': 'Exotel had an internal error; trying again later usually works.',
};

export interface ResponseContext {
	method: string;
	path: string;
	itemIndex?: number;
}

export interface RawResponse {
	statusCode: number;
	body: unknown;
	headers?: IDataObject;
}

/** The value as a plain JSON object, or undefined for arrays, primitives and null. */
export function asObject(value: unknown): IDataObject | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: undefined;
}

/** Bodies come parsed when Exotel labels them JSON and as text otherwise; read both the same way. */
export function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return body;
	}
}

function isEnvelope(value: unknown): value is ExotelEnvelope {
	const object = asObject(value);
	return object !== undefined && 'response' in object;
}

/** A result's error in one line: "Invalid parameter (1002): number +91x is not E.164". */
export function describeExotelError(errorData: ExotelErrorData | null | undefined, fallback: string) {
	const code = errorData?.code !== undefined ? String(errorData.code) : undefined;
	const message = errorData?.message || fallback;
	const detail = errorData?.description && errorData.description !== message ? errorData.description : '';
	return {
		code,
		message: `${message}${code ? ` (${code})` : ''}${detail ? `: ${detail}` : ''}`,
		hint: code ? ERROR_HINTS[code] : undefined,
	};
}

function textSnippet(body: unknown): string {
	const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
	return text
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 200);
}

/**
 * Reads any Exotel answer. Returns the envelope of a successful call; throws a NodeApiError with
 * Exotel's own message for the v2 error envelope, the v1 `RestException` shape and non-JSON pages.
 */
export function readEnvelope(node: INode, response: RawResponse, context: ResponseContext): ExotelEnvelope {
	const body = parseBody(response.body);
	const status = response.statusCode;
	const where = `${context.method} ${context.path}`;

	if (status >= 200 && status < 300 && isEnvelope(body)) return body;

	const errorOptions = (message: string, description: string) => ({
		message,
		description,
		httpCode: String(status),
		itemIndex: context.itemIndex,
	});

	if (isEnvelope(body)) {
		const result = (Array.isArray(body.response) ? body.response[0] : body.response) as ExotelResult;
		const { message, hint } = describeExotelError(result?.error_data, `HTTP ${status}`);
		throw new NodeApiError(
			node,
			body as unknown as JsonObject,
			errorOptions(`Exotel: ${message}`, [hint, `Request: ${where} (HTTP ${status}).`].filter(Boolean).join(' ')),
		);
	}

	// Some v2 endpoints answer in the v1 shape.
	if (asObject(asObject(body)?.RestException)) {
		throw restExceptionError(node, body as JsonObject, status, where, context.itemIndex);
	}

	throw notAnExotelAnswer(node, response, body, where, context.itemIndex);
}

/** The error for an answer that is not Exotel's JSON at all (an HTML page from a proxy, an empty 200). */
export function notAnExotelAnswer(
	node: INode,
	response: RawResponse,
	body: unknown,
	where: string,
	itemIndex: number | undefined,
): NodeApiError {
	const status = response.statusCode;
	const contentType = String(response.headers?.['content-type'] ?? 'unknown content type');
	const snippet = textSnippet(body);
	return new NodeApiError(
		node,
		{ httpCode: String(status), body: snippet },
		{
			message:
				status >= 200 && status < 300
					? `Exotel answered ${where} with something that is not an Exotel response`
					: `Exotel answered HTTP ${status} with a page that is not JSON (${contentType})`,
			description: `This usually comes from a proxy or an outage in front of Exotel, not from Exotel's API. ${
				snippet ? `The page said: "${snippet}". ` : ''
			}Request: ${where}.`,
			httpCode: String(status),
			itemIndex,
		},
	);
}

/** The `data` of every successful record in an envelope (single object or list). */
export function envelopeRecords(envelope: ExotelEnvelope): IDataObject[] {
	const results = Array.isArray(envelope.response) ? envelope.response : [envelope.response];
	return results.filter((result) => result?.data).map((result) => result.data as IDataObject);
}

/** Each requested record's outcome in a bulk (207) answer, in request order. */
export function envelopeResults(envelope: ExotelEnvelope): ExotelResult[] {
	return Array.isArray(envelope.response) ? envelope.response : [envelope.response];
}

export function isFailure(result: ExotelResult | undefined): boolean {
	return !result || result.status === 'failure' || !result.data;
}
