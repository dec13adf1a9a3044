import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IHttpRequestOptions, JsonObject } from 'n8n-workflow';

import { answeredAfterLostAnswer, exotelRequest } from '../transport';
import type { ExotelContext, ExotelRequest } from '../transport';

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
		if (!(error instanceof NodeApiError)) {
			// The transport's other errors are NodeOperationErrors (input, cancel): n8n hands those back as they are.
			throw new NodeOperationError(context.getNode(), error as Error);
		}
		const gone = error.httpCode === '404' && answeredAfterLostAnswer(error);
		// An existing NodeApiError is handed back as it is, details and item index kept.
		if (!gone) throw new NodeApiError(context.getNode(), error as unknown as JsonObject);
	}
	return { deleted: true, ...ids };
}
