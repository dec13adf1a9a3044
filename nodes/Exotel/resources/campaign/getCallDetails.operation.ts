import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { asNodeError, forEachItemRecords } from '../../helpers/errors';
import { returnAllAndLimit } from '../../helpers/fields';
import { campaignIdFrom, campaignLocator } from './fields';
import { collectPages, maxRecords } from '../../helpers/pagination';
import { CAMPAIGN_PAGES, fetchCampaign } from './records';

const showOnlyForCallDetails = { show: { resource: ['campaign'], operation: ['getCallDetails'] } };

export const description: INodeProperties[] = [
	campaignLocator(['getCallDetails']),
	...returnAllAndLimit(showOnlyForCallDetails),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: showOnlyForCallDetails,
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				default: [],
				description: 'Only calls with one of these outcomes',
				options: [
					{ name: 'Completed', value: 'completed' },
					{ name: 'Busy', value: 'busy' },
					{ name: 'No Answer', value: 'no-answer' },
					{ name: 'Failed', value: 'failed' },
				],
			},
		],
	},
];

/**
 * One output item per call of each item's campaign (number, status, duration, recording URL, …), paged.
 * A campaign that has made no call yet (Exotel answers 404) gives no items, not an error; a campaign
 * that does not exist is still an error (checked with a GET when the call details are 404).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItemRecords(this, async (itemIndex) => {
		const campaignId = campaignIdFrom(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const statuses = (Array.isArray(filters.status) ? filters.status : []) as string[];
		const qs: IDataObject = statuses.length ? { status: statuses.join(',') } : {};
		try {
			return await collectPages(
				this,
				{ method: 'GET', url: `/campaigns/${encodeURIComponent(campaignId)}/call-details`, qs, itemIndex },
				maxRecords(this, itemIndex),
				CAMPAIGN_PAGES,
			);
		} catch (error) {
			// A 404 for the calls of a campaign that exists means "no calls yet"; a missing campaign fails the GET.
			if (error instanceof NodeApiError && String(error.httpCode) === '404') {
				await fetchCampaign(this, campaignId, itemIndex);
				return [];
			}
			throw asNodeError(this.getNode(), error, itemIndex);
		}
	});
}
