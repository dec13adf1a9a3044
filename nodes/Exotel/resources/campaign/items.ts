import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorOutput } from '../../helpers/errors';

/** Like forEachItem for operations that give any number of records per input item (the lists). */
export async function forEachItemRecords(
	context: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[][]> {
	const output: INodeExecutionData[] = [];
	const itemCount = context.getInputData().length;
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			for (const json of await operation(itemIndex)) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			output.push(errorOutput(context, error, itemIndex));
		}
	}
	return [output];
}

/** Return All / Limit of a list operation. */
export function maxRecords(context: IExecuteFunctions, itemIndex: number): number {
	return (context.getNodeParameter('returnAll', itemIndex, false) as boolean)
		? Infinity
		: (context.getNodeParameter('limit', itemIndex, 50) as number);
}
