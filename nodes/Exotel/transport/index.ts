import { NodeApiError, sleep } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INode, JsonObject } from 'n8n-workflow';

import { EXOTEL_REGION_HOSTS } from '../../../credentials/ExotelApi.credentials';
import { readEnvelope } from './envelope';
import type { RawResponse, ResponseContext } from './envelope';
import { formBody } from './formBody';
import type { ApiFamily, ExotelApiVersion, ExotelEnvelope, ExotelV1Answer, HttpMethod } from './types';
import { isThrottled, readV1Answer } from './v1Answer';
import { cancelSignal, isCancelled } from './context';
import type { ExotelContext } from './context';
import { cancelledError, connectionError, readNetworkFailure, timeoutError } from './networkErrors';
import type { RequestPlace } from './networkErrors';
import { DEFAULT_MAX_HOLD_MS, governorFor } from './rateGovernor';
import type { Turn, WaitReport } from './rateGovernor';
import { userRequestOptions } from './requestOptions';
import { BACKOFF_BASE_MS, DEFAULT_TIMEOUT_MS, NO_ANSWER_BUDGET_MS, TIMEOUT_PER_RECORD_MS } from './timing';
import type { UserRequestOptions } from './requestOptions';

export { cancelSignal, isCancelled } from './context';
export type { ExotelContext } from './context';

export const CREDENTIAL_TYPE = 'exotelApi';

/** Exotel's documented request budget, used when the credential does not say. */
export const DEFAULT_REQUESTS_PER_MINUTE = 200;

/** Attempts for a request that failed with a 5xx or a broken connection (idempotent methods only). */
const MAX_ATTEMPTS = 5;
/** Attempts for a request Exotel did not answer at all (idempotent methods only). */
const MAX_TIMEOUT_ATTEMPTS = 3;
/** An upload also gets a second per this many bytes (a slow 2 Mbit/s uplink). */
const UPLOAD_BYTES_PER_SECOND = 256 * 1024;
/** How long one request may be held by Exotel's rate limit (429s) before it gives up. */
export const MAX_RATE_LIMIT_WAIT_MS = DEFAULT_MAX_HOLD_MS;
/** 429s one request takes before giving up, however short Exotel says the waits are. */
const MAX_THROTTLED_ANSWERS = 30;

/** Requests that may be sent twice without creating anything twice. */
const IDEMPOTENT_METHODS = new Set<string>(['GET', 'PUT', 'DELETE']);

/** Each API's path prefix before the account SID. */
const API_PREFIXES: Record<ExotelApiVersion, string> = { v2: '/v2/accounts/', v1: '/v1/Accounts/', v2_beta: '/v2_beta/Accounts/' };

/** The account's API root from decrypted credentials (request defaults use the same as an expression). */
export function accountRoot(credentials: IDataObject, api: ExotelApiVersion = 'v2'): string {
	const region = String(credentials.region || 'singapore');
	const host =
		region === 'custom'
			? String(credentials.baseUrl ?? '').replace(/\/+$/, '')
			: EXOTEL_REGION_HOSTS[region as keyof typeof EXOTEL_REGION_HOSTS];
	return `${host}${API_PREFIXES[api]}${encodeURIComponent(String(credentials.accountSid ?? '').trim())}`;
}

/** The family of Exotel's rate limits a request counts against. */
export function apiFamily(api: ExotelApiVersion, path: string): ApiFamily {
	if (api === 'v2') return /^\/?campaigns\b/i.test(path) ? 'campaigns' : 'contacts';
	if (/^\/?sms\/bulksend\b/i.test(path)) return 'smsBulk';
	return /^\/?sms\b/i.test(path) ? 'sms' : 'voice';
}

/** Exotel's own limit for a family where it sets one below an account's usual budget. */
const FAMILY_CEILINGS: Partial<Record<ApiFamily, number>> = {
	// Dynamic bulk SMS (up to 100 messages a request) is limited to 50 requests a minute.
	smsBulk: 50,
};

/** The pace for a family: the credential's budget, never above Exotel's own limit for that family. */
function familyBudget(credentials: IDataObject, family: ApiFamily): number {
	return Math.min(requestsPerMinuteOf(credentials), FAMILY_CEILINGS[family] ?? Infinity);
}

interface ContextState {
	node: INode;
	userOptions: UserRequestOptions;
	signal: AbortSignal | undefined;
}

