import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { exotelRequest } from '../transport';
import { campaignIdOf, campaignRecords } from '../resources/campaign/records';

const SEARCH_PAGE_SIZE = 20;

/** The campaign picker: one page of the account's campaigns at a time, filtered by name on Exotel's side. */
export async function searchCampaigns(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const envelope = await exotelRequest(this, {
		method: 'GET',
		url: '/campaigns',
		qs: { ...(filter ? { name: filter } : {}), sort_by: 'date_created:desc', offset, limit: SEARCH_PAGE_SIZE },
	});
	const records = campaignRecords(envelope);
	const total = Number(envelope.metadata?.total);
	const next = offset + records.length;
	const more = records.length > 0 && (Number.isFinite(total) ? next < total : records.length === SEARCH_PAGE_SIZE);
	return {
		results: records
			.filter((campaign) => campaignIdOf(campaign) !== undefined)
			.map((campaign) => ({
				name: `${String(campaign.name ?? campaignIdOf(campaign))}${campaign.status ? ` (${String(campaign.status)})` : ''}`,
				value: campaignIdOf(campaign) as string,
			})),
		paginationToken: more ? String(next) : undefined,
	};
}
