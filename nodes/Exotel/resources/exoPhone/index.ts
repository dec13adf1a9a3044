import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['exoPhone'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get an exo phone', description: 'Get one of the account\'s ExoPhones' },
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many exo phones',
				description: "List the account's ExoPhones (its virtual numbers)",
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...get.description,
];

export const customOperations = { get: get.execute, getMany: getMany.execute };
