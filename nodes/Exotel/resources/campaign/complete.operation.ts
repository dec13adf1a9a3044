import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { actionDescription, runAction } from './actions';

export const description: INodeProperties[] = actionDescription('complete', 'Ends a paused campaign; numbers not yet called are marked failed (from Paused)');

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runAction(this, 'complete');
}
