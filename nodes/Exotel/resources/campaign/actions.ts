import { NodeApiError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';

import { forEachItem } from '../../helpers/errors';
import { exotelRequest } from '../../transport';
import { campaignIdFrom, campaignLocator, wrapBodyOption, wrapped } from './fields';
import { allowedFrom, fetchCampaign, singleRecord } from './records';
import type { CampaignAction } from './records';

/** HTTP statuses that say nothing about the campaign's status (auth, account, missing, rate limit). */
const NOT_A_REFUSAL = new Set(['401', '403', '404', '429']);

/**
 * A rejected action, update or delete as an error that names the campaign's current status (read
 * again: Exotel's wrong-transition errors are undocumented) and what Exotel allows from it. Errors that
 * are not a refusal (network, auth, 404, 5xx) pass through unchanged.
 */
export async function refusedError(
	context: IExecuteFunctions,
	error: unknown,
	campaignId: string,
	what: string,
	itemIndex: number,
): Promise<unknown> {
	if (!(error instanceof NodeApiError)) return error;
	const httpCode = String(error.httpCode ?? '');
	if (!/^4\d\d$/.test(httpCode) || NOT_A_REFUSAL.has(httpCode)) return error;
	let status: string;
	try {
		status = String((await fetchCampaign(context, campaignId, itemIndex)).status ?? 'unknown');
	} catch {
		return error;
	}
	return new NodeApiError(context.getNode(), (error.errorResponse ?? {}) as JsonObject, {
		message: `Item ${itemIndex + 1}: Exotel refused to ${what} campaign ${campaignId}: it is ${status}, which allows ${allowedFrom(status)}`,
		description: `Exotel said: ${error.message}`,
		httpCode,
		itemIndex,
	});
}

/** The campaign picker and the Wrap Body option of one action operation. */
export function actionDescription(action: CampaignAction, description: string): INodeProperties[] {
	return [
		campaignLocator([action], description),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show: { resource: ['campaign'], operation: [action] } },
			options: [wrapBodyOption],
		},
	];
}

/** `PUT /campaigns/<id>` with `action` for each item; outputs the campaign as Exotel returns it. */
export async function runAction(context: IExecuteFunctions, action: CampaignAction): Promise<INodeExecutionData[][]> {
	return await forEachItem(context, async (itemIndex) => {
		const campaignId = campaignIdFrom(context, itemIndex);
		try {
			const envelope = await exotelRequest(context, {
				method: 'PUT',
				url: `/campaigns/${encodeURIComponent(campaignId)}`,
				body: wrapped(context, itemIndex, { action }),
				itemIndex,
			});
			return singleRecord(context, envelope, `campaign ${campaignId}`, itemIndex);
		} catch (error) {
			throw await refusedError(context, error, campaignId, action, itemIndex);
		}
	});
}
