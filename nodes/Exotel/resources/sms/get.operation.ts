import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { asNodeError, forEachItem } from '../../helpers/errors';
import { sidFrom } from '../../helpers/validation';
import { exotelV1Request } from '../../transport';
import { getDescription } from './fields';
import { readableSms, unwrapSms } from './status';

export const description: INodeProperties[] = getDescription;

const NO_MATCH = /no matching results/i;

function notFound(context: IExecuteFunctions, itemIndex: number, sid: string): NodeOperationError {
	const error = new NodeOperationError(
		context.getNode(),
		`Item ${itemIndex + 1}: SMS SID "${sid}" matches no SMS in this Exotel account`,
		{
			itemIndex,
			description:
				"Exotel answered \"No matching results\". Check the SID (SMS → Send's output gives it as Sid), and that the credential is for the account and region that sent it.",
		},
	);
	error.context.field = 'SMS SID';
	return error;
}

/**
 * One SMS per input item with its delivery status, `DetailedStatusCode` and what that code means.
 * Exotel answers an unknown SID with 200 "No matching results" rather than 404: that is a not-found error.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const sid = sidFrom(this.getNode(), itemIndex, 'SMS SID', this.getNodeParameter('smsSid', itemIndex, ''), 'sms');
		let answer;
		try {
			answer = await exotelV1Request(this, { method: 'GET', url: `/SMS/Messages/${encodeURIComponent(sid)}.json`, itemIndex });
		} catch (error) {
			// "No matching results" comes as a 200 that is not an SMS; a 404 means the same.
			const apiError = error instanceof NodeApiError ? error : undefined;
			const said = JSON.stringify(apiError?.errorResponse ?? '') + (apiError?.message ?? '');
			if (apiError && (apiError.httpCode === '404' || (/^2\d\d$/.test(String(apiError.httpCode)) && NO_MATCH.test(said)))) {
				throw notFound(this, itemIndex, sid);
			}
			throw asNodeError(this.getNode(), error, itemIndex);
		}
		const record = unwrapSms(Array.isArray(answer) ? answer[0] : answer);
		if (record?.Sid === undefined && NO_MATCH.test(JSON.stringify(answer))) throw notFound(this, itemIndex, sid);
		if (!record) {
			throw new NodeOperationError(this.getNode(), `Item ${itemIndex + 1}: Exotel's answer for SMS "${sid}" holds no SMS`, {
				itemIndex,
				description: `It said: ${JSON.stringify(answer).slice(0, 200)}`,
			});
		}
		return readableSms(record as IDataObject);
	});
}
