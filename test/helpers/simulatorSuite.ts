import type { IDataObject } from 'n8n-workflow';

import { ExotelSimulator } from '../simulator/server';
import { runExotel } from './harness';
import type { SimulatorOptions } from '../simulator/server';

/**
 * A fresh simulator for each test: started before it, stopped after it. `onStart` receives it (and its
 * account's API root) once it is listening. Each one listens on its own port, so the account's base URL
 * differs from test to test, and the node's rate governors (kept per account and family for the life of
 * the process, as in n8n) start afresh without any reset hook in the node.
 */
export function useSimulator(onStart: (sim: ExotelSimulator, root: string) => void, options?: SimulatorOptions) {
	let sim: ExotelSimulator | undefined;
	beforeEach(async () => {
		sim = await ExotelSimulator.start(options);
		onStart(sim, `/v2/accounts/${sim.credentials.accountSid}`);
	});
	afterEach(async () => {
		await sim?.stop();
		sim = undefined;
	});
}

/** A resource locator parameter value, as the editor saves it. */
export const rl = (value: string, mode: 'id' | 'list' = 'id') => ({ __rl: true, mode, value });

/** Exotel's documented budget, as a new credential has it (the harness's default is unlimited). */
export const DOCUMENTED_BUDGET = 200;

export interface BudgetedRunOptions {
	items?: IDataObject[];
	/** Requests a minute the credential says; DOCUMENTED_BUDGET unless given. */
	budget?: number;
	onStarted?: (cancel: () => void) => void;
}

/** Runs the node against the current simulator with a credential that states a request budget. */
export function budgetedRunner(currentSim: () => ExotelSimulator) {
	return async (parameters: IDataObject, options: BudgetedRunOptions = {}) =>
		await runExotel({
			credentials: { ...currentSim().credentials, requestsPerMinute: options.budget ?? DOCUMENTED_BUDGET },
			parameters: parameters as never,
			items: options.items,
			onStarted: options.onStarted,
		});
}
