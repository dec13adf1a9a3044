import type { IExecuteFunctions, IExecuteSingleFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

/** Every kind of n8n context this node sends requests from. */
export type ExotelContext = IExecuteFunctions | IExecuteSingleFunctions | ILoadOptionsFunctions;

/** The execution's cancel signal (load-options requests have none). */
export function cancelSignal(context: ExotelContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

/** Whether the user stopped the execution: from then on no request leaves and every wait ends. */
export function isCancelled(context: ExotelContext): boolean {
	return cancelSignal(context)?.aborted === true;
}
