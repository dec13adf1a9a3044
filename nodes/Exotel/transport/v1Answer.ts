import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { asObject, notAnExotelAnswer, parseBody } from './envelope';
import type { RawResponse, ResponseContext } from './envelope';
import type { ExotelV1Answer } from './types';

/** What an HTTP status of a v1 answer means for the person running the workflow. */
const STATUS_HINTS: Record<number, string> = {
	400: 'Exotel refused a value of this request; its message names it.',
	401: 'Exotel rejected the API key or token. Check the credential and its region (Singapore or Mumbai).',
	402: "This account's Exotel plan does not include this API.",
	403: 'The account may not do this: a trial account, low balance, an inactive or unverified account, or a number outside its allowed countries.',
	404: 'The record does not exist in this Exotel account (check the SID, the account and the region).',
	409: 'Exotel refused it as a conflict with an existing record.',
	429: "Too many requests for this account's rate limit.",
};

/**
 * The error for Exotel's v1 error body, `{ "RestException": { "Status", "Message", "Code"? } }`. Its
 * `Status` repeats the HTTP status; `Code` (e.g. 40405) appears on some SMS errors.
 */
export function restExceptionError(
	node: INode,
	body: JsonObject,
	status: number,
	where: string,
	itemIndex: number | undefined,
): NodeApiError {
	const exception = asObject(body.RestException) ?? {};
	const code = exception.Code ?? exception.code;
	const text = String(exception.Message ?? exception.message ?? `HTTP ${status}`);
	const hint = STATUS_HINTS[status];
	return new NodeApiError(node, body, {
		message: `Exotel: ${text}${code !== undefined && code !== null && code !== '' ? ` (${String(code)})` : ''}`,
		description: [hint, `Request: ${where} (HTTP ${status}).`].filter(Boolean).join(' '),
		httpCode: String(status),
		itemIndex,
	});
}

/**
 * Reads an answer of Exotel's v1 (calls, SMS, numbers) or v2_beta (ExoPhones) API. Returns the parsed
 * JSON of a successful call as it comes (`{ Call: {…} }`, `{ Calls: […], Metadata }`, an array for
 * bulk SMS); throws a NodeApiError with Exotel's own message for `RestException` bodies, other error
 * answers and non-JSON pages.
 */
export function readV1Answer(node: INode, response: RawResponse, context: ResponseContext): ExotelV1Answer {
	const body = parseBody(response.body);
	const status = response.statusCode;
	const where = `${context.method} ${context.path}`;
	const object = asObject(body);
	if (object && asObject(object.RestException)) {
		throw restExceptionError(node, object as JsonObject, status, where, context.itemIndex);
	}
	const isJson = object !== undefined || Array.isArray(body);
	if (status >= 200 && status < 300 && isJson) return body as ExotelV1Answer;
	if (isJson) {
		throw new NodeApiError(node, { httpCode: String(status), body: JSON.stringify(body).slice(0, 500) }, {
			message: `Exotel answered HTTP ${status}`,
			description: [STATUS_HINTS[status], `Request: ${where}.`].filter(Boolean).join(' '),
			httpCode: String(status),
			itemIndex: context.itemIndex,
		});
	}
	throw notAnExotelAnswer(node, response, body, where, context.itemIndex);
}

/**
 * Whether an answer says "slow down, nothing was applied": a 429, or the 503 with code 40405 that
 * Exotel's SMS API sends when it throttles.
 */
export function isThrottled(response: RawResponse): boolean {
	if (response.statusCode === 429) return true;
	if (response.statusCode !== 503) return false;
	const exception = asObject(asObject(parseBody(response.body))?.RestException);
	return String(exception?.Code ?? exception?.code ?? '') === '40405';
}