/**
 * What stays the same for every request from one context (a Get Many's pages, a bulk run's batches):
 * read once, since `getNode()` copies the node and `getNodeParameter()` resolves the parameter each time.
 */
const contextStates = new WeakMap<ExotelContext, ContextState>();

function contextState(context: ExotelContext): ContextState {
	let state = contextStates.get(context);
	if (!state) {
		state = { node: context.getNode(), userOptions: userRequestOptions(context), signal: cancelSignal(context) };
		contextStates.set(context, state);
	}
	return state;
}

/**
 * Decrypted credentials, once per node run instead of once per request (n8n reads and decrypts them
 * from its database on every call). Keyed by execution and node; the oldest runs are forgotten.
 */
const credentialsByRun = new Map<string, Promise<ICredentialDataDecryptedObject>>();
const REMEMBERED_RUNS = 32;

export async function credentialsOf(context: ExotelContext): Promise<ICredentialDataDecryptedObject> {
	// Load-options calls (the editor's list search) run outside any execution.
	if (!('getExecutionCancelSignal' in context)) return await context.getCredentials(CREDENTIAL_TYPE);
	const key = `${context.getExecutionId()}:${contextState(context).node.id}`;
	let credentials = credentialsByRun.get(key);
	if (!credentials) {
		credentials = context.getCredentials(CREDENTIAL_TYPE);
		credentialsByRun.set(key, credentials);
		credentials.catch(() => credentialsByRun.delete(key));
		if (credentialsByRun.size > REMEMBERED_RUNS) credentialsByRun.delete(credentialsByRun.keys().next().value as string);
	}
	return await credentials;
}

function requestsPerMinuteOf(credentials: IDataObject): number {
	const value = Number(credentials.requestsPerMinute);
	return Number.isFinite(value) && value > 0 ? value : DEFAULT_REQUESTS_PER_MINUTE;
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}

function minutesAndSeconds(ms: number): string {
	const total = Math.round(ms / 1000);
	if (total >= 3600) return `${Math.floor(total / 3600)} h ${Math.floor((total % 3600) / 60)} min`;
	return total >= 60 ? `${Math.floor(total / 60)} min ${total % 60} s` : `${total} s`;
}

export interface ExotelRequest {
	method: HttpMethod;
	/** Path below the account root, already URL-encoded, e.g. `/contacts/abc`. */
	url: string;
	qs?: IDataObject;
	body?: IDataObject | Buffer;
	headers?: IDataObject;
	itemIndex?: number;
	/** Which of Exotel's APIs (default `v2`); `v1` bodies go form-urlencoded. */
	api?: ExotelApiVersion;
	/** Records a bulk request carries: its timeout grows with them. */
	records?: number;
}

/**
 * Whether Exotel's error answered a resent request whose earlier attempt may have been applied (no
 * answer, a 5xx, a broken connection): a DELETE's 404 then means the first attempt deleted it.
 */
export function answeredAfterLostAnswer(error: unknown): boolean {
	return error instanceof NodeApiError && error.context.afterLostAnswer === true;
}

/**
 * The one way this node talks to Exotel. Every request of every operation:
 * - waits for its turn with the account's rate governor, and on 429 waits as Exotel says (or until
 *   its window has passed) and is sent again in its place: a 429 applied nothing, so a POST is safe;
 * - honours Settings → Request Options (proxy, timeout, ignore SSL issues);
 * - has a timeout; a request that got no answer, a 5xx or a broken connection is sent again only
 *   when its method is idempotent;
 * - stops at once when the execution is cancelled: nothing is sent after that;
 * and returns Exotel's envelope or throws Exotel's own error.
 */
export async function exotelRequest(
	context: ExotelContext,
	request: ExotelRequest | IHttpRequestOptions,
): Promise<ExotelEnvelope> {
	return await send(context, request, readEnvelope);
}

/**
 * The same for Exotel's v1 API (calls, SMS, numbers) and v2_beta (ExoPhones): `request.api` says which
 * (default `v1`); a body goes form-urlencoded, with arrays indexed. Returns the answer's JSON as it comes.
 */
export async function exotelV1Request(context: ExotelContext, request: ExotelRequest): Promise<ExotelV1Answer> {
	return await send(context, { ...request, api: request.api ?? 'v1' }, readV1Answer);
}

type AnswerReader<T> = (node: INode, response: RawResponse, place: ResponseContext) => T;

