import type { IDataObject } from 'n8n-workflow';

import type { RateGovernor, WaitReport } from '../../nodes/Exotel/transport/rateGovernor';
import { RateLimiter } from '../simulator/rateLimit';
import type { RateLimitOptions } from '../simulator/rateLimit';
import type { FakeClock } from './fakeClock';

export interface ModelAnswer {
	throttled: boolean;
	headers?: IDataObject;
}

export interface DriveOptions {
	governor: RateGovernor;
	clock: FakeClock;
	requests: number;
	/** Requests in flight at once (the routed operations send 5 at a time). */
	concurrency: number;
	/** Time from sending to the answer. */
	latencyMs: (request: number) => number;
	/** Exotel's answer, decided when the request arrives. */
	answer: (arrivedAt: number, request: number) => ModelAnswer;
	/** No new request starts at or after this time (those under way finish). */
	until?: number;
}

export interface DriveResult {
	/** When each attempt left, in order. */
	sentAt: number[];
	throttledAnswers: number;
	/** What the governor said after each 429, with when it said it. */
	holds: Array<WaitReport & { at: number }>;
	/** Requests that failed because Exotel asked for a wait longer than the node waits. */
	refused: number;
	accepted: number;
	finishedAt: number;
}

/**
 * Drives a governor as the transport does: acquire a turn, send, and on 429 tell the governor and take
 * another turn (the request is sent again: a 429 applied nothing), on a fake clock.
 */
export async function driveGovernor(options: DriveOptions): Promise<DriveResult> {
	const { governor, clock } = options;
	const result: DriveResult = { sentAt: [], throttledAnswers: 0, holds: [], refused: 0, accepted: 0, finishedAt: 0 };
	let next = 0;
	let running = 0;
	const more = () => next < options.requests && (options.until === undefined || clock.now() < options.until);
	const worker = async () => {
		running++;
		while (more()) {
			const request = next++;
			for (;;) {
				const turn = await governor.acquire(undefined);
				result.sentAt.push(turn.sentAt);
				await clock.sleep(options.latencyMs(request));
				const answer = options.answer(clock.now(), request);
				if (answer.throttled) {
					result.throttledAnswers++;
					const wait = governor.throttled(answer.headers, turn);
					result.holds.push({ ...wait, at: clock.now() });
					if (wait.refused) {
						result.refused++;
						break;
					}
					continue;
				}
				governor.accepted(answer.headers, turn);
				result.accepted++;
				break;
			}
		}
		running--;
	};
	const workers = Array.from({ length: options.concurrency }, async () => await worker());
	await clock.runUntil(() => running === 0 && !more());
	await Promise.all(workers);
	result.finishedAt = clock.now();
	return result;
}

/** Exotel's answers from the simulator's fixed-window limit (the same model the HTTP simulator uses). */
export function windowAnswers(options: RateLimitOptions): { answer: DriveOptions['answer']; limiter: RateLimiter } {
	const limiter = new RateLimiter();
	limiter.set(options);
	return {
		limiter,
		answer: (arrivedAt) => {
			const admission = limiter.admit('account', 'contacts', arrivedAt);
			const headers: IDataObject = {};
			for (const [name, value] of Object.entries(admission?.headers ?? {})) headers[name.toLowerCase()] = value;
			return { throttled: admission?.throttled ?? false, headers };
		},
	};
}

/** The most entries of `times` (sorted) inside any span of `spanMs`. */
export function mostInSpan(times: number[], spanMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= spanMs) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}
