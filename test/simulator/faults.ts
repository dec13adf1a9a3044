/* eslint-disable @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/** Injected faults (sim.injectFault): what they match, how many times, and the answers they give. */
import * as http from 'node:http';
import { ERROR_MESSAGES, envelope, type Reply } from './replies';

export interface FaultMatch {
	method?: string;
	/**
	 * Matched against the path after the account root (e.g. '/contacts' for v2, '/Calls/connect.json' for v1):
	 * string = exact, RegExp = test().
	 */
	path?: string | RegExp;
}

/**
 * Each fault applies to the next `times` (default 1) requests that match, in the order queued:
 * - status: answer this status instead (Exotel's envelope, its v1 RestException body, or an HTML page;
 *   the default is the envelope on v2 paths and RestException on v1/v2_beta ones). `apply: true` carries
 *   the request out first (a gateway error after the work was done: "applied, answer lost").
 * - drop: destroy the socket on arrival; nothing is read or applied. `apply: true` reads the request,
 *   carries it out, then destroys the socket without answering.
 * - bulkAnswer: carry the request out, then change its bulk answer's `response` array: `order` lists
 *   the entries' request positions in the order they are answered ('reverse' for all backwards), `omit`
 *   leaves out the entries of these request positions. `metadata` keeps Exotel's counts.
 * - hang: read and log the request, then never answer (the socket is closed by reset() or stop());
 *   `apply: true` also carries the request out first, as a server that did the work but whose answer got lost.
 * - latency / slow (same thing): carry the request out at once, answer `ms` later (on top of sim.latencyMs).
 * drop and hang act before the rate limit (they do not count against it); the others only on requests
 * the rate limit lets through (a throttled request leaves them queued).
 */
export type Fault =
	| {
			kind: 'status';
			status: number;
			retryAfter?: number;
			body?: 'envelope' | 'v1' | 'html';
			/** `Code` of a v1 body (e.g. 40001 insufficient balance, 40405 throttled); none by default. */
			code?: number | string;
			apply?: boolean;
			match?: FaultMatch;
			times?: number;
	  }
	| { kind: 'bulkAnswer'; order?: number[] | 'reverse'; omit?: number[]; match?: FaultMatch; times?: number }
	| { kind: 'drop'; apply?: boolean; match?: FaultMatch; times?: number }
	| { kind: 'hang'; apply?: boolean; match?: FaultMatch; times?: number }
	| { kind: 'latency' | 'slow'; ms: number; match?: FaultMatch; times?: number };

/** Faults that act on the connection, before the request reaches the rate limit and the API. */
export function isNetworkFault(f: Fault): f is Extract<Fault, { kind: 'drop' | 'hang' }> {
	return f.kind === 'drop' || f.kind === 'hang';
}

type Queued = Fault & { remaining: number };

export class FaultQueue {
	private faults: Queued[] = [];

	add(fault: Fault): void {
		if ((fault.kind === 'latency' || fault.kind === 'slow') && !(fault.ms >= 0)) throw new Error(`${fault.kind} fault needs ms >= 0`);
		this.faults.push({ ...fault, remaining: fault.times ?? 1 });
	}

	clear(): void {
		this.faults = [];
	}

	/** The first queued fault matching the request, not used up (see take). */
	peek(method: string, relPath: string): Fault | undefined {
		return this.faults.find((f) => matches(f.match, method, relPath));
	}

	/** Uses up one of the fault's `times`. */
	take(fault: Fault): Fault {
		const idx = this.faults.indexOf(fault as Queued);
		if (idx >= 0) {
			const f = this.faults[idx];
			f.remaining--;
			if (f.remaining <= 0) this.faults.splice(idx, 1);
		}
		return fault;
	}
}

function matches(m: FaultMatch | undefined, method: string, relPath: string): boolean {
	if (!m) return true;
	if (m.method && m.method.toUpperCase() !== method) return false;
	if (m.path !== undefined) {
		if (typeof m.path === 'string' ? m.path !== relPath : !m.path.test(relPath)) return false;
	}
	return true;
}

/** The answer of a 'status' fault: Exotel's v2 envelope, its v1 RestException body, or a proxy's HTML page. */
export function faultReply(fault: Extract<Fault, { kind: 'status' }>, method: string, defaultBody: 'envelope' | 'v1' = 'envelope'): Reply {
	const status = fault.status;
	const headers: Record<string, string> = {};
	if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
	const text = status === 429 ? 'Too many requests' : (http.STATUS_CODES[status] ?? 'Error');
	const kind = fault.body ?? defaultBody;
	if (kind === 'html') {
		const body = `<html><body><h1>${status} ${http.STATUS_CODES[status] ?? 'Error'}</h1></body></html>`;
		return { status, headers: { ...headers, 'Content-Type': 'text/html' }, body };
	}
	if (kind === 'v1') {
		const ex: Record<string, unknown> = { Status: status, Message: text };
		if (fault.code !== undefined) ex.Code = fault.code;
		const body = JSON.stringify({ RestException: ex });
		return { status, headers: { ...headers, 'Content-Type': 'application/json' }, body };
	}
	let code: number;
	if (status === 429) code = 429;
	else if (status >= 500) code = 1100;
	else code = ({ 400: 1002, 401: 1010, 403: 1003, 404: 1000, 415: 1011 } as Record<number, number>)[status] ?? 1002;
	const reply = envelope(method, status, {
		code: status,
		status: 'failure',
		data: null,
		error_data: { code, message: status === 429 ? text : (ERROR_MESSAGES[code] ?? text), description: `Simulated ${status}` },
	});
	Object.assign(reply.headers, headers);
	return reply;
}

/** A bulk answer with its entries reordered or left out as a 'bulkAnswer' fault says. */
export function rewriteBulkReply(fault: Extract<Fault, { kind: 'bulkAnswer' }>, reply: Reply): Reply {
	const body = JSON.parse(reply.body) as { response?: unknown };
	if (!Array.isArray(body.response)) return reply;
	const entries: unknown[] = body.response;
	let order = fault.order === 'reverse' ? entries.map((_, position) => entries.length - 1 - position) : fault.order;
	order ??= entries.map((_, position) => position);
	const omitted = new Set(fault.omit ?? []);
	body.response = order.filter((position) => !omitted.has(position) && position < entries.length).map((position) => entries[position]);
	return { ...reply, body: JSON.stringify(body) };
}
