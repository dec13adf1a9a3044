import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * The floor for Get Many: the same page requests through n8n's own authenticated request helper and
 * nothing else (the credential's own Basic auth, no envelope reading, pacing, retries or error handling). What the node
 * takes a page beyond this is its own overhead.
 */
export class RequestHelperFloor implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Request helper floor',
		name: 'exotel',
		group: ['output'],
		version: 1,
		usableAsTool: true,
		description: 'GET /contacts page after page through helpers.httpRequestWithAuthentication',
		defaults: { name: 'Floor' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'exotelApi', required: true }],
		properties: [{ displayName: 'Records', name: 'records', type: 'number', default: 0 }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('exotelApi');
		const records = this.getNodeParameter('records', 0) as number;
		const url = `${String(credentials.baseUrl)}/v2/accounts/${String(credentials.accountSid)}/contacts`;
		const output: INodeExecutionData[] = [];
		for (let offset = 0; offset < records; offset += 20) {
			const page = (await this.helpers.httpRequestWithAuthentication.call(this, 'exotelApi', {
				method: 'GET',
				url,
				qs: { offset, limit: 20 },
				json: true,
			})) as { response: Array<{ data: IDataObject }> };
			for (const result of page.response) output.push({ json: result.data, pairedItem: { item: 0 } });
		}
		return [output];
	}
}
