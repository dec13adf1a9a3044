/** Injected faults (sim.injectFault): what they match, how many times, and the answers they give. */
import * as http from 'node:http';
import { ERROR_MESSAGES, envelope, type Reply } from './replies';

export interface FaultMatch {
	method?: string;
	/** Matched against the path after /v2/accounts/<sid> (e.g. '/contacts'): string = exact, RegExp = test(). */
	path?: string | RegExp;
}

export type Fault =
	| { kind: 'status'; status: number; retryAfter?: number; body?: 'envelope' | 'v1' | 'html'; match?: FaultMatch; times?: number }
	| { kind: 'drop'; match?: FaultMatch; times?: number }
	| { kind: 'latency'; ms: number; match?: FaultMatch; times?: number };

type Queued = Fault & { remaining: number };

export class FaultQueue {
	private faults: Queued[] = [];

	add(fault: Fault): void {
		this.faults.push({ ...fault, remaining: fault.times ?? 1 });
	}

	clear(): void {
		this.faults = [];
	}

	/** The first queued fault matching the request, used up once. */
	take(method: string, relPath: string): Fault | undefined {
		const idx = this.faults.findIndex((f) => matches(f.match, method, relPath));
		if (idx < 0) return undefined;
		const f = this.faults[idx];
		f.remaining--;
		if (f.remaining <= 0) this.faults.splice(idx, 1);
		return f;
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
export function faultReply(fault: Extract<Fault, { kind: 'status' }>, method: string): Reply {
	const status = fault.status;
	const headers: Record<string, string> = {};
	if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
	const text = status === 429 ? 'Too many requests' : (http.STATUS_CODES[status] ?? 'Error');
	const kind = fault.body ?? 'envelope';
	if (kind === 'html') {
		const body = `<html><body><h1>${status} ${http.STATUS_CODES[status] ?? 'Error'}</h1></body></html>`;
		return { status, headers: { ...headers, 'Content-Type': 'text/html' }, body };
	}
	if (kind === 'v1') {
		const body = JSON.stringify({ RestException: { Status: status, Message: text } });
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
