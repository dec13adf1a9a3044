import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/errors';
import { asSimplifyAsks, campaignIdFrom, campaignLocator, simplifyField } from './fields';
import { fetchCampaign } from './records';

export const description: INodeProperties[] = [campaignLocator(['get']), simplifyField(['get'])];

/** One campaign per input item, with its status and stats. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) =>
		asSimplifyAsks(this, itemIndex, await fetchCampaign(this, campaignIdFrom(this, itemIndex), itemIndex)),
	);
}
