import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { pollOptionFields, readPollOptions, uploadIdField, uploadIdFrom, waitForUpload } from './status';
import { forEachItem } from '../../helpers/errors';

const showOnlyForWait = { show: { resource: ['csvUpload'], operation: ['waitForCompletion'] } };

export const description: INodeProperties[] = [
	uploadIdField(
		'waitForCompletion',
		"The upload's ID (summary.upload_id in the output of Upload) or its status URL (summary.url)",
	),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyForWait,
		options: pollOptionFields,
	},
];

/** Polls each input item's upload until Exotel has finished it; outputs the final status. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const uploadId = uploadIdFrom(this, itemIndex, this.getNodeParameter('uploadId', itemIndex, ''));
		return await waitForUpload(this, uploadId, itemIndex, readPollOptions(this, itemIndex));
	});
}
