/**
 * A fixed-window rate limit per account, as Exotel's gateway applies one (sim.setRateLimit).
 * With `perFamily` each API family (campaigns, contacts, voice, sms, sms-bulk, numbers) of an account has its
 * own window, and `limits` can give a family its own limit (bulk SMS counts as `sms` unless the options
 * name `sms-bulk`); `families` limits only those families (the
 * rest pass uncounted). EXOTEL_V1_LIMITS is the documented set: voice and SMS 200 a minute, bulk SMS 50,
 * ExoPhones and number lookups 50. SMS throttling answers 429
 * with Code 40402/40403, or 503 with Code 40405 when `smsThrottle: 503` (Exotel documents both).
 *
 * A window opens with the first request after the previous window ended and lasts windowMs; at most
 * `limit` requests are let through in it, the rest are answered 429 with Exotel's v1 body until it ends.
 * Throttled requests do not count toward the next window.
 *
 * Headers (Exotel documents the names but not the units):
 * - `retryAfter: true`: `Retry-After` on each 429 = whole seconds until the window ends, rounded up.
 * - `headers: true`: on every answer, 429 or not, `X-RateLimit-Limit` (= limit), `X-RateLimit-Remaining`
 *   (requests left in the window after this one) and `X-RateLimit-Reset` = whole seconds until the window
 *   resets, rounded up. This is the seconds-until-reset convention; some APIs send an epoch time in
 *   seconds instead, so a client should accept both (a value above ~1e9 is an epoch).
 */

export interface RateLimitOptions {
	/** Requests let through per window (0 throttles everything). */
	limit: number;
	windowMs: number;
	/** Send Retry-After on 429s. */
	retryAfter?: boolean;
	/** Send X-RateLimit-Limit / -Remaining / -Reset on every answer. */
	headers?: boolean;
	/** A window per API family instead of one per account. */
	perFamily?: boolean;
	/** Only these families are limited (all when absent). */
	families?: string[];
	/** Per-family limits overriding `limit` (with perFamily), e.g. { 'sms-bulk': 50 }. */
	limits?: Record<string, number>;
	/** How a throttled SMS request is answered: 429 (default) or 503 with Code 40405. */
	smsThrottle?: 429 | 503;
}

export interface RateLimitStats {
	accepted: number;
	throttled: number;
}

/** Exotel's documented v1 limits per minute (sim.setRateLimit(EXOTEL_V1_LIMITS); scale windowMs down to test faster). */
export const EXOTEL_V1_LIMITS: RateLimitOptions = {
	limit: 200,
	windowMs: 60_000,
	perFamily: true,
	families: ['voice', 'sms', 'sms-bulk', 'numbers'],
	limits: { voice: 200, sms: 200, 'sms-bulk': 50, numbers: 50 },
};

export const RATE_LIMIT_BODY = JSON.stringify({ RestException: { Status: 429, Code: 'RATE_LIMIT_EXCEEDED', Message: 'Rate limit exceeded' } });

interface Window {
	end: number;
	count: number;
}

export interface Admission {
	throttled: boolean;
	/** Headers for the answer (empty unless the options ask for them). */
	headers: Record<string, string>;
}

export class RateLimiter {
	readonly stats: RateLimitStats = { accepted: 0, throttled: 0 };
	private options: RateLimitOptions | undefined;
	private readonly windows = new Map<string, Window>();

	/** undefined turns the limit off. Windows start afresh; stats keep counting until reset(). */
	set(options: RateLimitOptions | undefined): void {
		if (options) {
			if (!Number.isInteger(options.limit) || options.limit < 0) throw new Error('setRateLimit: limit must be an integer >= 0');
			if (!(options.windowMs > 0)) throw new Error('setRateLimit: windowMs must be > 0');
		}
		this.options = options && { ...options, limits: options.limits && { ...options.limits } };
		this.windows.clear();
	}

	get current(): RateLimitOptions | undefined {
		return this.options && { ...this.options };
	}

	reset(): void {
		this.set(undefined);
		this.stats.accepted = 0;
		this.stats.throttled = 0;
	}

	/** Counts one request of `account` (API family `family`) arriving at `now`; undefined when not limited. */
	admit(account: string, family: string, now: number): Admission | undefined {
		const o = this.options;
		if (!o) return undefined;
		// Bulk SMS is SMS unless the options name 'sms-bulk' (its own limit or family).
		if (family === 'sms-bulk' && !(o.limits && 'sms-bulk' in o.limits) && !o.families?.includes('sms-bulk')) family = 'sms';
		if (o.families && !o.families.includes(family)) return undefined;
		const key = o.perFamily ? `${account}\u0000${family}` : account;
		let w = this.windows.get(key);
		if (!w || now >= w.end) {
			w = { end: now + o.windowMs, count: 0 };
			this.windows.set(key, w);
		}
		const limit = o.perFamily ? (o.limits?.[family] ?? o.limit) : o.limit;
		const throttled = w.count >= limit;
		if (throttled) this.stats.throttled++;
		else {
			w.count++;
			this.stats.accepted++;
		}
		const secondsLeft = String(Math.ceil((w.end - now) / 1000));
		const headers: Record<string, string> = {};
		if (o.headers) {
			headers['X-RateLimit-Limit'] = String(limit);
			headers['X-RateLimit-Remaining'] = String(Math.max(0, limit - w.count));
			headers['X-RateLimit-Reset'] = secondsLeft;
		}
		if (throttled && o.retryAfter) headers['Retry-After'] = secondsLeft;
		return { throttled, headers };
	}
}
