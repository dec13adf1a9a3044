import { NodeApiError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';

import { forEachItem, nameItemAndField } from '../../helpers/errors';
import { answeredAfterLostAnswer, exotelRequest } from '../../transport';
import { campaignIdFrom, campaignLocator, wrapBodyOption, wrapped } from './fields';
import { allowedFrom, fetchCampaign, normalizeCampaignStatus, singleRecord } from './records';
import type { CampaignAction } from './records';

/** HTTP statuses that say nothing about the campaign's status (auth, account, missing, rate limit). */
const NOT_A_REFUSAL = new Set(['401', '403', '404', '429']);

/** Whether Exotel refused the request for the campaign's status (a 4xx other than NOT_A_REFUSAL). */
function isRefusal(error: unknown): error is NodeApiError {
	const httpCode = error instanceof NodeApiError ? String(error.httpCode ?? '') : '';
	return /^4\d\d$/.test(httpCode) && !NOT_A_REFUSAL.has(httpCode);
}

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
	if (!isRefusal(error)) return error;
	const httpCode = String(error.httpCode ?? '');
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

/** The statuses each action leads to (resume returns a campaign that never started to Created). */
const REACHED_BY: Record<CampaignAction, string[]> = {
	pause: ['paused'],
	resume: ['inprogress', 'created'],
	complete: ['completed'],
	archive: ['archived'],
};

/**
 * `PUT /campaigns/<id>` with `action` for each item; outputs the campaign as Exotel returns it. When
 * the transport resent the action after a lost answer and Exotel refused the resend, the first attempt
 * may have done it: a campaign found in the action's status is the item's success.
 */
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
			if (isRefusal(error) && answeredAfterLostAnswer(error)) {
				const campaign = await fetchCampaign(context, campaignId, itemIndex).catch(() => undefined);
				if (campaign && REACHED_BY[action].includes(normalizeCampaignStatus(campaign.status))) return campaign;
			}
			const refused = await refusedError(context, error, campaignId, action, itemIndex);
			nameItemAndField(refused, itemIndex, 'Campaign');
			throw refused;
		}
	});
}
