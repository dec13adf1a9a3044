import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { sidFrom } from '../../helpers/validation';
import { simplifyCampaign } from './records';

/** The campaign picker: search the account's campaigns by name, or paste an ID. */
export function campaignLocator(operations: string[], description?: string): INodeProperties {
	return {
		displayName: 'Campaign',
		name: 'campaignId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions: { show: { resource: ['campaign'], operation: operations } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a campaign...',
				typeOptions: { searchListMethod: 'searchCampaigns', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 3d4b7e9f1c2a4b6d8e0f1a2b3c4d5e6f',
			},
		],
	};
}

/**
 * Simplify, n8n's switch for records of more than ten fields. Off by default: campaign operations
 * shipped returning the whole record, and saved workflows that read other fields (callbacks,
 * retries, schedule, uri) must keep getting them; a new node version could turn it on by default.
 */
export function simplifyField(operations: string[]): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		displayOptions: { show: { resource: ['campaign'], operation: operations } },
	};
}

/** The campaign as the item's Simplify asks: the simplified record, or Exotel's own. */
export function asSimplifyAsks(context: IExecuteFunctions, itemIndex: number, record: IDataObject): IDataObject {
	return context.getNodeParameter('simplify', itemIndex, false) === true ? simplifyCampaign(record) : record;
}

/** The campaign ID of an item, from the picker, a pasted ID or a campaign's `uri`. */
export function campaignIdFrom(context: IExecuteFunctions, itemIndex: number): string {
	return sidFrom(context.getNode(), itemIndex, 'Campaign', context.getNodeParameter('campaignId', itemIndex), 'campaign');
}

export const listIdsField = (displayOptions: IDisplayOptions | undefined, required: boolean): INodeProperties => ({
	displayName: 'List IDs',
	name: 'listIds',
	type: 'string',
	default: '',
	required,
	placeholder: 'e.g. {{ $json.list.sid }} or sid1,sid2',
	description:
		'The lists to call: up to 5 list SIDs or list URIs, separated by commas (exactly 1 for a dynamic campaign). Straight after a CSV Upload, map list.sid from its output.',
	...(displayOptions ? { displayOptions } : {}),
});

export const callerIdField = (displayOptions: IDisplayOptions | undefined, required: boolean): INodeProperties => ({
	displayName: 'Caller ID',
	name: 'callerId',
	type: 'string',
	default: '',
	required,
	placeholder: 'e.g. 08047112345',
	description: 'The ExoPhone the calls come from',
	...(displayOptions ? { displayOptions } : {}),
});

export const appIdField = (displayOptions: IDisplayOptions | undefined, required: boolean): INodeProperties => ({
	displayName: 'App ID',
	name: 'appId',
	type: 'string',
	default: '',
	required,
	placeholder: 'e.g. 926',
	description:
		"The call flow to run: its App ID from Exotel's dashboard (App Bazaar), or a full flow URL (http://my.exotel.com/ACCOUNT_SID/exoml/start_voice/APP_ID)",
	...(displayOptions ? { displayOptions } : {}),
});

/** The optional campaign fields (create's Additional Fields; also offered by Update Fields). */
export const campaignOptionFields: INodeProperties[] = [
	{
		displayName: 'Call Duplicate Numbers',
		name: 'callDuplicateNumbers',
		type: 'boolean',
		default: false,
		description: 'Whether a number that is in several of the lists is called once per list',
	},
	{
		displayName: 'Call Schedule Callback',
		name: 'callScheduleCallback',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/webhook/exotel',
		description: 'URL Exotel POSTs to when a number is done (all its attempts, retries included)',
	},
	{
		displayName: 'Call Status Callback',
		name: 'callStatusCallback',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/webhook/exotel',
		description: 'URL Exotel POSTs to when each call ends',
	},
	{
		displayName: 'Campaign Type',
		name: 'campaignType',
		type: 'options',
		default: 'static',
		options: [
			{ name: 'Static', value: 'static', description: 'Up to 5 lists' },
			{ name: 'Dynamic', value: 'dynamic', description: "One list whose columns the flow reads (@@Column)" },
		],
	},
	{
		displayName: 'Custom Field',
		name: 'customField',
		type: 'string',
		default: '',
		description: "Text handed to the flow's Passthru or Greeting applet",
	},
	{
		displayName: 'End At',
		name: 'endAt',
		type: 'dateTime',
		default: '',
		description: "When the campaign stops calling (in the workflow's time zone unless the value has an offset)",
	},
	{
		displayName: 'Retries',
		name: 'retries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 3, numberPrecision: 0 },
		default: 0,
		description: 'How many times a number is called again after a busy, no-answer or failed call (0 to 3)',
	},
	{
		displayName: 'Retry Interval (Minutes)',
		name: 'retryIntervalMinutes',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 10,
		description: 'Minutes before a retry (required with Retries)',
	},
	{
		displayName: 'Retry Mechanism',
		name: 'retryMechanism',
		type: 'options',
		default: 'linear',
		options: [
			{ name: 'Linear', value: 'linear', description: 'The same interval before each retry' },
			{ name: 'Exponential', value: 'exponential', description: 'The interval doubles each time (10, 20, 40 minutes)' },
		],
	},
	{
		displayName: 'Retry On Status',
		name: 'retryOnStatus',
		type: 'multiOptions',
		default: [],
		description: 'Which outcomes get a retry (none chosen: Exotel decides)',
		options: [
			{ name: 'Busy', value: 'busy' },
			{ name: 'No Answer', value: 'no-answer' },
			{ name: 'Failed', value: 'failed' },
		],
	},
	{
		displayName: 'Send At',
		name: 'sendAt',
		type: 'dateTime',
		default: '',
		description: "When the campaign starts calling (in the workflow's time zone unless the value has an offset); empty: at once",
	},
	{
		displayName: 'Status Callback',
		name: 'statusCallback',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/webhook/exotel',
		description: 'URL Exotel POSTs to when the campaign starts or ends',
	},
	{
		displayName: 'Throttle (Calls per Minute)',
		name: 'throttle',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 60,
		description:
			"At most this many calls a minute for this campaign (sent with mode custom). The account's total capacity (60 a minute by default) is shared by its running campaigns.",
	},
];

/** Options shared by the operations that send a campaign body (create, update, the actions). */
export const wrapBodyOption: INodeProperties = {
	displayName: 'Wrap Body',
	name: 'wrapBody',
	type: 'boolean',
	default: true,
	description:
		'Whether to send the body as {"campaigns": [ … ]}, as Exotel\'s working clients do. Off: the flat object some of Exotel\'s newer pages show.',
};

/** The body as the item's Wrap Body option says. */
export function wrapped(context: IExecuteFunctions, itemIndex: number, body: IDataObject): IDataObject {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return options.wrapBody === false ? body : { campaigns: [body] };
}
