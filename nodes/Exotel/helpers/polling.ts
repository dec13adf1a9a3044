import { sleep } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { cancelSignal, isCancelled } from '../transport';
import type { ExotelContext } from '../transport';
import { inputError } from './validation';

/** How often to check and how long to wait at most, in seconds. */
export interface PollOptions {
	pollInterval: number;
	timeout: number;
}

/** An operation's defaults, and the shortest interval it takes (fractions come from expressions). */
export interface PollDefaults extends PollOptions {
	minPollInterval: number;
}

/** Poll settings as given (seconds, maybe from an expression), checked, with the operation's defaults. */
export function checkPollOptions(
	node: INode,
	itemIndex: number,
	given: { pollInterval?: unknown; timeout?: unknown },
	defaults: PollDefaults,
): PollOptions {
	const pollInterval = Number(given.pollInterval ?? defaults.pollInterval);
	const timeout = Number(given.timeout ?? defaults.timeout);
	if (!Number.isFinite(pollInterval) || pollInterval < defaults.minPollInterval) {
		throw inputError(node, itemIndex, 'Poll Interval', `must be at least ${defaults.minPollInterval} seconds`);
	}
	if (!Number.isFinite(timeout) || timeout < 0) throw inputError(node, itemIndex, 'Max Wait', 'must be 0 seconds or more');
	return { pollInterval, timeout };
}

export interface PollSchedule {
	/** Milliseconds between two checks. */
	intervalMs: number;
	/** Milliseconds after which the last check happens (at the deadline) and `timedOut` is thrown. */
	timeoutMs: number;
	/** false: the first check waits one interval (the caller has just seen the thing unfinished). */
	checkFirst?: boolean;
}

export interface PollHandlers<T> {
	/** One check: the value seen, and whether it is final. */
	check: () => Promise<{ value: T; final: boolean }>;
	/** The error for a deadline passed with `last` still not final after `checks` checks. */
	timedOut: (last: T, checks: number) => Error;
	/** The error for a cancelled execution. */
	cancelled: () => Error;
}

/**
 * Checks until `check` reports a final value and returns it. The wait between checks ends at once on
 * the execution's cancel signal (then `cancelled()` is thrown, and no further request goes out); the
 * last check happens at the deadline. Each check's requests are paced by the transport's rate governor.
 */
export async function pollUntilFinal<T>(context: ExotelContext, schedule: PollSchedule, handlers: PollHandlers<T>): Promise<T> {
	const deadline = Date.now() + schedule.timeoutMs;
	let checks = 0;
	let wait = schedule.checkFirst === false ? schedule.intervalMs : 0;
	for (;;) {
		wait = Math.min(wait, Math.max(0, deadline - Date.now()));
		if (wait > 0) {
			try {
				await sleep(wait, cancelSignal(context));
			} catch {
				// sleep rejects only when the cancel signal fires.
			}
		}
		if (isCancelled(context)) throw handlers.cancelled();
		const { value, final } = await handlers.check();
		checks++;
		if (final) return value;
		if (Date.now() >= deadline) throw handlers.timedOut(value, checks);
		wait = schedule.intervalMs;
	}
}
