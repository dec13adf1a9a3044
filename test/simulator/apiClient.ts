/** Plain-fetch calls to a running simulator, for the simulator's own tests. */
import type { ExotelSimulator } from './server';

export interface Entry<T = Record<string, unknown>> {
	code: number;
	status: 'success' | 'failure';
	error_data: { code: number; message: string; description: string } | null;
	data: T | null;
}

export interface Answer {
	status: number;
	headers: Headers;
	/** Parsed JSON body (envelope or v1 RestException). */
	json: { http_code?: number; metadata?: Record<string, number>; response?: unknown; RestException?: Record<string, unknown> };
}

export function basicAuth(key: string, token: string): string {
	return 'Basic ' + Buffer.from(`${key}:${token}`).toString('base64');
}

/** Calls path (relative to the account root) with the simulator's own credentials. */
export async function callApi(sim: ExotelSimulator, method: string, path: string, body?: unknown, account = sim.credentials.accountSid): Promise<Answer> {
	const res = await fetch(`${sim.url}/v2/accounts/${account}${path}`, {
		method,
		headers: {
			authorization: basicAuth(sim.credentials.apiKey, sim.credentials.apiToken),
			...(body !== undefined ? { 'content-type': 'application/json' } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, headers: res.headers, json: JSON.parse(await res.text()) as Answer['json'] };
}

/** The per-item entries of a bulk (207) answer. */
export function entries(answer: Answer): Entry[] {
	return answer.json.response as Entry[];
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
