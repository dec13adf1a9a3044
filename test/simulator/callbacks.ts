/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * Posting Exotel's v1 callbacks (call status, SMS delivery) to the URL a request gave, as Exotel does:
 * unsigned POSTs, 15 s to answer. A delivery that fails (no 2xx, or no answer) is retried up to `retries`
 * times (Exotel retries at most twice), `retryMs` apart; `duplicates` extra copies are sent after a
 * success, so a receiver's dedupe can be tested. Every attempt is recorded with the receiver's status.
 *
 * Encodings: `multipart` and `form` flatten nested values to bracket keys (`Legs[0][Status]`), `json`
 * keeps them (Legs as an array), `query` sends a GET with the fields in the query string (Passthru).
 * Redirects are not followed: a 302 is the receiver's answer (a Passthru's second branch).
 */
import { encodeCallback } from './campaigns';
import { isObject } from './replies';

/** `query`: a GET with the payload in the query string (a Passthru applet). */
export type CallbackEncoding = 'multipart' | 'form' | 'json' | 'query';

export interface CallbackPolicy {
	/** Further attempts after a failed delivery (default 2). */
	retries: number;
	/** Extra copies after a successful delivery (default 0). */
	duplicates: number;
	/** Real ms between attempts (default 10). */
	retryMs: number;
}

/** One POST attempt. */
export interface CallbackDelivery {
	url: string;
	/** What it reports, e.g. `terminal`, `answered` (calls) or the SMS status. */
	event: string;
	/** The payload before encoding (nested for JSON, as sent for the others after flattening). */
	payload: Record<string, unknown>;
	encoding: CallbackEncoding;
	/** 1 for the first attempt. */
	attempt: number;
	/** The receiver's HTTP status; 0 when the POST failed or timed out. */
	status: number;
}

/** `{Legs:[{Status:'x'}]}` → `{'Legs[0][Status]':'x'}`; scalars as strings, null as ''. */
export function flatten(payload: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	const walk = (prefix: string, v: unknown) => {
		if (Array.isArray(v)) v.forEach((x, i) => walk(`${prefix}[${i}]`, x));
		else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(`${prefix}[${k}]`, x);
		else out[prefix] = v === null || v === undefined ? '' : String(v);
	};
	for (const [k, v] of Object.entries(payload)) walk(k, v);
	return out;
}

export class CallbackSender {
	readonly delivered: CallbackDelivery[] = [];
	private readonly pending = new Set<Promise<void>>();
	private generation = 0;

	constructor(
		private readonly policy: () => CallbackPolicy,
		private readonly timeoutMs: () => number = () => 15_000,
	) {}

	/** Posts (or GETs, for `query`) the payload; `policy` overrides the sender's (a Passthru is not retried). */
	send(url: string, event: string, payload: Record<string, unknown>, encoding: CallbackEncoding, policy?: Partial<CallbackPolicy>): void {
		const body = encoding === 'json' ? payload : flatten(payload);
		const gen = this.generation;
		const run = this.deliver(url, event, body, encoding, gen, policy).finally(() => this.pending.delete(run));
		this.pending.add(run);
	}

	/** Resolves when every delivery started so far, retries and copies included, is done. */
	async settled(): Promise<void> {
		while (this.pending.size) await Promise.all([...this.pending]);
	}

	/** Forgets deliveries; attempts still under way stop before their next try. */
	reset(): void {
		this.generation++;
		this.delivered.length = 0;
	}

	private async deliver(
		url: string,
		event: string,
		payload: Record<string, unknown>,
		encoding: CallbackEncoding,
		gen: number,
		override: Partial<CallbackPolicy> = {},
	): Promise<void> {
		const { retries, duplicates, retryMs } = { ...this.policy(), ...override };
		let ok = false;
		let attempt = 0;
		for (let i = 0; i <= retries && !ok; i++) {
			if (i > 0) await sleep(retryMs);
			if (gen !== this.generation) return;
			ok = await this.post(url, event, payload, encoding, ++attempt);
		}
		for (let i = 0; ok && i < duplicates; i++) {
			if (gen !== this.generation) return;
			await this.post(url, event, payload, encoding, ++attempt);
		}
	}

	private async post(url: string, event: string, payload: Record<string, unknown>, encoding: CallbackEncoding, attempt: number): Promise<boolean> {
		const record: CallbackDelivery = { url, event, payload, encoding, attempt, status: 0 };
		this.delivered.push(record);
		try {
			let response: Response;
			if (encoding === 'query') {
				const target = new URL(url);
				for (const [k, v] of Object.entries(payload)) target.searchParams.append(k, String(v));
				response = await fetch(target, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs()) });
			} else {
				const { body, headers } = encodeCallback(payload, encoding);
				response = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs()) });
			}
			record.status = response.status;
			await response.arrayBuffer().catch(() => undefined);
		} catch {
			record.status = 0;
		}
		return record.status >= 200 && record.status < 300;
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => {
		const t = setTimeout(resolve, ms);
		t.unref();
	});
}
