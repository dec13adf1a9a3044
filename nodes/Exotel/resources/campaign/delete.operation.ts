import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { deleteRecord } from '../../helpers/deletes';
import { forEachItem, nameItemAndField } from '../../helpers/errors';
import { refusedError } from './actions';
import { campaignIdFrom, campaignLocator } from './fields';

export const description: INodeProperties[] = [
	campaignLocator(['delete'], 'The campaign to delete; Exotel deletes only campaigns that have not started'),
];

/**
 * Deletes each item's campaign and outputs `{ deleted: true, id }`; a refusal says the campaign's status
 * and what it allows.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const campaignId = campaignIdFrom(this, itemIndex);
		try {
			const url = `/campaigns/${encodeURIComponent(campaignId)}`;
			return await deleteRecord(this, { method: 'DELETE', url, itemIndex }, { id: campaignId });
		} catch (error) {
			const refused = await refusedError(this, error, campaignId, 'delete', itemIndex);
			nameItemAndField(refused, itemIndex, 'Campaign');
			throw refused;
		}
	});
}
