import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, sortByOptions } from '../../helpers/fields';

const showOnlyForGetMany = { show: { resource: ['list'], operation: ['getMany'] } };

export const description: INodeProperties[] = [
	...returnAllAndLimit(showOnlyForGetMany),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: showOnlyForGetMany,
		options: [
			{
				displayName: 'Name Contains',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Only lists whose name contains this text',
				routing: { send: { type: 'query', property: 'name' } },
			},
			{
				displayName: 'Sort By',
				name: 'sortBy',
				type: 'options',
				default: 'date_created:asc',
				options: sortByOptions([
					{ name: 'Date Created', value: 'date_created' },
					{ name: 'Name', value: 'name' },
				]),
				routing: { send: { type: 'query', property: 'sort_by' } },
			},
		],
	},
];
