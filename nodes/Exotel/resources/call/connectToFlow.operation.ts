import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callerIdField, callerIdFrom } from '../../helpers/callerId';
import { defaultCountryCodeOption } from '../../helpers/fields';
import { flowUrl } from '../../helpers/flowUrl';
import { normalizePhoneNumber } from '../../helpers/validation';
import { CREDENTIAL_TYPE } from '../../transport';
import { showFor, simplifyOption } from './fields';
import { callFields, customFieldField, placeCalls, statusCallbackField, timeLimitField, timeOutField } from './place';

const showOnlyForFlow = showFor(['connectToFlow']);

export const description: INodeProperties[] = [
	{
		displayName: 'From',
		name: 'from',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.phone }}',
		description: 'The number Exotel calls and puts into the flow (a customer for an IVR or reminder, an agent for a queue)',
		displayOptions: showOnlyForFlow,
	},
	callerIdField({ displayOptions: showOnlyForFlow, description: 'The ExoPhone the called number sees' }),
	{
		displayName: 'App ID',
		name: 'appId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 926',
		description:
			"The call flow: its App ID from Exotel's dashboard (App Bazaar), or its full URL (http://my.exotel.com/ACCOUNT_SID/exoml/start_voice/APP_ID; my.in.exotel.com for Mumbai accounts)",
		displayOptions: showOnlyForFlow,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showOnlyForFlow,
		options: [
			{
				displayName: 'Call Type',
				name: 'callType',
				type: 'options',
				default: 'trans',
				options: [{ name: 'Transactional', value: 'trans' }],
				description: "Exotel's call type; transactional calls may reach numbers on India's DND registry",
			},
			customFieldField,
			timeOutField,
			{ ...statusCallbackField, description: "URL Exotel POSTs the call's status to when it ends (flows report only CallSid, Status, RecordingUrl and DateUpdated)" },
			timeLimitField,
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyForFlow,
		options: [defaultCountryCodeOption, simplifyOption],
	},
];

/** Only these Additional Fields apply to a flow call. */
const FLOW_FIELDS = ['callType', 'customField', 'timeOut', 'statusCallback', 'timeLimit'];

/** Calls From and runs a call flow (IVR, greeting, reminder), one call per input item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const { accountSid, region } = await this.getCredentials(CREDENTIAL_TYPE);
	return await placeCalls(this, (itemIndex) => {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const from = normalizePhoneNumber(node, itemIndex, 'From', this.getNodeParameter('from', itemIndex, ''), options.defaultCountryCode || undefined);
		const callerId = callerIdFrom(node, itemIndex, this.getNodeParameter('callerId', itemIndex, ''));
		const url = flowUrl(node, itemIndex, this.getNodeParameter('appId', itemIndex, ''), String(accountSid ?? '').trim(), {
			region,
			exotelFlowOnly: true,
		});
		const given = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const fields: IDataObject = {};
		for (const key of FLOW_FIELDS) if (key in given) fields[key] = given[key];
		return {
			body: { From: from, CallerId: callerId, Url: url, ...callFields(node, itemIndex, fields) },
			simplify: options.simplify !== false,
		};
	});
}
