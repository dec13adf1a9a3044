import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { answeredAfterLostAnswer, exotelRequest } from '../transport';
import type { ExotelContext, ExotelRequest } from '../transport';
import { asNodeError } from './errors';

/**
 * Sends a DELETE and returns what every delete operation outputs: `{ deleted: true, ...ids }`, the
 * IDs under the names the record's Get answers with (`sid`, a campaign's `id`, a membership's `list_id`).
 *
 * The transport resends a DELETE whose answer was lost (no answer, a 5xx, a broken connection). A 404
 * to that resend means the lost attempt deleted the record, so the item succeeds; a 404 to the first
 * attempt still fails the item as not found.
 */
export async function deleteRecord(
	context: ExotelContext,
	request: (ExotelRequest | IHttpRequestOptions) & { method: 'DELETE' },
	ids: IDataObject,
): Promise<IDataObject> {
	try {
		await exotelRequest(context, request);
	} catch (error) {
		const gone = error instanceof NodeApiError && error.httpCode === '404' && answeredAfterLostAnswer(error);
		if (!gone) throw asNodeError(context.getNode(), error, ('itemIndex' in request ? request.itemIndex : undefined) ?? 0);
	}
	return { deleted: true, ...ids };
}
