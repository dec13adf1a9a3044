import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { exotelRequest } from '../transport';
import type { ExotelContext, ExotelRequest } from '../transport';
import { envelopeRecords } from '../transport/envelope';
import type { ExotelPage } from '../transport/types';

/** Exotel's largest page for contacts (and the contacts of a list); lists are paged the same way. */
export const PAGE_SIZE = 20;

/** One page of records and the total Exotel reports. */
export async function fetchPage(
	context: ExotelContext,
	request: ExotelRequest | IHttpRequestOptions,
	offset: number,
	limit: number,
): Promise<ExotelPage> {
	const envelope = await exotelRequest(context, {
		...request,
		qs: { ...(request.qs ?? {}), offset, limit },
	} as ExotelRequest);
	const total = Number(envelope.metadata?.total);
	return { records: envelopeRecords(envelope), total: Number.isFinite(total) ? total : undefined };
}

/**
 * The one paging loop: follows `offset` until `metadata.total` (or a short page) and stops early at
 * `maxRecords`. Advances by what came back, so a server that caps pages lower than asked still works.
 */
export async function collectPages(
	context: ExotelContext,
	request: ExotelRequest | IHttpRequestOptions,
	maxRecords = Infinity,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	let offset = 0;
	while (records.length < maxRecords) {
		const wanted = Math.min(PAGE_SIZE, maxRecords - records.length);
		const page = await fetchPage(context, request, offset, wanted);
		records.push(...page.records.slice(0, maxRecords - records.length));
		offset += page.records.length;
		const exhausted =
			page.records.length === 0 ||
			(page.total !== undefined ? offset >= page.total : page.records.length < wanted);
		if (exhausted) break;
	}
	return records;
}
