import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { actionDescription, runAction } from './actions';

export const description: INodeProperties[] = actionDescription('resume', 'Goes on calling (from Paused)');

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runAction(this, 'resume');
}
