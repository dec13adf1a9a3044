import type { IDataObject } from 'n8n-workflow';

import { systemClock } from './clock';
import type { Clock } from './clock';

/**
 * Paces every request to one Exotel account and API family, in every operation and every execution of
 * this n8n process, so that a run slows down instead of failing when the account's rate limit is reached.
 *
 * - A token bucket (burst `BURST`, refilled at the current budget) spaces requests out; waiting requests
 *   keep their place (first come, first served).
 * - `X-RateLimit-Remaining`/`-Reset`, when Exotel sends them, spread what is left of the window over the
 *   time left in it, and hold everything once nothing is left.
 * - A 429 holds every request of the account's family: for `Retry-After`, else until `X-RateLimit-Reset`,
 *   else for growing waits (2, 4, 8 … 30 s) until the window has passed. 429s answered to requests sent
 *   before the hold began are the same refusal and count once.
 * - When a refused stretch ends, the budget drops (multiplicative decrease): to what the window let this
 *   process through, or to half of what it was when requests were not waiting for the budget (another
 *   app used the window up; this process's own count says little). Each clean minute adds a tenth of
 *   the credential's figure back (additive increase), up to that figure. Several processes on one
 *   account (n8n's queue-mode workers) each back off and climb back slowly, and so settle near the
 *   window without talking to each other.
 * - No answer holds longer than `maxHoldMs`: a longer `Retry-After` fails the request that got it
 *   instead of freezing the account, and the next request asks again.
 */

/** Requests that may leave at once before pacing starts (the routed operations' 5 at a time). */
const BURST = 5;
/** First wait after a 429 that says nothing about when to come back; doubles per refused probe. */
const FIRST_BLIND_WAIT_MS = 2_000;
/** A blind wait never exceeds this: a minute-long window is then overshot by half a minute at most. */
const MAX_BLIND_WAIT_MS = 30_000;
/** A budget learned from a window keeps this share of what it let through, for the clock's slack. */
const LEARNED_BUDGET_MARGIN = 0.95;
/** A refusal this process's own pace did not cause lowers the budget by at most this factor. */
const MAX_DECREASE = 0.5;
/** Each minute without a 429 gives back this share of the credential's figure. */
const RECOVERY_SHARE_PER_MINUTE = 0.1;
const MINUTE_MS = 60_000;
/** Even `Retry-After: 0` holds a moment, so a 429 is never answered by an instant resend. */
const MIN_HOLD_MS = 250;
/** The slowest pace: one request a minute still notices when the window frees up. */
const MIN_PER_MINUTE = 1;
/** The longest one answer may hold the account, unless the governor is told otherwise. */
export const DEFAULT_MAX_HOLD_MS = 5 * MINUTE_MS;

export interface WaitReport {
	/** Milliseconds the request will be held (or, when `refused`, what Exotel asked for). */
	waitMs: number;
	/** Why, in words for the execution log. */
	reason: string;
	/** Exotel asked for a wait longer than `maxHoldMs`: the request should fail now, not wait. */
	refused?: boolean;
}

/** One request's turn: when it left, and how long Exotel's rate limit held it before that. */
export interface Turn {
	sentAt: number;
	heldMs: number;
}

export interface GovernorOptions {
	clock?: Clock;
	/** The longest hold one answer may cause. */
	maxHoldMs?: number;
}

interface RateHeaders {
	limit?: number;
	remaining?: number;
	/** When the window resets, in ms since the epoch. */
	resetAt?: number;
	/** Retry-After as an absolute time, ms since the epoch. */
	retryAt?: number;
}

function headerNumber(headers: IDataObject | undefined, name: string): number | undefined {
	const value = headers?.[name];
	if (value === undefined || value === null || value === '') return undefined;
	const number = Number(Array.isArray(value) ? value[0] : value);
	return Number.isFinite(number) ? number : undefined;
}

/** Reads the rate-limit headers; a reset may be seconds from now, or an epoch in s or ms. */
export function readRateHeaders(headers: IDataObject | undefined, now: number): RateHeaders {
	const result: RateHeaders = {
		limit: headerNumber(headers, 'x-ratelimit-limit'),
		remaining: headerNumber(headers, 'x-ratelimit-remaining'),
	};
	const reset = headerNumber(headers, 'x-ratelimit-reset');
	if (reset !== undefined) {
		if (reset > 1e12) result.resetAt = reset;
		else if (reset > 1e9) result.resetAt = reset * 1000;
		else result.resetAt = now + Math.max(0, reset) * 1000;
	}
	const retryAfter = headers?.['retry-after'];
	if (retryAfter !== undefined && retryAfter !== null && retryAfter !== '') {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) result.retryAt = now + Math.max(0, seconds) * 1000;
		else {
			const date = Date.parse(String(retryAfter));
			if (!Number.isNaN(date)) result.retryAt = Math.max(now, date);
		}
	}
	return result;
}

