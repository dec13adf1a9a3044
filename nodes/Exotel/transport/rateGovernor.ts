import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

/**
 * Paces every request to one Exotel account, in every operation and every execution of this n8n
 * process, so that a run slows down instead of failing when the account's rate limit is reached.
 *
 * - A token bucket (burst `BURST`, refilled at the account's budget) spaces requests out; waiting
 *   requests keep their place (first come, first served).
 * - `X-RateLimit-Remaining`/`-Reset`, when Exotel sends them, spread what is left of the window over
 *   the time left in it, and hold everything once nothing is left.
 * - A 429 holds every request of the account: for `Retry-After`, else until `X-RateLimit-Reset`, else
 *   for growing waits (2, 4, 8 … 60 s) until the window has passed. The first request through
 *   afterwards shows how many requests the window let through and how long it lasted at most; the
 *   budget drops to that, so later windows are not hit again.
 */

/** Requests that may leave at once before pacing starts (the routed operations' 5 at a time). */
const BURST = 5;
/** First wait after a 429 that says nothing about when to come back; doubles up to the cap. */
const FIRST_BLIND_WAIT_MS = 2_000;
const MAX_BLIND_WAIT_MS = 60_000;
/** A learned budget keeps this share of what the window let through, for the clock's slack. */
const LEARNED_BUDGET_MARGIN = 0.95;
const MINUTE_MS = 60_000;
/** Even `Retry-After: 0` holds a moment, so a 429 is never answered by an instant resend. */
const MIN_HOLD_MS = 250;

