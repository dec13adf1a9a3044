import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';

import { envelopeRecords } from '../../transport/envelope';
import { asNodeError } from '../../helpers/errors';
import { buildMultipart } from '../../helpers/multipart';
import type { MultipartFile } from '../../helpers/multipart';
import { exotelRequest, isCancelled } from '../../transport';
import { IN_PROGRESS, normalizeStatus, uploadIdFrom, waitForUpload } from './status';
import type { UploadSettings } from './uploadSettings';

/** A CSV to send: its file name, size and how its bytes get into the request body. */
export type CsvFile = Pick<MultipartFile, 'filename' | 'size' | 'write'>;

/** A field name's letters only: `accountSid`, `account_sid` and `AccountSid` are one field. */
const spelling = (key: string) => key.replace(/_/g, '').toLowerCase();

/**
 * A later reading of the same record over an earlier one: the later values win, and an earlier
 * field the later reading spells differently (`accountSid` vs `account_sid`) is dropped, so the
 * output never has one field under two names.
 */
export function laterReading(earlier: IDataObject, later: IDataObject): IDataObject {
	const laterSpellings = new Set(Object.keys(later).map(spelling));
	const kept = Object.entries(earlier).filter(([key]) => !laterSpellings.has(spelling(key)));
	return { ...Object.fromEntries(kept), ...later };
}

/**
 * The list as it is now. After waiting, the list in the upload's answer is from before the import
 * (its `contact_count` too), so it is read again: one GET. When that read fails, the import still
 * succeeded: the list is kept without the count rather than with a wrong one.
 */
async function currentList(context: IExecuteFunctions, itemIndex: number, list: IDataObject | null, listSid: unknown) {
	const sid = String(list?.sid ?? listSid ?? '');
	if (!sid) return list;
	try {
		const [fresh] = envelopeRecords(
			await exotelRequest(context, { method: 'GET', url: `/lists/${encodeURIComponent(sid)}`, itemIndex }),
		);
		if (fresh) return list ? laterReading(list, fresh) : fresh;
	} catch (error) {
		if (isCancelled(context)) throw asNodeError(context.getNode(), error, itemIndex);
		// Otherwise fall through: the count in hand is stale.
	}
	if (!list) return list;
	const withoutCount = { ...list };
	delete withoutCount.contact_count;
	return withoutCount;
}

/**
 * Sends one CSV; returns Exotel's `{ list, summary }`. With waiting, `summary` is the final status
 * and `list` is read again after the import.
 */
export async function sendCsv(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: UploadSettings,
	file: CsvFile,
): Promise<IDataObject> {
	const { body, contentType } = await buildMultipart([
		{ name: 'list_name', text: settings.listName },
		{ name: 'type', text: settings.type },
		{ name: 'file_name', contentType: 'text/csv', ...file },
	]);
	const envelope = await exotelRequest(context, {
		method: 'POST',
		url: '/contacts/csv-upload',
		body,
		headers: { 'Content-Type': contentType },
		itemIndex,
	});
	const [data] = envelopeRecords(envelope);
	const rawSummary = data?.summary as IDataObject | undefined;
	if (!rawSummary || typeof rawSummary !== 'object') {
		throw new NodeApiError(context.getNode(), envelope as unknown as JsonObject, {
			message: `Item ${itemIndex + 1}: Exotel accepted the upload but its answer has no summary`,
			description: 'Check the list in Exotel before uploading again.',
			itemIndex,
		});
	}
	const list = (data.list ?? null) as IDataObject | null;
	const summary = normalizeStatus(rawSummary);
	if (!settings.wait) return { list, summary };

	const uploadId = uploadIdFrom(context, itemIndex, summary.upload_id ?? summary.url);
	const status = await waitForUpload(context, uploadId, itemIndex, settings.wait, summary.status !== IN_PROGRESS);
	return {
		list: await currentList(context, itemIndex, list, status.list_sid ?? summary.list_sid),
		summary: laterReading(summary, status),
	};
}
