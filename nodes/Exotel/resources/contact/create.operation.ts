import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runBulk } from '../../helpers/bulk';
import { toContactBody } from '../../helpers/contactFields';
import { normalizePhoneNumber } from '../../helpers/validation';
import { contactFieldOptions } from './fields';

const showOnlyForCreate = { show: { resource: ['contact'], operation: ['create'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Phone Number',
		name: 'number',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +919876543210',
		description:
			'In E.164 (+ and country code) or a landline with its STD code (e.g. 08012345678). Spaces, dashes, dots and brackets are removed.',
		displayOptions: showOnlyForCreate,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showOnlyForCreate,
		options: contactFieldOptions,
	},
	{
		displayName:
			'All input items are sent together, up to 5000 contacts a request, so 1000 items cost one request of your Exotel rate limit.',
		name: 'bulkNotice',
		type: 'notice',
		default: '',
		displayOptions: showOnlyForCreate,
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	return await runBulk.call(this, {
		noun: 'contacts',
		toRecord: (itemIndex) => ({
			url: '/contacts',
			record: {
				number: normalizePhoneNumber(node, itemIndex, 'Phone Number', this.getNodeParameter('number', itemIndex, '')),
				...toContactBody(node, itemIndex, this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
			},
		}),
		body: (contacts) => ({ contacts }),
	});
}