export interface WaitReport {
	/** Milliseconds the request will be held. */
	waitMs: number;
	/** Why, in words for the execution log. */
	reason: string;
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
export function readRateHeaders(headers: IDataObject | undefined, now = Date.now()): RateHeaders {
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
	/** Requests a minute the bucket refills at. */
	private perMinute: number;
	private tokens = BURST;
	private refilledAt = Date.now();
	/** Nothing leaves before this time (a 429, or a window with nothing left). */
	private heldUntil = 0;
	/** Serialises waiting requests so each keeps its place. */
	private line: Promise<void> = Promise.resolve();
	/** The current window as seen from here: when its first request was accepted, and how many. */
	private windowStart: number | undefined;
	private acceptedInWindow = 0;
	/** 429s in a row without a request getting through; sets the next blind wait. */
	private throttledInARow = 0;
	/** Set once a 429 taught the real budget; the credential's figure no longer applies. */
	private learned = false;
	private waitingCount = 0;

	constructor(private configuredPerMinute: number) {
		this.perMinute = configuredPerMinute;
	}

	/** The credential's budget, unless Exotel has since shown a lower real one. */
	configure(requestsPerMinute: number): void {
		if (requestsPerMinute === this.configuredPerMinute) return;
		this.configuredPerMinute = requestsPerMinute;
		this.perMinute = requestsPerMinute;
		this.learned = false;
	}

	get requestsPerMinute(): number {
		return this.perMinute;
	}

	/**
	 * Waits for this request's turn: after those before it, after any hold, and for a token. Rejects
	 * at once when `signal` aborts. `onLongWait` is told of every wait of a second or more. Resolves
	 * with how long the request was held by Exotel's rate limit.
	 */
	async acquire(signal: AbortSignal | undefined, onLongWait?: (report: WaitReport) => void): Promise<number> {
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
		return Math.max(0, this.heldUntil - Date.now());
	}

	private refill(now: number): void {
		if (now <= this.refilledAt) return;
		const perMs = this.perMinute / MINUTE_MS;
		this.tokens = Math.min(BURST, this.tokens + (now - this.refilledAt) * perMs);
		this.refilledAt = now;
	}

	/** Resolves with the milliseconds spent held by the rate limit (pacing waits are not counted). */
	private async take(signal: AbortSignal | undefined, onLongWait?: (report: WaitReport) => void): Promise<number> {
		let heldMs = 0;
		for (;;) {
			if (signal?.aborted) throw new Error('The execution was cancelled');
			const now = Date.now();
			this.refill(now);
			let waitMs: number;
			let reason: string;
			if (now < this.heldUntil) {
				waitMs = this.heldUntil - now;
				reason = "Exotel's rate limit";
			} else if (this.tokens >= 1) {
				this.tokens -= 1;
				return heldMs;
			} else {
				waitMs = Math.ceil(((1 - this.tokens) * MINUTE_MS) / this.perMinute);
				reason = `pacing to ${Math.round(this.perMinute)} requests a minute`;
			}
			if (waitMs >= 1000) onLongWait?.({ waitMs, reason });
			await sleep(waitMs, signal);
			if (now < this.heldUntil) heldMs += waitMs;
		}
	}

	/** An answer other than 429: the window let this one through. */
	accepted(headers: IDataObject | undefined): void {
		const now = Date.now();
		if (this.throttledInARow > 0 && this.windowStart !== undefined) {
			// The window that said 429 has passed: it let `acceptedInWindow` requests through and lasted
			// at most until now. Pace to that from here on.
			const learnedPerMinute =
				(this.acceptedInWindow * MINUTE_MS * LEARNED_BUDGET_MARGIN) / Math.max(1000, now - this.windowStart);
			if (learnedPerMinute < this.perMinute) {
				this.perMinute = Math.max(1, learnedPerMinute);
				this.learned = true;
			}
			this.windowStart = undefined;
		}
		this.throttledInARow = 0;
		// Exotel's windows are a minute long: what passed in an older one says nothing about this one.
		if (this.windowStart === undefined || now - this.windowStart > MINUTE_MS) {
			this.windowStart = now;
			this.acceptedInWindow = 0;
		}
		this.acceptedInWindow++;

		const rate = readRateHeaders(headers, now);
		if (rate.remaining !== undefined && rate.resetAt !== undefined) {
			if (rate.remaining <= 0) {
				this.hold(rate.resetAt);
			} else if (!this.learned) {
				// Spread what is left of the window over the time left in it (never faster than the limit).
				const leftMs = Math.max(1000, rate.resetAt - now);
				const spread = (rate.remaining * MINUTE_MS) / leftMs;
				this.perMinute = Math.max(1, rate.limit !== undefined ? Math.min(spread, Math.max(rate.limit, 1) * 60) : spread);
			}
		}
	}

	/** A 429: holds every request of the account and says for how long. */
	throttled(headers: IDataObject | undefined): WaitReport {
		const now = Date.now();
		this.throttledInARow++;
		const rate = readRateHeaders(headers, now);
		let until: number;
		let reason: string;
		if (rate.retryAt !== undefined) {
			until = rate.retryAt;
			reason = 'Exotel answered 429 with Retry-After';
		} else if (rate.resetAt !== undefined && rate.resetAt > now) {
			until = rate.resetAt;
			reason = 'Exotel answered 429; waiting for X-RateLimit-Reset';
		} else {
			until = now + Math.min(MAX_BLIND_WAIT_MS, FIRST_BLIND_WAIT_MS * 2 ** (this.throttledInARow - 1));
			reason = 'Exotel answered 429 without saying when to retry; waiting for its window to pass';
		}
		this.hold(Math.max(until, now + MIN_HOLD_MS));
		return { waitMs: Math.max(0, this.heldUntil - now), reason };
	}

	private hold(until: number): void {
		this.heldUntil = Math.max(this.heldUntil, until);
		// After a hold requests come back one at a time, not as a burst: the bucket holds exactly one
		// token when the hold ends.
		this.tokens = 0;
		this.refilledAt = this.heldUntil - MINUTE_MS / this.perMinute;
	}
}

/** One governor per account (its API root), shared by every execution in this process. */
const governors = new Map<string, RateGovernor>();

export function governorFor(accountRoot: string, requestsPerMinute: number): RateGovernor {
	let governor = governors.get(accountRoot);
	if (!governor) governors.set(accountRoot, (governor = new RateGovernor(requestsPerMinute)));
	else governor.configure(requestsPerMinute);
	return governor;
}

/** Tests and the benchmark start each case from a fresh account state. */
export function forgetRateGovernors(): void {
	governors.clear();
}
