import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, sortByOptions } from '../../helpers/fields';

const showOnlyForGetMany = { show: { resource: ['contact'], operation: ['getMany'] } };

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
				displayName: 'In Lists (IDs)',
				name: 'listId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 5f392c92b4c9414d940e70e1ff25ad41, a6683f8a0d3a445183cb3e6bbf911f6d',
				description: 'Only contacts in any of these lists; separate several list SIDs with commas',
				routing: {
					send: {
						type: 'query',
						property: 'list_sids',
						value: '={{ String($value).split(",").map(sid => sid.trim()).filter(sid => sid).join(",") }}',
					},
				},
			},
			{
				displayName: 'Sort By',
				name: 'sortBy',
				type: 'options',
				default: 'date_created:asc',
				options: sortByOptions([
					{ name: 'Date Created', value: 'date_created' },
					{ name: 'First Name', value: 'first_name' },
					{ name: 'Last Name', value: 'last_name' },
					{ name: 'Number', value: 'number' },
				]),
				routing: { send: { type: 'query', property: 'sort_by' } },
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyForGetMany,
		options: [
			{
				displayName: 'Include Lists',
				name: 'includeLists',
				type: 'boolean',
				default: false,
				description: "Whether to add each contact's lists (SID and name) to its output",
				routing: { send: { type: 'query', property: 'filter', value: '={{ $value ? "show_list" : undefined }}' } },
			},
		],
	},
];
