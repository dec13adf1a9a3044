import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { exotelRequest } from '../transport';
import type { ExotelContext, ExotelRequest } from '../transport';
import { envelopeRecords } from '../transport/envelope';
import type { ExotelEnvelope, ExotelPage } from '../transport/types';

/** Exotel's largest page for contacts (and the contacts of a list); lists are paged the same way. */
export const PAGE_SIZE = 20;

/** How a resource's pages are read: their size and the records of one answer. */
export interface PageShape {
	pageSize: number;
	records: (envelope: ExotelEnvelope) => IDataObject[];
}

const DEFAULT_SHAPE: PageShape = { pageSize: PAGE_SIZE, records: envelopeRecords };

/** One page of records and the total Exotel reports. */
export async function fetchPage(
	context: ExotelContext,
	request: ExotelRequest | IHttpRequestOptions,
	offset: number,
	limit: number,
	readRecords: PageShape['records'] = envelopeRecords,
): Promise<ExotelPage> {
	const envelope = await exotelRequest(context, {
		...request,
		qs: { ...(request.qs ?? {}), offset, limit },
	} as ExotelRequest);
	const total = Number(envelope.metadata?.total);
	return { records: readRecords(envelope), total: Number.isFinite(total) ? total : undefined };
}

/**
 * The one paging loop: follows `offset` until `metadata.total` (or a short page) and stops early at
 * `maxRecords`. Advances by what came back, so a server that caps pages lower than asked still works.
 */
export async function collectPages(
	context: ExotelContext,
	request: ExotelRequest | IHttpRequestOptions,
	maxRecords = Infinity,
	shape: PageShape = DEFAULT_SHAPE,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	let offset = 0;
	while (records.length < maxRecords) {
		const wanted = Math.min(shape.pageSize, maxRecords - records.length);
		const page = await fetchPage(context, request, offset, wanted, shape.records);
		records.push(...page.records.slice(0, maxRecords - records.length));
		offset += page.records.length;
		const exhausted =
			page.records.length === 0 ||
			(page.total !== undefined ? offset >= page.total : page.records.length < wanted);
		if (exhausted) break;
	}
	return records;
}

/** How many records an item's Return All / Limit asks for. */
export function maxRecords(context: IExecuteFunctions, itemIndex: number): number {
	return (context.getNodeParameter('returnAll', itemIndex, false) as boolean)
		? Infinity
		: (context.getNodeParameter('limit', itemIndex, 50) as number);
}
