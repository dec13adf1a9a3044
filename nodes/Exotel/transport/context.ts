import type { IExecuteFunctions, IExecuteSingleFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

/** Every kind of n8n context this node sends requests from. */
export type ExotelContext = IExecuteFunctions | IExecuteSingleFunctions | ILoadOptionsFunctions;

interface LifecycleHooks {
	addHandler(hookName: 'workflowExecuteAfter', handler: () => void): void;
}

/** One signal per execution, aborted when n8n reports the execution ended (Stop included). */
const endSignals = new WeakMap<LifecycleHooks, AbortController>();

/**
 * n8n 2.41 builds the context of routed (declarative) operations without the execution's cancel
 * signal (WorkflowExecute.executeDeclarativeNodeInTest passes none), so their `getExecutionCancelSignal()`
 * is undefined. On Stop, n8n aborts its own signal and runs the execution's `workflowExecuteAfter` hook;
 * listening to that hook gives routed operations the same stop as custom ones.
 */
function executionEndSignal(context: ExotelContext): AbortSignal | undefined {
	const hooks = (context as unknown as { additionalData?: { hooks?: LifecycleHooks } }).additionalData?.hooks;
	if (!hooks || typeof hooks.addHandler !== 'function') return undefined;
	let controller = endSignals.get(hooks);
	if (!controller) {
		const created = new AbortController();
		hooks.addHandler('workflowExecuteAfter', () => created.abort());
		endSignals.set(hooks, (controller = created));
	}
	return controller.signal;
}

/** The execution's cancel signal (load-options requests have none). */
export function cancelSignal(context: ExotelContext): AbortSignal | undefined {
	if (!('getExecutionCancelSignal' in context)) return undefined;
	return context.getExecutionCancelSignal() ?? executionEndSignal(context);
}

/** Whether the user stopped the execution: from then on no request leaves and every wait ends. */
export function isCancelled(context: ExotelContext): boolean {
	return cancelSignal(context)?.aborted === true;
}
