import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, JsonObject } from 'n8n-workflow';

import type { PageShape } from '../../helpers/pagination';
import { asObject, describeExotelError } from '../../transport/envelope';
import type { ExotelEnvelope, ExotelErrorData } from '../../transport/types';
import { exotelRequest } from '../../transport';
import type { ExotelContext } from '../../transport';

/**
 * Campaign answers vary by endpoint: `response` may be an array or one object, and each entry either
 * `{ code, status, data }` or the record itself (call details). Both are read here.
 */

/** Campaigns and call details are paged with this many records a request (Exotel allows up to 500). */
export const CAMPAIGN_PAGE_SIZE = 100;

/** Whether an entry is a `{ code, status, data, error_data }` wrapper rather than a record. */
function isWrapper(entry: IDataObject): boolean {
	return 'data' in entry && ('status' in entry || 'code' in entry || 'error_data' in entry);
}

function isFailedEntry(entry: IDataObject): boolean {
	const code = Number(entry.code);
	return entry.status === 'failure' || asObject(entry.error_data) !== undefined || (Number.isFinite(code) && code >= 400);
}

/** The entries of an envelope's `response`, whatever its shape. */
function entries(envelope: ExotelEnvelope): IDataObject[] {
	const response = envelope.response as unknown;
	const list = Array.isArray(response) ? response : [response];
	return list.map(asObject).filter((entry): entry is IDataObject => entry !== undefined);
}

/** Every record of a page or single answer: wrapped entries' `data`, bare entries as they are. */
export function campaignRecords(envelope: ExotelEnvelope): IDataObject[] {
	const records: IDataObject[] = [];
	for (const entry of entries(envelope)) {
		if (!isWrapper(entry)) records.push(entry);
		else if (!isFailedEntry(entry) && asObject(entry.data)) records.push(entry.data as IDataObject);
	}
	return records;
}

/**
 * The one record of a create, get, update or action answer. A 200 answer can still carry a failed
 * entry (v2 judges each entry by its own `code`/`status`): that becomes Exotel's error.
 */
export function singleRecord(context: ExotelContext, envelope: ExotelEnvelope, what: string, itemIndex?: number): IDataObject {
	const [entry] = entries(envelope);
	if (entry && isWrapper(entry) && isFailedEntry(entry)) {
		const { message, hint } = describeExotelError(entry.error_data as ExotelErrorData, `HTTP ${String(entry.code ?? '')}`);
		throw new NodeApiError(context.getNode(), envelope as unknown as JsonObject, {
			message: `Exotel: ${message}`,
			description: hint,
			httpCode: entry.code !== undefined ? String(entry.code) : undefined,
			itemIndex,
		});
	}
	const [record] = campaignRecords(envelope);
	if (!record) {
		throw new NodeApiError(context.getNode(), envelope as unknown as JsonObject, {
			message: `Exotel's answer for ${what} holds no campaign`,
			itemIndex,
		});
	}
	return record;
}

/** A campaign's ID: `id` (as the create answer names it), else `sid`. */
export function campaignIdOf(record: IDataObject): string | undefined {
	const id = record.id ?? record.sid;
	return id === undefined || id === null || id === '' ? undefined : String(id);
}

/**
 * What Simplify keeps of a campaign: the ten fields a workflow usually reads (who, what, where it
 * stands, its counts, when), out of the twenty or more Exotel returns.
 */
const SIMPLIFIED_FIELDS = ['name', 'status', 'campaign_type', 'caller_id', 'lists', 'stats', 'date_created', 'date_updated', 'date_started'];

/** A campaign with Simplify on: its ID (as `id`, whichever field Exotel used) and SIMPLIFIED_FIELDS. */
export function simplifyCampaign(record: IDataObject): IDataObject {
	const simplified: IDataObject = { id: campaignIdOf(record) };
	for (const field of SIMPLIFIED_FIELDS) if (record[field] !== undefined) simplified[field] = record[field];
	return simplified;
}

/** GET /campaigns/<id>: the campaign as Exotel returns it. */
export async function fetchCampaign(context: ExotelContext, campaignId: string, itemIndex?: number): Promise<IDataObject> {
	const envelope = await exotelRequest(context, {
		method: 'GET',
		url: `/campaigns/${encodeURIComponent(campaignId)}`,
		itemIndex,
	});
	return singleRecord(context, envelope, `campaign ${campaignId}`, itemIndex);
}

/** Campaign lists and call details page like the rest of the API, 100 at a time, entries wrapped or bare. */
export const CAMPAIGN_PAGES: PageShape = { pageSize: CAMPAIGN_PAGE_SIZE, records: campaignRecords };

// ----- statuses -------------------------------------------------------------------------------------

/** A status in one spelling: lower case without `-`, `_` and spaces (InProgress, in-progress → inprogress). */
export function normalizeCampaignStatus(status: unknown): string {
	return String(status ?? '')
		.toLowerCase()
		.replace(/[-_\s]/g, '');
}

/** Final statuses, in Exotel's spellings; anything else, unknown values included, is still going. */
const FINAL_STATUSES = new Set(['completed', 'failed', 'canceled', 'cancelled', 'archived']);

export function isFinalStatus(status: unknown): boolean {
	return FINAL_STATUSES.has(normalizeCampaignStatus(status));
}

export type CampaignAction = 'pause' | 'resume' | 'complete' | 'archive';

/** What each status allows (a campaign can be deleted only before it starts). */
const ALLOWED_FROM: Record<string, string[]> = {
	created: ['pause', 'delete', 'update (any field)'],
	inprogress: ['pause', 'update (callbacks only)'],
	paused: ['resume', 'complete', 'update (callbacks only)'],
	completed: ['archive'],
};

/** "pause, resume" or "nothing (final status)". */
export function allowedFrom(status: unknown): string {
	const allowed = ALLOWED_FROM[normalizeCampaignStatus(status)];
	if (allowed) return allowed.join(', ');
	return isFinalStatus(status) ? 'nothing: it is a final status' : 'unknown (Exotel did not say)';
}

/** "created 3, completed 1, …" or "no counts yet". */
export function describeCampaignStats(stats: unknown): string {
	const object = asObject(stats);
	if (!object) return 'no counts yet';
	const parts = Object.entries(object)
		.filter(([, value]) => value !== null && value !== undefined && typeof value !== 'object')
		.map(([key, value]) => `${key} ${String(value)}`);
	return parts.length ? parts.join(', ') : 'no counts yet';
}
