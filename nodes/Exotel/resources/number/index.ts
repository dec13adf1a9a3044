import type { INodeProperties } from 'n8n-workflow';

import * as getMetadata from './getMetadata.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['number'] } },
		options: [
			{
				name: 'Get Metadata',
				value: 'getMetadata',
				action: 'Get metadata of a number',
				description: "An Indian number's circle, operator, type (mobile or landline) and DND status",
			},
		],
		default: 'getMetadata',
	},
	...getMetadata.description,
];

export const customOperations = { getMetadata: getMetadata.execute };
