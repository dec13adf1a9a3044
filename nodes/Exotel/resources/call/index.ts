import type { INodeProperties } from 'n8n-workflow';

import * as connect from './connect.operation';
import * as connectToFlow from './connectToFlow.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as waitForCompletion from './waitForCompletion.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: [
			{
				name: 'Connect',
				value: 'connect',
				action: 'Connect two numbers',
				description: 'Click-to-call: ring an agent, then connect them to a customer (one call per item)',
			},
			{
				name: 'Connect to Flow',
				value: 'connectToFlow',
				action: 'Call a number into a flow',
				description: 'Call a number and put it into a call flow: IVR, greeting, reminder (one call per item)',
			},
			{ name: 'Get', value: 'get', action: 'Get a call', description: 'Get a call with its status, duration, price and recording' },
			{ name: 'Get Many', value: 'getMany', action: 'Get many calls', description: "The account's call history, filtered" },
			{
				name: 'Wait for Completion',
				value: 'waitForCompletion',
				action: 'Wait for a call to end',
				description: 'Check a call until it has ended and its duration and price are in',
			},
		],
		default: 'connect',
	},
	...connect.description,
	...connectToFlow.description,
	...get.description,
	...getMany.description,
	...waitForCompletion.description,
];

// Every call operation is a custom operation: v1's form bodies, answers and cursor pages are not v2's.
export const customOperations = {
	connect: connect.execute,
	connectToFlow: connectToFlow.execute,
	get: get.execute,
	getMany: getMany.execute,
	waitForCompletion: waitForCompletion.execute,
};
