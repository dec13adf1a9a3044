import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/errors';
import { CREDENTIAL_TYPE, exotelRequest } from '../../transport';
import { campaignBody } from './body';
import type { CampaignFields } from './body';
import { appIdField, asSimplifyAsks, callerIdField, campaignOptionFields, listIdsField, simplifyField, wrapBodyOption, wrapped } from './fields';
import { singleRecord } from './records';

const showOnlyForCreate = { show: { resource: ['campaign'], operation: ['create'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Renewals {{ $now.toFormat("yyyy-MM-dd") }}',
		description: 'The campaign name (more than 3 characters)',
		displayOptions: showOnlyForCreate,
	},
	callerIdField(showOnlyForCreate, true),
	listIdsField(showOnlyForCreate, true),
	appIdField(showOnlyForCreate, true),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showOnlyForCreate,
		options: campaignOptionFields,
	},
	simplifyField(['create']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyForCreate,
		options: [wrapBodyOption],
	},
];

/**
 * One campaign per input item, one POST each, checked before it is sent. The transport never sends a
 * POST again once it may have been applied, so a lost answer cannot create a second campaign.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { accountSid } = await this.getCredentials(CREDENTIAL_TYPE);
	return await forEachItem(this, async (itemIndex) => {
		const fields: CampaignFields = {
			...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
			name: this.getNodeParameter('name', itemIndex, '') as string,
			callerId: this.getNodeParameter('callerId', itemIndex, '') as string,
			listIds: this.getNodeParameter('listIds', itemIndex, '') as string,
			appId: this.getNodeParameter('appId', itemIndex, '') as string,
		};
		const body = campaignBody(this, itemIndex, fields, String(accountSid ?? ''), true);
		const envelope = await exotelRequest(this, { method: 'POST', url: '/campaigns', body: wrapped(this, itemIndex, body), itemIndex });
		return asSimplifyAsks(this, itemIndex, singleRecord(this, envelope, `the new campaign "${String(body.name)}"`, itemIndex));
	});
}
