import { sleep } from 'n8n-workflow';

import type { Clock } from '../../nodes/Exotel/transport/clock';

/**
 * Real time, run `factor` times faster: a governor on this clock paces, holds and recovers exactly as in
 * n8n, with every wait `factor` times shorter. A test using it scales the simulator's windows to match
 * (a 12 s window becomes 1.2 s) and leaves out headers that count in whole seconds.
 */
export function scaledClock(factor: number): Clock {
	const origin = Date.now();
	return {
		now: () => origin + (Date.now() - origin) * factor,
		sleep: async (ms, signal) => await sleep(ms / factor, signal),
	};
}
