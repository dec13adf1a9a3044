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

/** What polling one of several things ended with: its final value, or why it has none. */
export type PollOutcome<T> = { value: T } | { error: Error };

export interface PollAllHandlers<T> {
	/**
	 * One round: checks the things at `pending` (indexes into the schedules) together, e.g. in one list
	 * request, and gives what it saw of each. A thing left out of the answer stays pending; an Error for
	 * one thing ends its polling with that error.
	 */
	check: (pending: number[]) => Promise<Map<number, { value: T; final: boolean } | Error>>;
	/** The error for thing `index`, whose deadline passed with `last` (if any was seen) not final. */
	timedOut: (index: number, last: T | undefined, checks: number) => Error;
	/** The error for a thing still pending when the execution was cancelled. */
	cancelled: (index: number) => Error;
}

/**
 * The one poller. Checks every pending thing in each round until each is final or past its own
 * deadline (its last check happens at the deadline). Rounds are `intervalMs` apart, the shortest of the
 * schedules. The wait between rounds ends at once on the execution's cancel signal; then every pending
 * thing gets `cancelled()` and no further request goes out. Requests are paced by the rate governor.
 */
export async function pollAllUntilFinal<T>(
	context: ExotelContext,
	schedules: PollSchedule[],
	handlers: PollAllHandlers<T>,
): Promise<Array<PollOutcome<T>>> {
	const started = Date.now();
	const outcomes: Array<PollOutcome<T> | undefined> = schedules.map(() => undefined);
	const last: Array<T | undefined> = schedules.map(() => undefined);
	const checks = schedules.map(() => 0);
	const deadlines = schedules.map((schedule) => started + schedule.timeoutMs);
	const intervalMs = Math.min(...schedules.map((schedule) => schedule.intervalMs));
	let wait = schedules.every((schedule) => schedule.checkFirst === false) ? intervalMs : 0;
	const pendingNow = () => schedules.map((_, index) => index).filter((index) => outcomes[index] === undefined);
	for (let pending = pendingNow(); pending.length > 0; pending = pendingNow()) {
		const nextDeadline = Math.min(...pending.map((index) => deadlines[index]));
		wait = Math.min(wait, Math.max(0, nextDeadline - Date.now()));
		if (wait > 0) {
			try {
				await sleep(wait, cancelSignal(context));
			} catch {
				// sleep rejects only when the cancel signal fires.
			}
		}
		if (isCancelled(context)) {
			for (const index of pending) outcomes[index] = { error: handlers.cancelled(index) };
			break;
		}
		const seen = await handlers.check(pending);
		const now = Date.now();
		for (const index of pending) {
			const result = seen.get(index);
			if (result instanceof Error) {
				outcomes[index] = { error: result };
				continue;
			}
			if (result) {
				checks[index]++;
				last[index] = result.value;
				if (result.final) {
					outcomes[index] = { value: result.value };
					continue;
				}
			}
			if (now >= deadlines[index]) outcomes[index] = { error: handlers.timedOut(index, last[index], checks[index]) };
		}
		wait = intervalMs;
	}
	return outcomes as Array<PollOutcome<T>>;
}

/**
 * Checks one thing until `check` reports a final value and returns it (pollAllUntilFinal for one):
 * throws `timedOut` at the deadline and `cancelled` on Stop.
 */
export async function pollUntilFinal<T>(context: ExotelContext, schedule: PollSchedule, handlers: PollHandlers<T>): Promise<T> {
	const [outcome] = await pollAllUntilFinal<T>(context, [schedule], {
		check: async () => new Map([[0, await handlers.check()]]),
		timedOut: (_index, lastSeen, checks) => handlers.timedOut(lastSeen as T, checks),
		cancelled: () => handlers.cancelled(),
	});
	if ('error' in outcome) throw outcome.error;
	return outcome.value;
}
