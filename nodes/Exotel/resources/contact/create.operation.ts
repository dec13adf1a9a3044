import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ECHOES, runBulk } from '../../helpers/bulk';
import { bulkNotice } from '../../helpers/bulkNotice';
import { toContactBody } from '../../helpers/contactFields';
import { defaultCountryCodeOption, onExistingOption } from '../../helpers/fields';
import { itemValueReader } from '../../helpers/itemValues';
import { normalizePhoneNumber } from '../../helpers/validation';
import { contactFieldAtFault, contactFieldOptions } from './fields';

const showOnlyForCreate = { show: { resource: ['contact'], operation: ['create'] } };

export const description: INodeProperties[] = [
	bulkNotice(showOnlyForCreate),
	{
		displayName: 'Phone Number',
		name: 'number',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +919876543210',
		description:
			'With its country code (+919876543210 or 919876543210), as a national number (9876543210; see Default Country Code) or a landline with its STD code (08012345678). Spaces, dashes, dots and brackets are removed.',
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
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyForCreate,
		options: [
			defaultCountryCodeOption,
			onExistingOption('the number is already a contact', 'the existing contact (Exotel answers with it)'),
		],
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const readNumber = itemValueReader(this, 'number');
	const readCountryCode = itemValueReader(this, 'options.defaultCountryCode');
	const onExisting = this.getNodeParameter('options.onExisting', 0, 'useExisting') as string;
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
					number: normalizePhoneNumber(node, itemIndex, 'Phone Number', readNumber(itemIndex), readCountryCode(itemIndex)),
					...toContactBody(node, itemIndex, additionalFields),
				},
			};
		},
		body: (contacts) => ({ contacts }),
		echo: ECHOES.number,
		fieldAtFault: contactFieldAtFault,
		existing: {
			useExisting: onExisting !== 'error',
			// Exotel's 409 for a number it has carries that contact.
			find: async (answers) =>
				new Map(
					answers
						.filter(({ result }) => typeof result.data?.sid === 'string')
						.map(({ itemIndex, result }) => [itemIndex, result.data as IDataObject]),
				),
		},
	});
}
