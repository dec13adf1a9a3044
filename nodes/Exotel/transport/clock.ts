import { sleep } from 'n8n-workflow';

/** Time as the rate governor sees it: the real clock in n8n, a fake one in tests. */
export interface Clock {
	now(): number;
	/** Resolves after `ms`; rejects at once when `signal` aborts. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => await sleep(ms, signal),
};