export class RateGovernor {
	private readonly clock: Clock;
	readonly maxHoldMs: number;
	/** The budget right after the last decrease, and when that was; it climbs back from there. */
	private basePerMinute: number;
	private decreasedAt = -Infinity;
	/** What `X-RateLimit-Remaining` over the time to `-Reset` allows, until that reset. */
	private spreadPerMinute = Infinity;
	private spreadUntil = -Infinity;
	private tokens = BURST;
	private refilledAt: number;
	/** Nothing leaves before this time (a 429, or a window with nothing left). */
	private heldUntil = 0;
	/** Serialises waiting requests so each keeps its place. */
	private line: Promise<void> = Promise.resolve();
	/** The current window as seen from here: when its first request was accepted, and how many. */
	private windowStart: number | undefined;
	private acceptedInWindow = 0;
	/** Requests waited for the budget in this window: what it let through was then all it would take. */
	private pacedInWindow = false;
	/** When the current refusal's first 429 arrived: 429s to requests sent before it are the same one. */
	private refusedAt = -Infinity;
	/** Refusals in a row without a request getting through; sets the next blind wait. */
	private refusals = 0;
	private waitingCount = 0;

	constructor(
		private configuredPerMinute: number,
		options: GovernorOptions = {},
	) {
		this.clock = options.clock ?? systemClock;
		this.maxHoldMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
		this.basePerMinute = configuredPerMinute;
		this.refilledAt = this.clock.now();
	}

	/** The credential's budget: a changed figure starts afresh from it. */
	configure(requestsPerMinute: number): void {
		if (requestsPerMinute === this.configuredPerMinute) return;
		this.configuredPerMinute = requestsPerMinute;
		this.basePerMinute = requestsPerMinute;
		this.decreasedAt = -Infinity;
	}

	/** The budget now: the credential's, or what 429s left of it plus what clean minutes gave back. */
	get requestsPerMinute(): number {
		return this.budgetAt(this.clock.now());
	}

	private budgetAt(now: number): number {
		const cleanMinutes = Math.floor(Math.max(0, now - this.decreasedAt) / MINUTE_MS);
		const recovered = Math.min(
			this.configuredPerMinute,
			this.basePerMinute + cleanMinutes * RECOVERY_SHARE_PER_MINUTE * this.configuredPerMinute,
		);
		return now < this.spreadUntil ? Math.max(MIN_PER_MINUTE, Math.min(recovered, this.spreadPerMinute)) : recovered;
	}

	/**
	 * Waits for this request's turn: after those before it, after any hold, and for a token. Rejects at
	 * once when `signal` aborts. `onLongWait` is told of every wait of a second or more.
	 */
	async acquire(signal: AbortSignal | undefined, onLongWait?: (report: WaitReport) => void): Promise<Turn> {
		this.waitingCount++;
		// A cancel also ends the wait for the turns before this one.
		let onAbort = () => {};
		const aborted = new Promise<never>((_resolve, reject) => {
			onAbort = () => reject(new Error('The execution was cancelled'));
			if (signal?.aborted) onAbort();
			signal?.addEventListener('abort', onAbort, { once: true });
		});
		aborted.catch(() => undefined);
		const turn = this.line.then(async () => await this.take(signal, onLongWait));
		// A cancelled request leaves the line without holding up those behind it.
		this.line = turn.then(
			() => undefined,
			() => undefined,
		);
		try {
			return await Promise.race([turn, aborted]);
		} finally {
			this.waitingCount--;
			signal?.removeEventListener('abort', onAbort);
		}
	}

	/** Requests waiting for their turn right now (a cancelled run leaves none behind). */
	get waiting(): number {
		return this.waitingCount;
	}

	/** How long from now every request of the account is held by Exotel's rate limit. */
	holdRemainingMs(): number {
		return Math.max(0, this.heldUntil - this.clock.now());
	}

	private refill(now: number): void {
		if (now <= this.refilledAt) return;
		const perMs = this.budgetAt(now) / MINUTE_MS;
		this.tokens = Math.min(BURST, this.tokens + (now - this.refilledAt) * perMs);
		this.refilledAt = now;
	}

	private async take(signal: AbortSignal | undefined, onLongWait?: (report: WaitReport) => void): Promise<Turn> {
		let heldMs = 0;
		for (;;) {
			if (signal?.aborted) throw new Error('The execution was cancelled');
			const now = this.clock.now();
			this.refill(now);
			let waitMs: number;
			let reason: string;
			const held = now < this.heldUntil;
			if (held) {
				waitMs = this.heldUntil - now;
				reason = "Exotel's rate limit";
			} else if (this.tokens >= 1) {
				this.tokens -= 1;
				return { sentAt: now, heldMs };
			} else {
				const perMinute = this.budgetAt(now);
				this.pacedInWindow = true;
				waitMs = Math.ceil(((1 - this.tokens) * MINUTE_MS) / perMinute);
				reason = `pacing to ${Math.round(perMinute)} requests a minute`;
			}
			if (waitMs >= 1000) onLongWait?.({ waitMs, reason });
			await this.clock.sleep(waitMs, signal);
			if (held) heldMs += waitMs;
		}
	}

