import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { exotelV1Request } from '../transport';
import type { ExotelContext, ExotelRequest } from '../transport';
import { asObject } from '../transport/envelope';
import type { ExotelV1Answer } from '../transport/types';

/** How one of Exotel's v1 or v2_beta lists is paged. */
export interface CursorPageShape {
	/** The largest page Exotel gives. */
	pageSize: number;
	/** The query parameter that sets the page size. */
	pageSizeParam: string;
	/** The records of one answer, each unwrapped to the record itself. */
	records: (answer: ExotelV1Answer) => IDataObject[];
	/** The answer's link to the next page (a path with a query), or nothing on the last page. */
	nextPageUri: (answer: ExotelV1Answer) => string | undefined;
}

/** A record as Exotel's v1 lists sometimes wrap it, `{ IncomingPhoneNumber: {…} }`, unwrapped. */
function unwrapSingleKey(record: IDataObject): IDataObject {
	const keys = Object.keys(record);
	const inner = keys.length === 1 ? asObject(record[keys[0]]) : undefined;
	return inner ?? record;
}

function listOf(answer: ExotelV1Answer, key: string): IDataObject[] {
	const list = asObject(answer)?.[key];
	return Array.isArray(list) ? (list as IDataObject[]).map((record) => unwrapSingleKey(record)) : [];
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : undefined);

/** A v1 list (`{ Metadata: { NextPageUri }, Calls: […] }`): records under `key`, cursor in the metadata. */
export function v1ListShape(key: string, pageSize = 100): CursorPageShape {
	return {
		pageSize,
		pageSizeParam: 'PageSize',
		records: (answer) => listOf(answer, key),
		nextPageUri: (answer) => text(asObject(asObject(answer)?.Metadata)?.NextPageUri),
	};
}

/** A v2_beta list (`{ next_page_uri, incoming_phone_numbers: […] }`): numbered pages linked by URI. */
export function v2BetaListShape(key: string, pageSize = 100): CursorPageShape {
	return {
		pageSize,
		pageSizeParam: 'PageSize',
		records: (answer) => listOf(answer, key),
		nextPageUri: (answer) => text(asObject(answer)?.next_page_uri),
	};
}

/** The query of a next-page URI (its host, sometimes another of Exotel's, is not used). */
function queryOf(uri: string): IDataObject {
	const query: IDataObject = {};
	for (const [name, value] of new URL(uri, 'http://exotel.invalid').searchParams) query[name] = value;
	return query;
}

/**
 * The one pager for Exotel's v1 and v2_beta lists. Each next page is asked with the query of the
 * previous answer's next-page URI (v1's `After` cursor, v2_beta's `Page`) laid over the first request's
 * filters: Exotel's cursors are opaque, so pages are never computed as offsets. Stops at the last page,
 * an empty page or `maxRecords`; a next page that repeats an earlier one ends with an error, not a loop.
 */
export async function collectCursorPages(
	context: ExotelContext,
	request: ExotelRequest,
	shape: CursorPageShape,
	maxRecords = Infinity,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	let qs: IDataObject = { ...(request.qs ?? {}) };
	const asked = new Set<string>();
	while (records.length < maxRecords) {
		const pageSize = Math.min(shape.pageSize, maxRecords - records.length);
		const answer = await exotelV1Request(context, { ...request, qs: { ...qs, [shape.pageSizeParam]: pageSize } });
		const page = shape.records(answer);
		records.push(...page.slice(0, maxRecords - records.length));
		const next = shape.nextPageUri(answer);
		if (!next || page.length === 0) break;
		const nextQuery = queryOf(next);
		delete nextQuery[shape.pageSizeParam];
		const key = JSON.stringify(nextQuery);
		if (asked.has(key)) {
			throw new NodeOperationError(context.getNode(), `Exotel's pages of ${request.url} lead back to a page already read`, {
				itemIndex: request.itemIndex,
				description: `${records.length} records were read before that. Try a narrower filter, or run it again later.`,
			});
		}
		asked.add(key);
		qs = { ...qs, ...nextQuery };
	}
	return records;
}
