import type { INodeProperties } from 'n8n-workflow';

import { routed } from '../../helpers/routing';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export { create, update };

const showOnlyForContacts = { show: { resource: ['contact'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: showOnlyForContacts,
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a contact',
				description: 'Create a contact for every input item, in bulk',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a contact',
				description: 'Delete a contact from the address book; outputs deleted: true and its SID',
				routing: routed('DELETE', '/contacts/{contactId}', { deleted: del.deleted }),
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a contact',
				description: 'Get a contact by its SID',
				routing: routed('GET', '/contacts/{contactId}'),
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many contacts',
				description: 'List contacts, optionally only those in some lists',
				routing: routed('GET', '/contacts', { paged: true }),
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a contact',
				description: "Change the number, name or other fields of every input item's contact, in bulk",
			},
		],
		default: 'create',
	},
	...create.description,
	...del.description,
	...get.description,
	...getMany.description,
	...update.description,
];
