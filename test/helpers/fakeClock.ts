/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
import type { Clock } from '../../nodes/Exotel/transport/clock';

interface Timer {
	at: number;
	order: number;
	resolve: () => void;
}

/**
 * A clock that only moves when told to: `sleep` registers a timer, and `runUntil` jumps from timer to
 * timer, letting every promise settle in between. Minutes of governor time pass in milliseconds.
 */
export class FakeClock implements Clock {
	private time: number;
	private order = 0;
	private readonly timers: Timer[] = [];

	constructor(start = 1_700_000_000_000) {
		this.time = start;
	}

	now(): number {
		return this.time;
	}

	async sleep(ms: number, signal?: AbortSignal): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			if (signal?.aborted) return reject(new Error('aborted'));
			const timer: Timer = { at: this.time + Math.max(0, ms), order: this.order++, resolve };
			this.timers.push(timer);
			signal?.addEventListener(
				'abort',
				() => {
					this.timers.splice(this.timers.indexOf(timer), 1);
					reject(new Error('aborted'));
				},
				{ once: true },
			);
		});
	}

	/** Lets every promise that can settle now settle (no timer fires). */
	async settle(): Promise<void> {
		for (let round = 0; round < 3; round++) await new Promise<void>((resolve) => setImmediate(resolve));
	}

	/** Fires timers in time order until `done()` or no timer is left; fails past `limitMs` of fake time. */
	async runUntil(done: () => boolean, limitMs = 24 * 3_600_000): Promise<void> {
		const end = this.time + limitMs;
		await this.settle();
		while (!done()) {
			if (this.timers.length === 0) throw new Error('FakeClock: nothing left to run, and not done');
			this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
			const timer = this.timers.shift() as Timer;
			if (timer.at > end) throw new Error(`FakeClock: not done within ${limitMs} ms`);
			this.time = Math.max(this.time, timer.at);
			timer.resolve();
			await this.settle();
		}
	}

	/** Moves time on by `ms`, firing the timers due on the way. */
	async advance(ms: number): Promise<void> {
		const end = this.time + ms;
		await this.runUntil(() => this.timers.every((timer) => timer.at > end));
		this.time = Math.max(this.time, end);
		await this.settle();
	}
}
