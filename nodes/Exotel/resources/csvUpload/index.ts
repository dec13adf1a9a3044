import type { INodeProperties } from 'n8n-workflow';

import * as getStatus from './getStatus.operation';
import * as upload from './upload.operation';
import * as waitForCompletion from './waitForCompletion.operation';

const showOnlyForCsvUpload = { show: { resource: ['csvUpload'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: showOnlyForCsvUpload,
		options: [
			{
				name: 'Get Status',
				value: 'getStatus',
				action: 'Get the status of a CSV upload',
				description: 'Get the status and counts of an upload',
			},
			{
				name: 'Upload',
				value: 'upload',
				action: 'Upload a CSV of contacts to a list',
				description: 'Upload contacts into a list from a CSV file or from the input items',
			},
			{
				name: 'Wait for Completion',
				value: 'waitForCompletion',
				action: 'Wait for a CSV upload to finish',
				description: 'Check an upload until Exotel has finished it, then output its final status',
			},
		],
		default: 'upload',
	},
	...upload.description,
	...getStatus.description,
	...waitForCompletion.description,
];

// All three see every input item at once (Exotel.node.ts wires them in as custom operations).
export const customOperations = {
	upload: upload.execute,
	getStatus: getStatus.execute,
	waitForCompletion: waitForCompletion.execute,
};
