/**
 * The rate governor's cases of `npm run bench`:
 * - recovery after a 429 storm, on a fake clock (the governor's own arithmetic, minutes in milliseconds);
 * - several n8n processes on one account (queue-mode workers), each with its own governor, sharing
 *   one simulator window with no coordination.
 */
import { RateGovernor } from '../nodes/Exotel/transport/rateGovernor';
import { FakeClock } from '../test/helpers/fakeClock';
import { driveGovernor, windowAnswers } from '../test/helpers/governorModel';
import type { ExotelSimulator } from '../test/simulator/server';

const MINUTE = 60_000;

export interface RecoveryFigures {
	/** Budget when the storm ended. */
	afterStorm: number;
	/** Minutes from the storm's end until the budget was the credential's again. */
	minutesToFull: number;
	throttledAnswers: number;
}

/**
 * Another app takes the account's whole window for `stormMinutes`: this process keeps sending (5 at a
 * time) and is refused either throughout (`pattern: 'solid'`) or in the first 30 s of every minute, so
 * that some requests get through between refusals (`'gaps'`, which lowers the budget once per minute).
 */
export async function recoveryAfterStorm(perMinute: number, stormMinutes: number, pattern: 'solid' | 'gaps'): Promise<RecoveryFigures> {
	const clock = new FakeClock();
	const governor = new RateGovernor(perMinute, { clock });
	const stormEnds = clock.now() + stormMinutes * MINUTE;
	const storm = await driveGovernor({
		governor,
		clock,
		requests: Infinity,
		until: stormEnds,
		concurrency: 5,
		latencyMs: () => 50,
		answer: (arrivedAt) => {
			if (arrivedAt >= stormEnds) return { throttled: false };
			return { throttled: pattern === 'solid' || (arrivedAt - (stormEnds - stormMinutes * MINUTE)) % MINUTE < 30_000 };
		},
	});
	const afterStorm = governor.requestsPerMinute;
	let minutes = 0;
	while (governor.requestsPerMinute < perMinute && minutes < 60) {
		await clock.advance(MINUTE);
		minutes++;
	}
	return { afterStorm, minutesToFull: minutes, throttledAnswers: storm.throttledAnswers };
}

export interface SharedWindowFigures {
	processes: number;
	accepted: number;
	throttled: number;
	/** From the first request to the last answer. */
	wallMs: number;
	idealMs: number;
	perProcessWallMs: number[];
}

/**
 * `processes` case processes (each its own n8n, so its own governor) each read `pages` pages of contacts
 * through one window of `limit` requests a minute, all with the credential's figure `limit`.
 */
export async function sharedWindow(
	sim: ExotelSimulator,
	run: (credentials: object) => Promise<{ wallMs: number; startedAtEpochMs: number }>,
	options: { processes: number; limit: number; pages: number; retryAfter: boolean },
): Promise<SharedWindowFigures> {
	sim.setRateLimit({ limit: options.limit, windowMs: MINUTE, retryAfter: options.retryAfter });
	const results = await Promise.all(
		Array.from({ length: options.processes }, async () => await run({ ...sim.credentials, requestsPerMinute: options.limit })),
	);
	const { accepted, throttled } = sim.rateLimitStats;
	sim.setRateLimit(undefined);
	const start = Math.min(...results.map((result) => result.startedAtEpochMs));
	const end = Math.max(...results.map((result) => result.startedAtEpochMs + result.wallMs));
	const requests = options.processes * options.pages;
	return {
		processes: options.processes,
		accepted,
		throttled,
		wallMs: end - start,
		// A fixed window lets `limit` through a minute: the last window's requests go at its start.
		idealMs: Math.floor((requests - 1) / options.limit) * MINUTE,
		perProcessWallMs: results.map((result) => result.wallMs),
	};
}

/** The same sharing on a fake clock, long enough to see where the governors settle: `windows` minutes of work. */
export async function sharedWindowModel(options: { processes: number; limit: number; windows: number; retryAfter: boolean }): Promise<SharedWindowFigures> {
	const clock = new FakeClock();
	const limiter = windowAnswers({ limit: options.limit, windowMs: MINUTE, retryAfter: options.retryAfter });
	const pages = Math.round((options.limit * options.windows) / options.processes);
	const started = clock.now();
	const results = await Promise.all(
		Array.from({ length: options.processes }, async () => {
			const governor = new RateGovernor(options.limit, { clock });
			return await driveGovernor({ governor, clock, requests: pages, concurrency: 1, latencyMs: () => 20, answer: limiter.answer });
		}),
	);
	return {
		processes: options.processes,
		accepted: limiter.limiter.stats.accepted,
		throttled: limiter.limiter.stats.throttled,
		wallMs: Math.max(...results.map((result) => result.finishedAt)) - started,
		idealMs: ((options.processes * pages) / options.limit) * MINUTE,
		perProcessWallMs: results.map((result) => result.finishedAt - started),
	};
}
