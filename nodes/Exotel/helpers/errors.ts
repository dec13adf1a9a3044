import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isCancelled } from '../transport';
import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	INode,
	INodeExecutionData,
	IPairedItemData,
} from 'n8n-workflow';

export type NodeError = NodeApiError | NodeOperationError;

type PairedItem = IPairedItemData | IPairedItemData[];

/** Any thrown value as an n8n node error tied to its item (n8n's own errors pass through unchanged). */
export function asNodeError(node: INode, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/** The output item for an error: n8n routes it to the error output and pairs it with its input. */
export function errorItem(error: NodeError, pairedItem: PairedItem): INodeExecutionData {
	return { json: { error: error.message }, error, pairedItem };
}

/**
 * An error as this item's output when the node continues on errors; otherwise (or when the execution
 * was cancelled) rethrown, tied to its item.
 */
export function errorOutput(
	context: IExecuteFunctions | IExecuteSingleFunctions,
	error: unknown,
	itemIndex: number,
	pairedItem: PairedItem = { item: itemIndex },
): INodeExecutionData {
	const nodeError = asNodeError(context.getNode(), error, itemIndex);
	if (!context.continueOnFail() || isCancelled(context)) throw nodeError;
	return errorItem(nodeError, pairedItem);
}

/** Runs `operation` once per input item: one output item each, errors per item, in input order. */
export async function forEachItem(
	context: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[][]> {
	const output: INodeExecutionData[] = [];
	const itemCount = context.getInputData().length;
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			output.push({ json: await operation(itemIndex), pairedItem: { item: itemIndex } });
		} catch (error) {
			output.push(errorOutput(context, error, itemIndex));
		}
	}
	return [output];
}
