import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorOutput } from '../../helpers/errors';
import { binaryCsvFile, inspectFile } from './binaryFile';
import type { InspectedFile } from './binaryFile';
import { sendCsv } from './sendCsv';
import { readSettings } from './uploadSettings';
import type { UploadSettings } from './uploadSettings';

/**
 * Source "CSV File": one upload per input item. Every item's file is checked first (nothing is sent
 * when one is bad and the node stops on errors); then each file goes into its request body, one at a
 * time, so at most one file's body is in memory.
 */
export async function uploadFiles(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const itemCount = context.getInputData().length;
	const output: INodeExecutionData[] = new Array(itemCount);
	const plans: Array<{ settings: UploadSettings; file: InspectedFile } | undefined> = new Array(itemCount);

	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			const settings = readSettings(context, itemIndex);
			plans[itemIndex] = { settings, file: await inspectFile(context, itemIndex, settings) };
		} catch (error) {
			output[itemIndex] = errorOutput(context, error, itemIndex);
		}
	}

	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const plan = plans[itemIndex];
		if (!plan) continue;
		plans[itemIndex] = undefined;
		try {
			const json = await sendCsv(context, itemIndex, plan.settings, binaryCsvFile(context, itemIndex, plan.file));
			output[itemIndex] = { json, pairedItem: { item: itemIndex } };
		} catch (error) {
			output[itemIndex] = errorOutput(context, error, itemIndex);
		}
	}
	return [output];
}