async function send<T>(
	context: ExotelContext,
	request: ExotelRequest | IHttpRequestOptions,
	readAnswer: AnswerReader<T>,
): Promise<T> {
	const method = (request.method ?? 'GET').toUpperCase() as HttpMethod;
	const { node, userOptions, signal } = contextState(context);
	const credentials = await credentialsOf(context);
	const api: ExotelApiVersion = ('api' in request && request.api) || 'v2';
	const baseURL = 'baseURL' in request && request.baseURL ? request.baseURL : accountRoot(credentials, api);
	const family = apiFamily(api, request.url);
	const governor = governorFor(`${accountRoot(credentials)}#${family}`, familyBudget(credentials, family));

	const isForm = api === 'v1' && request.body !== undefined && !Buffer.isBuffer(request.body);
	const body = isForm ? formBody(request.body as IDataObject) : (request.body as IDataObject | Buffer | undefined);
	const isBinary = Buffer.isBuffer(body);
	const records = 'records' in request && request.records ? request.records : 0;
	const timeoutMs =
		userOptions.timeoutMs ??
		DEFAULT_TIMEOUT_MS +
			records * TIMEOUT_PER_RECORD_MS +
			(isBinary ? Math.ceil(((body as Buffer).length / UPLOAD_BYTES_PER_SECOND) * 1000) : 0);
	const options: IHttpRequestOptions = {
		url: request.url,
		baseURL,
		method,
		qs: request.qs,
		headers: {
			Accept: 'application/json',
			...(isForm ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
			...(request.headers ?? {}),
		},
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		json: !isBinary && !isForm,
		timeout: timeoutMs,
	};
	if (userOptions.proxy) options.proxy = userOptions.proxy;
	if (userOptions.skipSslCertificateValidation) options.skipSslCertificateValidation = true;
	if (signal) options.abortSignal = signal;
	// RoutingNode hands over an empty body even for GET; only send one that says something.
	if (typeof body === 'string') {
		if (body) options.body = body;
	} else if (body !== undefined && (isBinary || Object.keys(body).length > 0)) options.body = body;

	const itemIndex = 'itemIndex' in request ? request.itemIndex : undefined;
	const place: RequestPlace = {
		method,
		path: request.url,
		host: hostOf(baseURL),
		itemIndex,
		proxyForDisplay: userOptions.proxyForDisplay,
	};
	const mayRepeat = IDEMPOTENT_METHODS.has(method);
	const logWait = ({ waitMs, reason }: WaitReport) =>
		context.logger?.info(`Exotel: ${method} ${request.url} waits ${minutesAndSeconds(waitMs)} (${reason})`, {
			node: node.name,
		});

	const started = Date.now();
	let failedAttempts = 0;
	let timedOutAttempts = 0;
	let rateLimitWaitMs = 0;
	let throttledAnswers = 0;
	// An earlier attempt reached Exotel but its answer was lost: it may have been applied.
	let lostAnswer = false;
	for (;;) {
		const held = governor.holdRemainingMs();
		if (held > 0 && rateLimitWaitMs + held > MAX_RATE_LIMIT_WAIT_MS) {
			throw rateLimitError(context, undefined, place, rateLimitWaitMs, throttledAnswers, governor.requestsPerMinute, held);
		}
		let turn: Turn;
		try {
			turn = await governor.acquire(signal, logWait);
			rateLimitWaitMs += turn.heldMs;
		} catch {
			// The governor only rejects when the execution's cancel signal fired.
			throw cancelledError(node, place, false);
		}
		if (isCancelled(context)) throw cancelledError(node, place, false);

		let response: RawResponse;
		try {
			response = (await authenticatedRequest(context, options, signal)) as RawResponse;
		} catch (error) {
			const failure = readNetworkFailure(error);
			if (failure.cancelled || isCancelled(context)) throw cancelledError(node, place, true);
			if (failure.timedOut) {
				timedOutAttempts++;
				const elapsed = Date.now() - started;
				const canRetry =
					mayRepeat &&
					timedOutAttempts < MAX_TIMEOUT_ATTEMPTS &&
					elapsed + timeoutMs <= Math.max(NO_ANSWER_BUDGET_MS, timeoutMs);
				if (canRetry) {
					lostAnswer = true;
					await backoff(context, place, timedOutAttempts);
					continue;
				}
				throw timeoutError(node, place, timeoutMs, timedOutAttempts, mayRepeat);
			}
			failedAttempts++;
			// A host that does not exist will not exist a second later either.
			const hopeless = failure.code === 'ENOTFOUND';
			if (mayRepeat && !hopeless && failedAttempts < MAX_ATTEMPTS) {
				// A refused connection never reached Exotel.
				if (failure.code !== 'ECONNREFUSED') lostAnswer = true;
				await backoff(context, place, failedAttempts);
				continue;
			}
			throw connectionError(node, place, failure, failedAttempts, mayRepeat);
		}

		const { statusCode } = response;
		if (isThrottled(response)) {
			throttledAnswers++;
			// The governor holds the account; the next turn waits it out (and counts it).
			const wait = governor.throttled(response.headers, turn);
			if (!wait.refused && rateLimitWaitMs + wait.waitMs <= MAX_RATE_LIMIT_WAIT_MS && throttledAnswers < MAX_THROTTLED_ANSWERS) {
				continue;
			}
			throw rateLimitError(
				context,
				response,
				place,
				wait.refused ? 0 : rateLimitWaitMs,
				throttledAnswers,
				governor.requestsPerMinute,
				wait.waitMs,
			);
		}
		governor.accepted(response.headers, turn);

		const serverError = statusCode >= 500;
		if (serverError && mayRepeat && failedAttempts + 1 < MAX_ATTEMPTS) {
			failedAttempts++;
			lostAnswer = true;
			await backoff(context, place, failedAttempts);
			continue;
		}
		try {
			return readAnswer(node, response, place);
		} catch (error) {
			// The readers only throw NodeApiError.
			const apiError = error as NodeApiError;
			if (lostAnswer) apiError.context.afterLostAnswer = true;
			if (!(serverError && !mayRepeat)) throw apiError;
			apiError.description = `${apiError.description ?? ''} Exotel may have applied part of this ${method} before failing, so it was not sent again: check in Exotel before running it again.`.trim();
			throw apiError;
		}
	}
}

/**
 * n8n's authenticated request helper (it applies the credential's Basic auth). It replaces the request's
 * abort signal with the execution's own, which routed operations do not have (see context.ts), so the
 * request also ends when this node's cancel signal fires.
 */
async function authenticatedRequest(
	context: ExotelContext,
	options: IHttpRequestOptions,
	signal: AbortSignal | undefined,
): Promise<unknown> {
	const request = context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options);
	if (!signal) return await request;
	let onAbort = () => {};
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(Object.assign(new Error('The execution was cancelled'), { name: 'AbortError' }));
		if (signal.aborted) onAbort();
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([request, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
		request.catch(() => undefined);
	}
}

/** Waits before sending a failed idempotent request again; a cancel ends the wait and the request. */
async function backoff(context: ExotelContext, place: RequestPlace, failures: number): Promise<void> {
	try {
		await sleep(BACKOFF_BASE_MS * 2 ** (failures - 1), cancelSignal(context));
	} catch {
		throw cancelledError(context.getNode(), place, false);
	}
}

function rateLimitError(
	context: ExotelContext,
	response: RawResponse | undefined,
	place: RequestPlace,
	waitedMs: number,
	answers: number,
	requestsPerMinute: number,
	askedMs: number,
): NodeApiError {
	let apiError = new NodeApiError(context.getNode(), { message: 'Rate limit exceeded', httpCode: '429' } as JsonObject, {
		itemIndex: place.itemIndex,
		httpCode: '429',
	});
	if (response) {
		try {
			readEnvelope(context.getNode(), response, place);
		} catch (error) {
			// Exotel's own 429 body (v1 RestException) is kept as the error's cause.
			apiError = error as NodeApiError;
		}
	}
	const bound = minutesAndSeconds(MAX_RATE_LIMIT_WAIT_MS);
	apiError.message =
		waitedMs > 0
			? `Exotel's rate limit: still refused after waiting ${minutesAndSeconds(waitedMs)}`
			: `Exotel's rate limit: Exotel asked to wait ${minutesAndSeconds(askedMs)}, longer than the node waits (${bound})`;
	const refused =
		answers === 0
			? 'was held because Exotel answered another request of this account 429 (too many requests)'
			: `was answered 429 (too many requests) ${answers === 1 ? 'once' : `${answers} times`}`;
	apiError.description = `${place.method} ${place.path} ${refused}; the node waits at most ${bound} for one request. It paces this account at ${Math.round(requestsPerMinute)} requests a minute. Other workflows or apps may be using the same Exotel account: lower the credential's Requests per Minute, or run this later.`;
	return apiError;
}