	/** An answer other than 429 to the request sent on `turn`. */
	accepted(headers: IDataObject | undefined, turn: Turn): void {
		const now = this.clock.now();
		if (this.refusals > 0 && turn.sentAt >= this.refusedAt) {
			// A request sent after the refusal got through: the window that refused ended between the last
			// 429 and this request.
			this.decrease(now, (this.refusedAt + turn.sentAt) / 2);
			this.refusals = 0;
		}
		// Exotel's windows are a minute long: what passed in an older one says nothing about this one.
		if (this.windowStart === undefined || now - this.windowStart > MINUTE_MS) {
			this.windowStart = now;
			this.acceptedInWindow = 0;
			this.pacedInWindow = false;
		}
		this.acceptedInWindow++;

		const rate = readRateHeaders(headers, now);
		if (rate.remaining !== undefined && rate.resetAt !== undefined) {
			if (rate.remaining <= 0) {
				this.hold(now, Math.min(rate.resetAt, now + this.maxHoldMs));
			} else {
				// Spread what is left of the window over the time left in it.
				const leftMs = Math.max(1000, rate.resetAt - now);
				this.spreadPerMinute = (rate.remaining * MINUTE_MS) / leftMs;
				this.spreadUntil = rate.resetAt;
			}
		}
	}

	/**
	 * The refused window let `acceptedInWindow` requests through and ended about `windowEnd`: the budget
	 * drops to that. When requests were not waiting for the budget, that count says how few this process
	 * sent rather than how many the window takes (another app used it up), so it drops by half at most.
	 */
	private decrease(now: number, windowEnd: number): void {
		const current = this.budgetAt(now);
		let next = current * MAX_DECREASE;
		if (this.windowStart !== undefined) {
			const learned = (this.acceptedInWindow * MINUTE_MS * LEARNED_BUDGET_MARGIN) / Math.max(1000, windowEnd - this.windowStart);
			const floor = this.pacedInWindow ? MIN_PER_MINUTE : current * MAX_DECREASE;
			next = Math.max(floor, Math.min(current * LEARNED_BUDGET_MARGIN, learned));
		}
		this.basePerMinute = Math.max(MIN_PER_MINUTE, next);
		this.decreasedAt = now;
		this.windowStart = undefined;
	}

	/** A 429 to the request sent on `turn`: holds every request of the family and says for how long. */
	throttled(headers: IDataObject | undefined, turn: Turn): WaitReport {
		const now = this.clock.now();
		// Requests sent before the refusal began were refused by the same window: one refusal, one hold.
		const sameRefusal = turn.sentAt < this.refusedAt;
		if (!sameRefusal) {
			this.refusals++;
			this.refusedAt = now;
		}
		const rate = readRateHeaders(headers, now);
		if (rate.retryAt !== undefined && rate.retryAt - now > this.maxHoldMs) {
			// Not kept: holding every request for hours would freeze the account on one answer.
			if (!sameRefusal) this.hold(now, now + this.blindWaitMs());
			return {
				waitMs: rate.retryAt - now,
				reason: 'Exotel answered 429 with a Retry-After longer than the node waits',
				refused: true,
			};
		}
		let until: number;
		let reason: string;
		if (rate.retryAt !== undefined) {
			until = rate.retryAt;
			reason = 'Exotel answered 429 with Retry-After';
		} else if (rate.resetAt !== undefined && rate.resetAt > now) {
			until = Math.min(rate.resetAt, now + this.maxHoldMs);
			reason = 'Exotel answered 429; waiting for X-RateLimit-Reset';
		} else {
			until = sameRefusal ? this.heldUntil : now + this.blindWaitMs();
			reason = 'Exotel answered 429 without saying when to retry; waiting for its window to pass';
		}
		this.hold(now, Math.max(until, now + MIN_HOLD_MS));
		return { waitMs: Math.max(0, this.heldUntil - now), reason };
	}

	private blindWaitMs(): number {
		return Math.min(MAX_BLIND_WAIT_MS, FIRST_BLIND_WAIT_MS * 2 ** Math.max(0, this.refusals - 1));
	}

	private hold(now: number, until: number): void {
		if (until <= this.heldUntil) return;
		this.heldUntil = until;
		// After a hold requests come back one at a time, not as a burst: the bucket holds exactly one
		// token when the hold ends.
		this.tokens = 0;
		this.refilledAt = Math.max(now, this.heldUntil - MINUTE_MS / this.budgetAt(now));
	}
}

/** One governor per account and API family (the key says which), shared by every execution in this process. */
const governors = new Map<string, RateGovernor>();

/**
 * Every family starts from the credential's Requests per Minute: Exotel documents 200 a minute for voice
 * and for SMS, and the credential states what this account gets. A family's 429s lower only its own
 * budget, so throttled campaign calls never stall a contact sync.
 */
export function governorFor(key: string, requestsPerMinute: number): RateGovernor {
	let governor = governors.get(key);
	if (!governor) governors.set(key, (governor = new RateGovernor(requestsPerMinute)));
	else governor.configure(requestsPerMinute);
	return governor;
}
