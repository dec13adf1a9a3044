import { forgetRateGovernors } from '../../nodes/Exotel/transport/rateGovernor';
import { ExotelSimulator } from '../simulator/server';
import type { SimulatorOptions } from '../simulator/server';

/**
 * One simulator for a test file: started before the first test, reset before each, stopped after the
 * last. `onStart` receives it (and its account's API root) once it is listening.
 */
export function useSimulator(onStart: (sim: ExotelSimulator, root: string) => void, options?: SimulatorOptions) {
	let sim: ExotelSimulator | undefined;
	beforeAll(async () => {
		sim = await ExotelSimulator.start(options);
		onStart(sim, `/v2/accounts/${sim.credentials.accountSid}`);
	});
	afterAll(async () => sim?.stop());
	beforeEach(() => {
		sim?.reset();
		// The node's rate governor outlives a run (it is per account, per process): each test starts afresh.
		forgetRateGovernors();
	});
}

/** A resource locator parameter value, as the editor saves it. */
export const rl = (value: string, mode: 'id' | 'list' = 'id') => ({ __rl: true, mode, value });
