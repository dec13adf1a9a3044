import fc from 'fast-check';

import { RateGovernor } from '../../nodes/Exotel/transport/rateGovernor';
import { FakeClock } from '../helpers/fakeClock';
import { driveGovernor, mostInSpan, windowAnswers } from '../helpers/governorModel';

/**
 * The rate governor on a fake clock: random 429 patterns and fixed windows, minutes of governor time in
 * milliseconds. The transport drives it the same way (turn, send, throttled/accepted); the engine-level
 * suite checks that wiring against the HTTP simulator.
 */
describe('transport: the rate governor on a fake clock', () => {
	const MINUTE = 60_000;
	const BURST = 5;
	const MAX_HOLD = 5 * MINUTE;

	const governorOn = (clock: FakeClock, perMinute: number) => new RateGovernor(perMinute, { clock, maxHoldMs: MAX_HOLD });

	describe('properties under random 429 patterns', () => {
		/** One answer: accepted, or 429 with nothing, a Retry-After in seconds, or an X-RateLimit-Reset. */
		const answerArbitrary = fc.oneof(
			{ weight: 3, arbitrary: fc.constant({ kind: 'ok' as const, seconds: 0 }) },
			{ weight: 2, arbitrary: fc.constant({ kind: 'blind' as const, seconds: 0 }) },
			{ weight: 1, arbitrary: fc.record({ kind: fc.constant('retryAfter' as const), seconds: fc.integer({ min: 0, max: 400 }) }) },
			{ weight: 1, arbitrary: fc.record({ kind: fc.constant('retryAfter' as const), seconds: fc.integer({ min: 3_600, max: 86_400 }) }) },
			{ weight: 1, arbitrary: fc.record({ kind: fc.constant('reset' as const), seconds: fc.integer({ min: 0, max: 600 }) }) },
		);
		const scenario = fc.record({
			perMinute: fc.integer({ min: 10, max: 600 }),
			concurrency: fc.integer({ min: 1, max: 6 }),
			latencyMs: fc.integer({ min: 1, max: 2_000 }),
			pattern: fc.array(answerArbitrary, { minLength: 1, maxLength: 60 }),
		});

		it('never sends above the credential’s figure, never during a hold, holds no longer than the node waits, and recovers', async () => {
			await fc.assert(
				fc.asyncProperty(scenario, async ({ perMinute, concurrency, latencyMs, pattern }) => {
					const clock = new FakeClock();
					const governor = governorOn(clock, perMinute);
					// The pattern answers the first attempts in order; every later attempt is accepted.
					let attempt = 0;
					const retryAfterAsked: number[] = [];
					const result = await driveGovernor({
						governor,
						clock,
						requests: pattern.length,
						concurrency,
						latencyMs: () => latencyMs,
						answer: () => {
							const step = pattern[attempt++] ?? { kind: 'ok', seconds: 0 };
							if (step.kind === 'ok') return { throttled: false };
							if (step.kind === 'blind') return { throttled: true };
							if (step.kind === 'retryAfter') {
								retryAfterAsked.push(step.seconds * 1000);
								return { throttled: true, headers: { 'retry-after': String(step.seconds) } };
							}
							return { throttled: true, headers: { 'x-ratelimit-reset': String(step.seconds) } };
						},
					});

					// Every request either went through or failed on a Retry-After longer than the node waits.
					expect(result.accepted + result.refused).toBe(pattern.length);
					expect(result.refused).toBe(retryAfterAsked.filter((asked) => asked > MAX_HOLD).length);
					// Never above the credential's figure: a minute holds at most its budget plus the burst.
					expect(mostInSpan(result.sentAt, MINUTE)).toBeLessThanOrEqual(Math.ceil(perMinute) + BURST);
					// Holds are bounded, and nothing leaves while one is in force.
					for (const hold of result.holds) {
						if (hold.refused) {
							expect(hold.waitMs).toBeGreaterThan(MAX_HOLD);
							continue;
						}
						expect(hold.waitMs).toBeLessThanOrEqual(MAX_HOLD);
						// (A request sent in the same millisecond as the 429 arrived left before the hold began.)
						const during = result.sentAt.filter((sent) => sent > hold.at && sent < hold.at + hold.waitMs);
						expect(during).toEqual([]);
					}
					// Always recovers: eleven clean minutes give back the credential's whole figure.
					await clock.advance(11 * MINUTE);
					expect(governor.requestsPerMinute).toBe(perMinute);
					expect(governor.holdRemainingMs()).toBe(0);
				}),
				{ numRuns: 150 },
			);
		});

		it('against a fixed window: every request goes through, and Retry-After or X-RateLimit headers keep 429s to one refusal a window', async () => {
			await fc.assert(
				fc.asyncProperty(
					fc.record({
						limit: fc.integer({ min: 1, max: 60 }),
						windowSeconds: fc.integer({ min: 1, max: 90 }),
						perMinute: fc.integer({ min: 10, max: 600 }),
						concurrency: fc.integer({ min: 1, max: 5 }),
						latencyMs: fc.integer({ min: 1, max: 500 }),
						requests: fc.integer({ min: 1, max: 150 }),
						headers: fc.constantFrom('none', 'retryAfter', 'all'),
					}),
					async ({ limit, windowSeconds, perMinute, concurrency, latencyMs, requests, headers }) => {
						const clock = new FakeClock();
						const governor = governorOn(clock, perMinute);
						const windowMs = windowSeconds * 1000;
						const { answer, limiter } = windowAnswers({
							limit,
							windowMs,
							retryAfter: headers !== 'none',
							headers: headers === 'all',
						});
						const started = clock.now();
						const result = await driveGovernor({ governor, clock, requests, concurrency, latencyMs: () => latencyMs, answer });
						expect(result.accepted).toBe(requests);
						expect(limiter.stats.accepted).toBe(requests);
						const windows = Math.ceil((result.finishedAt - started) / windowMs) + 1;
						if (headers !== 'none') {
							// One refusal a window at most: the requests in flight when the window ran out.
							expect(result.throttledAnswers).toBeLessThanOrEqual(windows * concurrency);
						} else {
							// Blind probes double (2, 4, 8 … 30 s) until the window has passed.
							const probesPerWindow = 1 + Math.ceil(Math.log2(Math.max(1, windowMs / 2_000))) + Math.ceil(windowMs / 30_000);
							expect(result.throttledAnswers).toBeLessThanOrEqual(windows * (concurrency + probesPerWindow));
						}
						for (const hold of result.holds) expect(hold.waitMs).toBeLessThanOrEqual(Math.max(MAX_HOLD, windowMs));
					},
				),
				{ numRuns: 100 },
			);
		});
	});

	describe('one refusal, one hold', () => {
		it('five requests answered 429 together cause one 2 s hold, not 2 + 4 + 8 + 16 s', async () => {
			const clock = new FakeClock();
			const governor = governorOn(clock, 200);
			const turns = await Promise.all(Array.from({ length: 5 }, async () => await governor.acquire(undefined)));
			await clock.advance(100);
			const waits = turns.map((turn) => governor.throttled(undefined, turn).waitMs);
			expect(waits).toEqual([2_000, 2_000, 2_000, 2_000, 2_000]);
			expect(governor.holdRemainingMs()).toBe(2_000);
		});

		it('a probe refused again after the hold doubles the next one', async () => {
			const clock = new FakeClock();
			const governor = governorOn(clock, 200);
			const holds: number[] = [];
			for (let probe = 0; probe < 6; probe++) {
				const turn = governor.acquire(undefined);
				await clock.runUntil(() => governor.waiting === 0);
				holds.push(governor.throttled(undefined, await turn).waitMs);
			}
			expect(holds).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
		});

		it('a Retry-After longer than the node waits fails that request at once, and the next one asks again', async () => {
			const clock = new FakeClock();
			const governor = governorOn(clock, 200);
			const first = governor.acquire(undefined);
			await clock.settle();
			const wait = governor.throttled({ 'retry-after': String(3 * 3_600) }, await first);
			expect(wait).toMatchObject({ refused: true, waitMs: 3 * 3_600_000 });
			// Not kept: the account is held only for the short wait any unexplained 429 gets.
			expect(governor.holdRemainingMs()).toBe(2_000);
			const second = governor.acquire(undefined);
			await clock.runUntil(() => governor.waiting === 0);
			expect((await second).sentAt - clock.now()).toBe(0);
			expect(clock.now()).toBeLessThanOrEqual(1_700_000_000_000 + 2_000 + MINUTE / 200);
		});
	});

	describe('several processes on one account', () => {
		it('three governors that know nothing of each other settle near a shared 200-a-minute window', async () => {
			const clock = new FakeClock();
			// The simulator's fixed window, without Retry-After or X-RateLimit headers: the hardest case.
			const { answer, limiter } = windowAnswers({ limit: 200, windowMs: MINUTE });
			const governors = [0, 1, 2].map(() => governorOn(clock, 200));
			const started = clock.now();
			const results = await Promise.all(
				governors.map(async (governor) => await driveGovernor({ governor, clock, requests: 400, concurrency: 1, latencyMs: () => 20, answer })),
			);
			expect(results.map((result) => result.accepted)).toEqual([400, 400, 400]);
			const idealMs = (1_200 / 200) * MINUTE;
			const tookMs = Math.max(...results.map((result) => result.finishedAt)) - started;
			expect(tookMs / idealMs).toBeLessThanOrEqual(1.25);
			expect(limiter.stats.throttled).toBeLessThanOrEqual(1_200 * 0.05);
		});
	});

	describe('recovery', () => {
		it('after a 429 storm from another app, the budget halves at most and climbs back a tenth a clean minute', async () => {
			const clock = new FakeClock();
			const governor = governorOn(clock, 200);
			// Another app takes the whole window for five minutes: this process is refused every time it asks.
			const stormEnds = clock.now() + 5 * MINUTE;
			const storm = await driveGovernor({
				governor,
				clock,
				requests: 30,
				concurrency: 5,
				latencyMs: () => 50,
				answer: (arrivedAt) => ({ throttled: arrivedAt < stormEnds }),
			});
			expect(storm.accepted).toBe(30);
			expect(storm.throttledAnswers).toBeGreaterThan(5);
			expect(governor.requestsPerMinute).toBe(100);
			const budgets: number[] = [];
			for (let minute = 0; minute < 6; minute++) {
				budgets.push(governor.requestsPerMinute);
				await clock.advance(MINUTE);
			}
			expect(budgets).toEqual([100, 120, 140, 160, 180, 200]);
		});

		it('learns a window that lets 20 requests through in 12 s: refused in the first window only, then paced under it', async () => {
			const clock = new FakeClock();
			const governor = governorOn(clock, 200);
			const window = windowAnswers({ limit: 20, windowMs: 12_000 });
			const answers: boolean[] = [];
			const result = await driveGovernor({
				governor,
				clock,
				requests: 100,
				concurrency: 1,
				latencyMs: () => 20,
				answer: (arrivedAt, request) => {
					const answer = window.answer(arrivedAt, request);
					answers.push(answer.throttled);
					return answer;
				},
			});
			expect(result.accepted).toBe(100);
			const learnedAt = answers.findIndex((throttled, index) => !throttled && answers.slice(0, index).includes(true));
			expect(answers.slice(0, learnedAt).filter(Boolean).length).toBeLessThanOrEqual(5);
			expect(answers.slice(learnedAt)).not.toContain(true);
			// The window's 100 a minute, less what blind probing cannot tell (when exactly it ended).
			expect(governor.requestsPerMinute).toBeLessThanOrEqual(100);
			expect(governor.requestsPerMinute).toBeGreaterThanOrEqual(70);
		});
	});
});
