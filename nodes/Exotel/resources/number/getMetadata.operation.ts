import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/errors';
import { inputError, normalizePhoneNumber } from '../../helpers/validation';
import { exotelV1Request } from '../../transport';
import { asObject } from '../../transport/envelope';

/** Exotel looks up Indian numbers only: numbers without a country code are Indian. */
const INDIA = '91';

export const description: INodeProperties[] = [
	{
		displayName: 'Phone Number',
		name: 'number',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 9876543210 or +919876543210',
		description:
			'The Indian number to look up, as your CRM holds it (a number without a country code is taken as Indian)',
		displayOptions: { show: { resource: ['number'], operation: ['getMetadata'] } },
	},
];

/** `DND` as Exotel spells it (`Yes`, `No`, `Unavailable`) as a yes/no a workflow can test: null when unknown. */
function dndOf(value: unknown): boolean | null {
	const text = String(value ?? '').trim().toLowerCase();
	if (['yes', 'y', 'true', '1'].includes(text)) return true;
	if (['no', 'n', 'false', '0'].includes(text)) return false;
	return null;
}

/**
 * What Exotel knows of an Indian number, one input item each: circle, operator, type (mobile or
 * landline) and DND, Exotel's fields as it spells them plus `dnd` (true, false, or null when Exotel
 * does not know), so a workflow can leave DND numbers out before calling or texting them.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	return await forEachItem(this, async (itemIndex) => {
		const e164 = normalizePhoneNumber(node, itemIndex, 'Phone Number', this.getNodeParameter('number', itemIndex, ''), INDIA);
		if (!e164.startsWith(`+${INDIA}`)) {
			throw inputError(
				node,
				itemIndex,
				'Phone Number',
				`"${e164}" is not an Indian number; Exotel looks up Indian numbers only`,
			);
		}
		// Exotel's examples write the number the Indian national way, 0 and the 10 digits.
		const national = `0${e164.slice(1 + INDIA.length)}`;
		const answer = asObject(
			await exotelV1Request(this, { method: 'GET', url: `/Numbers/${national}.json`, itemIndex }),
		);
		const record = asObject(answer?.Numbers) ?? asObject(answer?.Number);
		if (!record) {
			throw new NodeOperationError(node, `Item ${itemIndex + 1}: Exotel's answer for ${national} holds no number details`, {
				itemIndex,
				description: `It said: ${JSON.stringify(answer ?? null).slice(0, 200)}`,
			});
		}
		return { ...record, dnd: dndOf(record.DND) } as IDataObject;
	});
}
