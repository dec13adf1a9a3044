import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { asNodeError, forEachItem } from '../../helpers/errors';
import { sidFrom } from '../../helpers/validation';
import { exotelV1Request } from '../../transport';
import { asObject } from '../../transport/envelope';
import { sameNumber } from '../../helpers/phoneNumber';
import { exoPhoneLocator } from './fields';
import { listExoPhones } from './records';

export const description: INodeProperties[] = [exoPhoneLocator];

/** An ExoPhone as `GET …/IncomingPhoneNumbers/<sid>` may give it: bare, wrapped in one key, or as a one-entry list. */
function unwrapExoPhone(answer: unknown): IDataObject | undefined {
	const object = asObject(Array.isArray(answer) ? answer[0] : answer);
	if (!object) return undefined;
	if ('sid' in object || 'phone_number' in object) return object;
	const list = object.incoming_phone_numbers;
	if (Array.isArray(list)) return asObject(list[0]);
	const keys = Object.keys(object);
	return keys.length === 1 ? asObject(object[keys[0]]) : undefined;
}

/** A number written as a number (with + or a leading 0), rather than an ExoPhone's SID. */
const looksLikeNumber = (value: string) => /^(\+|0)[\d\s\-()]{7,}$/.test(value);

/**
 * One ExoPhone per input item, by its SID or by its number (the picker and a typed number both work):
 * a SID is asked for directly; a number, or a SID Exotel does not know, is looked up in the list.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	return await forEachItem(this, async (itemIndex) => {
		const locator = this.getNodeParameter('exoPhoneId', itemIndex, '') as IDataObject | string;
		const raw = String((asObject(locator)?.value ?? locator) || '').trim();
		const id = looksLikeNumber(raw) ? raw : sidFrom(node, itemIndex, 'ExoPhone', locator, 'exoPhone');
		if (!looksLikeNumber(id)) {
			try {
				const found = unwrapExoPhone(
					await exotelV1Request(this, { method: 'GET', url: `/IncomingPhoneNumbers/${encodeURIComponent(id)}`, api: 'v2_beta', itemIndex }),
				);
				if (found) return found;
			} catch (error) {
				// A number typed without + or 0 reads as a SID: on 404 it is looked up in the list below.
				if (!(error instanceof NodeApiError && error.httpCode === '404' && /^\d+$/.test(id))) throw asNodeError(node, error, itemIndex);
			}
		}
		const match = (await listExoPhones(this, itemIndex)).find(
			(exoPhone) => exoPhone.sid === id || sameNumber(exoPhone.phone_number, id),
		);
		if (!match) {
			const error = new NodeOperationError(node, `Item ${itemIndex + 1}: ExoPhone "${id}" is not one of this account's ExoPhones`, {
				itemIndex,
				description: 'Pick it from the list, or check the SID or number and that the credential is for the right account and region.',
			});
			error.context.field = 'ExoPhone';
			throw error;
		}
		return match;
	});
}
