import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runBulk } from '../../helpers/bulk';
import { toContactBody } from '../../helpers/contactFields';
import { itemValueReader } from '../../helpers/itemValues';
import { normalizePhoneNumber } from '../../helpers/validation';
import { contactFieldOptions } from './fields';

const showOnlyForCreate = { show: { resource: ['contact'], operation: ['create'] } };

export const description: INodeProperties[] = [
	{
		displayName:
			'All input items are sent together, up to 5000 contacts a request, so 1000 items cost one request of your Exotel rate limit.',
		name: 'bulkNotice',
		type: 'notice',
		default: '',
		displayOptions: showOnlyForCreate,
	},
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
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const readNumber = itemValueReader(this, 'number');
	const additionalFieldNames = Object.keys((node.parameters.additionalFields ?? {}) as IDataObject);
	const additionalFieldReaders = additionalFieldNames.map(
		(name) => [name, itemValueReader(this, `additionalFields.${name}`)] as const,
	);
	return await runBulk.call(this, {
		noun: 'contacts',
		toRecord: (itemIndex) => {
			const additionalFields: IDataObject = {};
			for (const [name, read] of additionalFieldReaders) additionalFields[name] = read(itemIndex) as IDataObject[string];
			return {
				url: '/contacts',
				record: {
					number: normalizePhoneNumber(node, itemIndex, 'Phone Number', readNumber(itemIndex)),
					...toContactBody(node, itemIndex, additionalFields),
				},
			};
		},
		body: (contacts) => ({ contacts }),
	});
}
