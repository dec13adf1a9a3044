import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { fetchUploadStatus, uploadIdField, uploadIdFrom } from './status';
import { forEachItem } from '../../helpers/errors';

export const description: INodeProperties[] = [
	uploadIdField(
		'getStatus',
		"The upload's ID (summary.upload_id in the output of Upload) or its status URL (summary.url)",
	),
];

/** One status per input item: `{ upload_id, list_sid, status, stats, … }`. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const uploadId = uploadIdFrom(this, itemIndex, this.getNodeParameter('uploadId', itemIndex, ''));
		return await fetchUploadStatus(this, uploadId, itemIndex);
	});
}
