import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ECHOES, runBulk } from '../../helpers/bulk';
import { bulkNotice } from '../../helpers/bulkNotice';
import { toContactBody } from '../../helpers/contactFields';
import { contactIdField, defaultCountryCodeOption } from '../../helpers/fields';
import { itemValueReader } from '../../helpers/itemValues';
import { inputError, sidFrom } from '../../helpers/validation';
import { contactFieldAtFault, contactFieldOptions } from './fields';

const showOnlyForUpdate = { show: { resource: ['contact'], operation: ['update'] } };

export const description: INodeProperties[] = [
	bulkNotice(showOnlyForUpdate),
	contactIdField(showOnlyForUpdate, 'The SID of the contact to update, one per input item'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showOnlyForUpdate,
		options: [
			...contactFieldOptions,
			<INodeProperties>{
				displayName: 'Phone Number',
				name: 'number',
				type: 'string',
				default: '',
				placeholder: 'e.g. +919876543210',
				description:
					'With its country code, as a national number (see Default Country Code) or a landline with its STD code',
			},
		].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyForUpdate,
		options: [defaultCountryCodeOption],
	},
];

/** Updates every input item's contact with bulk `PUT /contacts`: one output item per input item, in order. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const readContactId = itemValueReader(this, 'contactId');
	const readCountryCode = itemValueReader(this, 'options.defaultCountryCode');
	const updateFieldReaders = Object.keys((node.parameters.updateFields ?? {}) as IDataObject).map(
		(name) => [name, itemValueReader(this, `updateFields.${name}`)] as const,
	);
	return await runBulk.call(this, {
		noun: 'contacts',
		method: 'PUT',
		toRecord: (itemIndex) => {
			const sid = sidFrom(node, itemIndex, 'Contact ID', readContactId(itemIndex), 'contact');
			const fields: IDataObject = {};
			for (const [name, read] of updateFieldReaders) fields[name] = read(itemIndex) as IDataObject[string];
			const contact = toContactBody(node, itemIndex, fields, readCountryCode(itemIndex));
			if (Object.keys(contact).length === 0) {
				throw inputError(node, itemIndex, 'Update Fields', 'is empty', 'Add at least one field to change.');
			}
			return { url: '/contacts', record: { sid, ...contact } };
		},
		body: (contacts) => ({ contacts }),
		echo: ECHOES.sid,
		fieldAtFault: contactFieldAtFault,
	});
}
