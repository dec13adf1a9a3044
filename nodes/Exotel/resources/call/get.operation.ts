import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/errors';
import { callOptions, callSidField, detailsOption, recordingUrlValidityOption, showFor, simplifyOption } from './fields';
import { callOutput, callQuery, callSidFrom, fetchCall } from './records';

export const description: INodeProperties[] = [
	callSidField(['get'], "The call's SID (Sid in Connect's output) or its Uri"),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(['get']),
		options: [detailsOption, recordingUrlValidityOption, simplifyOption],
	},
];

/** One call per input item, by its SID. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const sid = callSidFrom(this.getNode(), itemIndex, this.getNodeParameter('callSid', itemIndex, ''));
		const options = callOptions(this, itemIndex);
		const call = await fetchCall(this, sid, itemIndex, callQuery(options));
		return callOutput(call, options.simplify !== false);
	});
}
