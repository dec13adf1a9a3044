import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { actionDescription, runAction } from './actions';

export const description: INodeProperties[] = actionDescription('pause', 'Stops calling; the campaign can be resumed (from Created or In Progress)');

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runAction(this, 'pause');
}
