import type { INodeProperties } from 'n8n-workflow';

import * as archive from './archive.operation';
import * as complete from './complete.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getCallDetails from './getCallDetails.operation';
import * as getMany from './getMany.operation';
import * as pause from './pause.operation';
import * as resume from './resume.operation';
import * as update from './update.operation';
import * as waitForCompletion from './waitForCompletion.operation';

const showOnlyForCampaigns = { show: { resource: ['campaign'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: showOnlyForCampaigns,
		options: [
			{ name: 'Archive', value: 'archive', action: 'Archive a campaign', description: 'Archive a completed campaign' },
			{
				name: 'Complete',
				value: 'complete',
				action: 'Complete a campaign',
				description: 'End a paused campaign; numbers not yet called are marked failed',
			},
			{ name: 'Create', value: 'create', action: 'Create a campaign', description: 'Create a call campaign for every input item' },
			{ name: 'Delete', value: 'delete', action: 'Delete a campaign', description: 'Delete a campaign that has not started; outputs deleted: true and its ID' },
			{ name: 'Get', value: 'get', action: 'Get a campaign', description: 'Get a campaign with its status and stats' },
			{
				name: 'Get Call Details',
				value: 'getCallDetails',
				action: 'Get the call details of a campaign',
				description: "One item per call of a campaign: number, status, duration, recording URL",
			},
			{ name: 'Get Many', value: 'getMany', action: 'Get many campaigns', description: 'List the campaigns of the account' },
			{ name: 'Pause', value: 'pause', action: 'Pause a campaign', description: 'Stop calling for now' },
			{ name: 'Resume', value: 'resume', action: 'Resume a campaign', description: 'Go on calling after a pause' },
			{ name: 'Update', value: 'update', action: 'Update a campaign', description: 'Change a campaign (any field before it starts, callbacks after)' },
			{
				name: 'Wait for Completion',
				value: 'waitForCompletion',
				action: 'Wait for a campaign to finish',
				description: 'Check a campaign until it is completed, failed, canceled or archived',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getMany.description,
	...update.description,
	...del.description,
	...pause.description,
	...resume.description,
	...complete.description,
	...archive.description,
	...getCallDetails.description,
	...waitForCompletion.description,
];

// Every campaign operation runs as a custom operation: each sees its items and answers one by one.
export const customOperations = {
	create: create.execute,
	get: get.execute,
	getMany: getMany.execute,
	update: update.execute,
	delete: del.execute,
	pause: pause.execute,
	resume: resume.execute,
	complete: complete.execute,
	archive: archive.execute,
	getCallDetails: getCallDetails.execute,
	waitForCompletion: waitForCompletion.execute,
};
