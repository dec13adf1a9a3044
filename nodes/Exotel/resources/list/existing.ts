import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fetchPage, PAGE_SIZE } from '../../helpers/pagination';

/**
 * The account's lists with these exact names (Exotel's `name` filter matches any part of a name, so
 * the exact one is picked out of its answer). One `GET /lists?name=…` per name; when there are more
 * names than pages of lists, one pass over all lists instead, whichever takes fewer requests.
 */
export async function findListsByName(context: IExecuteFunctions, names: string[]): Promise<Map<string, IDataObject>> {
	const wanted = new Set(names);
	const found = new Map<string, IDataObject>();
	const take = (records: IDataObject[]) => {
		for (const record of records) {
			const name = String(record.name);
			if (wanted.has(name) && !found.has(name)) found.set(name, record);
		}
	};
	const missing = () => [...wanted].filter((name) => !found.has(name));

	if (wanted.size > 1) {
		// The first page of all lists says how many pages a full pass takes.
		const first = await fetchPage(context, { method: 'GET', url: '/lists' }, 0, PAGE_SIZE);
		take(first.records);
		const total = first.total ?? first.records.length;
		let offset = first.records.length;
		const pagesLeft = Math.ceil(Math.max(0, total - offset) / PAGE_SIZE);
		if (pagesLeft <= missing().length) {
			while (offset < total && missing().length > 0) {
				const page = await fetchPage(context, { method: 'GET', url: '/lists' }, offset, PAGE_SIZE);
				if (page.records.length === 0) break;
				take(page.records);
				offset += page.records.length;
			}
			return found;
		}
	}

	for (const name of missing()) {
		let offset = 0;
		for (;;) {
			const page = await fetchPage(context, { method: 'GET', url: '/lists', qs: { name } }, offset, PAGE_SIZE);
			take(page.records);
			offset += page.records.length;
			if (found.has(name) || page.records.length === 0 || offset >= (page.total ?? offset)) break;
		}
	}
	return found;
}
