import { NodeApiError, sleep } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';

import { EXOTEL_REGION_HOSTS } from '../../../credentials/ExotelApi.credentials';
import { readEnvelope } from '../helpers/envelope';
import type { ExotelEnvelope, HttpMethod } from '../helpers/types';

export type ExotelContext = IExecuteFunctions | IExecuteSingleFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPE = 'exotelApi';

/** Attempts for one request, first try included. */
const MAX_ATTEMPTS = 5;
/** First wait after a 429 without Retry-After, or after a 5xx / dropped connection; doubles each time. */
const BACKOFF_BASE_MS = 500;
/** A Retry-After longer than this is not waited for: the error says when to try again instead. */
const MAX_RETRY_AFTER_MS = 120_000;

/** Requests that may be sent twice without creating anything twice. */
const IDEMPOTENT_METHODS = new Set<string>(['GET', 'PUT', 'DELETE']);

/** The account's API root from decrypted credentials (request defaults use the same as an expression). */
export function accountRoot(credentials: IDataObject): string {
	const region = String(credentials.region || 'singapore');
	const host =
		region === 'custom'
			? String(credentials.baseUrl ?? '').replace(/\/+$/, '')
			: EXOTEL_REGION_HOSTS[region as keyof typeof EXOTEL_REGION_HOSTS];
	return `${host}/v2/accounts/${encodeURIComponent(String(credentials.accountSid ?? '').trim())}`;
}

function retryAfterMs(headers: IDataObject | undefined): number | undefined {
	const value = headers?.['retry-after'];
	if (value === undefined) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Whether the user stopped the execution: waiting and retrying end there. */
export function isCancelled(context: ExotelContext): boolean {
	return 'getExecutionCancelSignal' in context && context.getExecutionCancelSignal()?.aborted === true;
}

/** What a dropped connection or timeout says, without the request (which carries the credentials). */
function networkFailure(error: unknown): { message: string; code?: string } {
	const object = (error ?? {}) as { message?: unknown; code?: unknown; cause?: { message?: unknown; code?: unknown } };
	const code = object.code ?? object.cause?.code;
	// n8n's request helper wraps the socket error in a NodeApiError with generic text ("You can retry
	// the request immediately…"); the socket's own message ("socket hang up") is on its cause.
	const message = object.cause?.message ?? object.message ?? error;
	return { message: String(message), code: code === undefined ? undefined : String(code) };
}

export interface ExotelRequest {
	method: HttpMethod;
	/** Path below the account root, already URL-encoded, e.g. `/contacts/abc`. */
	url: string;
	qs?: IDataObject;
	body?: IDataObject | Buffer;
	headers?: IDataObject;
	itemIndex?: number;
}

/**
 * The one way this node talks to Exotel. Sends with the credential's Basic auth, retries 429s after
 * Retry-After (or a growing backoff), retries 5xx and dropped connections only for methods that can
 * safely be repeated, and returns the envelope or throws Exotel's own error.
 */
export async function exotelRequest(
	context: ExotelContext,
	request: ExotelRequest | IHttpRequestOptions,
): Promise<ExotelEnvelope> {
	const method = (request.method ?? 'GET').toUpperCase() as HttpMethod;
	const baseURL =
		'baseURL' in request && request.baseURL
			? request.baseURL
			: accountRoot(await context.getCredentials(CREDENTIAL_TYPE));
	const body = request.body as IDataObject | Buffer | undefined;
	const isBinary = Buffer.isBuffer(body);
	const options: IHttpRequestOptions = {
		url: request.url,
		baseURL,
		method,
		qs: request.qs,
		headers: { Accept: 'application/json', ...(request.headers ?? {}) },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		json: !isBinary,
	};
	// RoutingNode hands over an empty body even for GET; only send one that says something.
	if (body !== undefined && (isBinary || Object.keys(body).length > 0)) options.body = body;
	const itemIndex = 'itemIndex' in request ? request.itemIndex : undefined;
	const where = { method, path: request.url, itemIndex };
	const mayRepeat = IDEMPOTENT_METHODS.has(method);

	for (let attempt = 1; ; attempt++) {
		const backoff = BACKOFF_BASE_MS * 2 ** (attempt - 1);
		let response: { statusCode: number; body: unknown; headers: IDataObject };
		try {
			response = await context.helpers.httpRequestWithAuthentication.call(
				context,
				CREDENTIAL_TYPE,
				options,
			);
		} catch (error) {
			const failure = networkFailure(error);
			if (mayRepeat && attempt < MAX_ATTEMPTS && !isCancelled(context)) {
				await sleep(backoff);
				continue;
			}
			const networkError = new NodeApiError(context.getNode(), failure as JsonObject, {
				description: mayRepeat
					? `${method} ${request.url} failed ${attempt} times. Check the credential's region or base URL and the network.`
					: `The connection broke during ${method} ${request.url}. Exotel may have applied the request before it broke, so it was not sent again: check in Exotel (or list the records) before running it again.`,
				itemIndex,
			});
			// Set after construction: NodeApiError swaps a message for its generic text when the error
			// code is a common one (ECONNRESET: "You can retry the request immediately"), which is wrong
			// for a bulk POST that may have been applied.
			networkError.message = `Could not reach Exotel: ${failure.message}`;
			throw networkError;
		}

		const { statusCode } = response;
		const throttled = statusCode === 429;
		const serverError = statusCode >= 500;
		if ((throttled || (serverError && mayRepeat)) && attempt < MAX_ATTEMPTS && !isCancelled(context)) {
			const wait = throttled ? retryAfterMs(response.headers) ?? backoff : backoff;
			if (wait <= MAX_RETRY_AFTER_MS) {
				await sleep(wait);
				continue;
			}
		}
		try {
			return readEnvelope(context.getNode(), response, where);
		} catch (error) {
			// readEnvelope only throws NodeApiError; wrapping hands back the same error.
			const apiError = new NodeApiError(context.getNode(), error as JsonObject);
			if (serverError && !mayRepeat) {
				apiError.description = `${apiError.description ?? ''} Exotel may have applied part of this ${method} before failing, so it was not sent again: check in Exotel before running it again.`.trim();
			}
			if (throttled) {
				apiError.description = `${apiError.description ?? ''} Exotel's rate limit is about 200 requests a minute; still limited after ${attempt} attempts.`.trim();
			}
			throw apiError;
		}
	}
}
