import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/errors';
import { exotelRequest } from '../../transport';
import { refusedError } from './actions';
import { campaignIdFrom, campaignLocator } from './fields';

export const description: INodeProperties[] = [
	campaignLocator(['delete'], 'The campaign to delete; Exotel deletes only campaigns that have not started'),
];

/** Deletes each item's campaign; a refusal says the campaign's status and what it allows. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const campaignId = campaignIdFrom(this, itemIndex);
		try {
			await exotelRequest(this, { method: 'DELETE', url: `/campaigns/${encodeURIComponent(campaignId)}`, itemIndex });
		} catch (error) {
			throw await refusedError(this, error, campaignId, 'delete', itemIndex);
		}
		return { id: campaignId, deleted: true };
	});
}
