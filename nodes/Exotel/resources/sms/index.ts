import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as send from './send.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sms'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get an SMS',
				description: 'Get an SMS with its delivery status and what its status code means',
			},
			{
				name: 'Send',
				value: 'send',
				action: 'Send SMS',
				description: 'Send one SMS per input item, with DLT entity and template IDs; items go in bulk',
			},
		],
		default: 'send',
	},
	...send.description,
	...get.description,
];

export const customOperations = { send: send.execute, get: get.execute };
