import type { IDataObject, IExecuteSingleFunctions, INodeProperties } from 'n8n-workflow';

import { toContactBody } from '../../helpers/contactFields';
import { contactIdField } from '../../helpers/fields';
import { inputError } from '../../helpers/validation';
import { contactFieldOptions } from './fields';

const showOnlyForUpdate = { show: { resource: ['contact'], operation: ['update'] } };

export const description: INodeProperties[] = [
	contactIdField(showOnlyForUpdate, 'The SID of the contact to update'),
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
				description: 'In E.164 (+ and country code) or a landline with its STD code',
			},
		].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export function body(context: IExecuteSingleFunctions, itemIndex: number): IDataObject {
	const fields = context.getNodeParameter('updateFields', {}) as IDataObject;
	const contact = toContactBody(context.getNode(), itemIndex, fields);
	if (Object.keys(contact).length === 0) {
		throw inputError(context.getNode(), itemIndex, 'Update Fields', 'is empty', 'Add at least one field to change.');
	}
	return contact;
}
