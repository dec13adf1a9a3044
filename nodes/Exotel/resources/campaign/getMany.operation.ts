import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, sortByOptions } from '../../helpers/fields';
import { forEachItemRecords } from '../../helpers/errors';
import { collectPages, maxRecords } from '../../helpers/pagination';
import { asSimplifyAsks, simplifyField } from './fields';
import { CAMPAIGN_PAGES } from './records';

const showOnlyForGetMany = { show: { resource: ['campaign'], operation: ['getMany'] } };

/** The filter's values and how Exotel spells them in `status` (several go comma-separated: `Created,Completed`). */
const STATUSES: Array<{ name: string; value: string; exotel: string }> = [
	{ name: 'Created', value: 'created', exotel: 'Created' },
	{ name: 'In Progress', value: 'in-progress', exotel: 'InProgress' },
	{ name: 'Paused', value: 'paused', exotel: 'Paused' },
	{ name: 'Completed', value: 'completed', exotel: 'Completed' },
	{ name: 'Failed', value: 'failed', exotel: 'Failed' },
	{ name: 'Canceled', value: 'canceled', exotel: 'Canceled' },
	{ name: 'Archived', value: 'archived', exotel: 'Archived' },
];

export const description: INodeProperties[] = [
	...returnAllAndLimit(showOnlyForGetMany),
	simplifyField(['getMany']),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: showOnlyForGetMany,
		options: [
			{
				displayName: 'Name Contains',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Only campaigns whose name contains this text',
			},
			{
				displayName: 'Sort By',
				name: 'sortBy',
				type: 'options',
				default: 'date_created:asc',
				options: sortByOptions([
					{ name: 'Date Created', value: 'date_created' },
					{ name: 'Name', value: 'name' },
				]),
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				default: [],
				description: 'Only campaigns in one of these statuses',
				options: STATUSES.map(({ name, value }) => ({ name, value })),
			},
		],
	},
];

/** The account's campaigns, paged: one output item per campaign. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItemRecords(this, async (itemIndex) => {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = {};
		if (filters.name) qs.name = String(filters.name);
		if (filters.sortBy) qs.sort_by = String(filters.sortBy);
		const statuses = (Array.isArray(filters.status) ? filters.status : []) as string[];
		if (statuses.length) {
			qs.status = statuses.map((status) => STATUSES.find((s) => s.value === status)?.exotel ?? status).join(',');
		}
		const campaigns = await collectPages(this, { method: 'GET', url: '/campaigns', qs, itemIndex }, maxRecords(this, itemIndex), CAMPAIGN_PAGES);
		return campaigns.map((campaign) => asSimplifyAsks(this, itemIndex, campaign));
	});
}
