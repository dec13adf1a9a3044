import type { INodeProperties } from 'n8n-workflow';

import { routed } from '../../helpers/routing';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export { create, update };

const showOnlyForLists = { show: { resource: ['list'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: showOnlyForLists,
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a list',
				description: 'Create a list for every input item, in bulk',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a list',
				description: 'Delete a list (its contacts stay in the address book); outputs deleted: true and its SID',
				routing: routed('DELETE', '/lists/{listId}', { deleted: del.deleted }),
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a list',
				description: 'Get a list and how many contacts it holds',
				routing: routed('GET', '/lists/{listId}'),
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many lists',
				description: 'List the lists of the account, optionally searching by name',
				routing: routed('GET', '/lists', { paged: true }),
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a list',
				description: "Rename or re-tag every input item's list, in bulk",
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
