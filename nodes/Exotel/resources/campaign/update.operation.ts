import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/errors';
import { CREDENTIAL_TYPE, exotelRequest } from '../../transport';
import { refusedError } from './actions';
import { campaignBody } from './body';
import type { CampaignFields } from './body';
import {
	appIdField,
	asSimplifyAsks,
	callerIdField,
	campaignIdFrom,
	campaignLocator,
	campaignOptionFields,
	listIdsField,
	simplifyField,
	wrapBodyOption,
	wrapped,
} from './fields';
import { singleRecord } from './records';

const showOnlyForUpdate = { show: { resource: ['campaign'], operation: ['update'] } };

export const description: INodeProperties[] = [
	campaignLocator(['update']),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'Before the campaign starts any field can change; after it starts Exotel accepts only the three callback URLs',
		displayOptions: showOnlyForUpdate,
		options: ([
			appIdField(undefined, false),
			callerIdField(undefined, false),
			listIdsField(undefined, false),
			{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'More than 3 characters' },
			...campaignOptionFields,
		] as INodeProperties[]).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
	simplifyField(['update']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyForUpdate,
		options: [wrapBodyOption],
	},
];

/** Changes each item's campaign; a refusal names the campaign's status and what it allows. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { accountSid } = await this.getCredentials(CREDENTIAL_TYPE);
	return await forEachItem(this, async (itemIndex) => {
		const campaignId = campaignIdFrom(this, itemIndex);
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject as CampaignFields;
		const body = campaignBody(this, itemIndex, fields, String(accountSid ?? ''), false);
		if (Object.keys(body).length === 0) {
			throw new NodeOperationError(this.getNode(), `Item ${itemIndex + 1}: Update Fields is empty: nothing to change`, { itemIndex });
		}
		try {
			const envelope = await exotelRequest(this, {
				method: 'PUT',
				url: `/campaigns/${encodeURIComponent(campaignId)}`,
				body: wrapped(this, itemIndex, body),
				itemIndex,
			});
			return asSimplifyAsks(this, itemIndex, singleRecord(this, envelope, `campaign ${campaignId}`, itemIndex));
		} catch (error) {
			throw await refusedError(this, error, campaignId, `update (${Object.keys(body).join(', ')})`, itemIndex);
		}
	});
}
