import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { fetchPage, PAGE_SIZE } from '../helpers/pagination';

/** The list picker: one page of the account's lists at a time, filtered by name on Exotel's side. */
export async function searchLists(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const page = await fetchPage(
		this,
		{ method: 'GET', url: '/lists', qs: filter ? { name: filter, sort_by: 'name:asc' } : { sort_by: 'name:asc' } },
		offset,
		PAGE_SIZE,
	);
	const next = offset + page.records.length;
	const more = page.records.length > 0 && (page.total === undefined ? page.records.length === PAGE_SIZE : next < page.total);
	return {
		// The name alone: n8n keeps the picked name in the workflow (cachedResultName), where a contact
		// count would go stale (and n8n 2.41's picker shows nothing but the name and a link).
		results: page.records.map((list) => ({ name: String(list.name), value: String(list.sid) })),
		paginationToken: more ? String(next) : undefined,
	};
}
