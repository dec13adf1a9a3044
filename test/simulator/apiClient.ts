/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/** Plain-fetch calls to a running simulator, for the simulator's own tests (no node code involved). */
import FormData from 'form-data';
import { ExotelSimulator, type SimulatorOptions } from './server';

export interface Entry<T = Record<string, unknown>> {
	code: number;
	status: 'success' | 'failure';
	error_data: { code: number; message: string; description: string } | null;
	data: T | null;
}

export interface Envelope<R = unknown> {
	request_id: string;
	method: string;
	http_code: number;
	metadata?: Record<string, number>;
	response: R;
}

export interface Answer<R = unknown> {
	status: number;
	headers: Headers;
	/** The parsed body: an envelope, or a v1 RestException body for some faults and 429s. */
	json: Envelope<R>;
}

export interface CallOptions {
	auth?: string;
	account?: string;
	headers?: Record<string, string>;
}

export function basicAuth(key: string, token: string): string {
	return 'Basic ' + Buffer.from(`${key}:${token}`).toString('base64');
}

/** Calls path (relative to the account root) with the simulator's credentials unless opts.auth says otherwise. */
export async function callApi<R = unknown>(sim: ExotelSimulator, method: string, path: string, body?: unknown, opts: CallOptions | string = {}): Promise<Answer<R>> {
	const o = typeof opts === 'string' ? { account: opts } : opts;
	const res = await fetch(`${sim.url}/v2/accounts/${o.account ?? sim.credentials.accountSid}${path}`, {
		method,
		headers: {
			authorization: o.auth ?? basicAuth(sim.credentials.apiKey, sim.credentials.apiToken),
			...(body !== undefined ? { 'content-type': 'application/json' } : {}),
			...o.headers,
		},
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	return { status: res.status, headers: res.headers, json: JSON.parse(await res.text()) as Envelope<R> };
}

/** The per-item entries of a bulk (207) answer. */
export function entries(answer: Answer): Entry[] {
	return answer.json.response as Entry[];
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One simulator per test file (started before the first test, reset before each with latency 0 and
 * 50 ms CSV processing, stopped after the last) and calls bound to it.
 */
export function simulatorTestKit(onStart: (sim: ExotelSimulator) => void, options: SimulatorOptions = { csvProcessingMs: 50 }) {
	let sim: ExotelSimulator;
	beforeAll(async () => {
		sim = await ExotelSimulator.start(options);
		onStart(sim);
	});
	afterAll(async () => sim.stop());
	beforeEach(() => {
		sim.reset();
		sim.latencyMs = 0;
		sim.csvProcessingMs = options.csvProcessingMs ?? 50;
	});

	const api = (path: string, account = sim.credentials.accountSid) => `${sim.url}/v2/accounts/${account}${path}`;

	const call = <R = Entry>(method: string, path: string, body?: unknown, opts: CallOptions = {}) => callApi<R>(sim, method, path, body, opts);

	function csvForm(listName: string | undefined, csv: string | Buffer | undefined, type?: string): FormData {
		const form = new FormData();
		if (listName !== undefined) form.append('list_name', listName);
		if (type !== undefined) form.append('type', type);
		if (csv !== undefined) form.append('file_name', Buffer.from(csv), { filename: 'contacts.csv', contentType: 'text/csv' });
		return form;
	}

	async function upload<R = Entry>(form: FormData): Promise<Answer<R>> {
		const res = await fetch(api('/contacts/csv-upload'), {
			method: 'POST',
			headers: { ...form.getHeaders(), authorization: basicAuth(sim.credentials.apiKey, sim.credentials.apiToken) },
			body: form.getBuffer(),
		});
		return { status: res.status, headers: res.headers, json: JSON.parse(await res.text()) as Envelope<R> };
	}

	/** Polls the upload's status URL until it leaves in-progress. */
	async function waitForUpload(url: string): Promise<Record<string, unknown>> {
		const relative = url.replace(/^\/v2\/accounts\/[^/]+/, '');
		for (let i = 0; i < 100; i++) {
			const r = await call('GET', relative);
			const data = r.json.response.data as Record<string, unknown>;
			if (data.status !== 'in-progress') return data;
			await pause(20);
		}
		throw new Error('upload never finished');
	}

	return { api, basic: basicAuth, call, csvForm, upload, waitForUpload };
}
