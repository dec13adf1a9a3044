import type { INodeProperties } from 'n8n-workflow';

import { routed } from '../../helpers/routing';
import * as add from './add.operation';
import * as getMany from './getMany.operation';
import * as remove from './remove.operation';

export { add };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['listContact'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				action: 'Add a contact to a list',
				description: 'Add the contact of every input item to a list, in bulk',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many contacts in a list',
				description: 'List the contacts in a list',
				routing: routed('GET', '/lists/{listId}/contacts', { paged: true }),
			},
			{
				name: 'Remove',
				value: 'remove',
				action: 'Remove a contact from a list',
				description:
					'Remove a contact from a list (it stays in the address book); outputs deleted: true, the contact SID and the list ID',
				routing: routed('DELETE', '/lists/{listId}/contacts/{contactId}', { deleted: remove.deleted }),
			},
		],
		default: 'add',
	},
	...add.description,
	...getMany.description,
	...remove.description,
];
