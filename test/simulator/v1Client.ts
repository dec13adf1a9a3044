/** Plain-fetch calls to the simulator's v1 and v2_beta APIs, for the simulator's own tests. */
import { basicAuth } from './apiClient';
import type { ExotelSimulator } from './server';

export interface V1Answer {
	status: number;
	headers: Headers;
	text: string;
	/** The parsed body; undefined when it is not JSON. */
	json: unknown;
}

export interface V1Options {
	api?: 'v1' | 'v2_beta';
	auth?: string;
	account?: string;
	/** Form fields as pairs (keys sent as given, e.g. `To[0]`), a JSON value, or raw text. */
	form?: Array<[string, string]> | Record<string, string>;
	json?: unknown;
	headers?: Record<string, string>;
}

export function v1Url(sim: ExotelSimulator, path: string, o: Pick<V1Options, 'api' | 'account'> = {}): string {
	return `${sim.url}/${o.api ?? 'v1'}/Accounts/${o.account ?? sim.credentials.accountSid}${path}`;
}

export async function v1Call(sim: ExotelSimulator, method: string, path: string, o: V1Options = {}): Promise<V1Answer> {
	const headers: Record<string, string> = {
		authorization: o.auth ?? basicAuth(sim.credentials.apiKey, sim.credentials.apiToken),
		...o.headers,
	};
	let body: string | undefined;
	if (o.form) {
		body = new URLSearchParams(Array.isArray(o.form) ? o.form : Object.entries(o.form)).toString();
		headers['content-type'] = 'application/x-www-form-urlencoded';
	} else if (o.json !== undefined) {
		body = JSON.stringify(o.json);
		headers['content-type'] = 'application/json';
	}
	const res = await fetch(v1Url(sim, path, o), { method, headers, body });
	const text = await res.text();
	let json: unknown;
	try {
		json = JSON.parse(text) as unknown;
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

/** Reads a nested value of an answer: at(json, 'Call', 'Status'). */
export function at(value: unknown, ...path: Array<string | number>): unknown {
	let v = value;
	for (const k of path) {
		if (v === null || typeof v !== 'object') return undefined;
		v = (v as Record<string | number, unknown>)[k];
	}
	return v;
}
