import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callerIdField, callerIdFrom } from '../../helpers/callerId';
import { defaultCountryCodeOption } from '../../helpers/fields';
import { normalizePhoneNumber } from '../../helpers/validation';
import { showFor, simplifyOption } from './fields';
import { callFields, customFieldField, placeCalls, statusCallbackField, timeLimitField, timeOutField } from './place';

const showOnlyForConnect = showFor(['connect']);

/** Status callback settings, shared with nothing else: Connect to Flow calls get Exotel's default callback only. */
const statusCallbackEventsField: INodeProperties = {
	displayName: 'Status Callback Events',
	name: 'statusCallbackEvents',
	type: 'multiOptions',
	default: [],
	options: [
		{ name: 'Answered', value: 'answered', description: 'When the customer picks up' },
		{ name: 'Terminal', value: 'terminal', description: 'When the call ends, with its legs, times and custom field' },
	],
	description: 'Which moments Exotel reports to the Status Callback URL, with the full call details. None: only the end, with a few fields.',
};

export const description: INodeProperties[] = [
	{
		displayName: 'From (Agent)',
		name: 'from',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 09876543210',
		description: 'The number Exotel rings first: the agent or salesperson. When they pick up, Exotel calls To.',
		displayOptions: showOnlyForConnect,
	},
	{
		displayName: 'To (Customer)',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.phone }}',
		description: 'The number Exotel connects the agent to, as your CRM or sheet holds it',
		displayOptions: showOnlyForConnect,
	},
	callerIdField({ displayOptions: showOnlyForConnect, description: 'The ExoPhone both numbers see as the caller' }),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showOnlyForConnect,
		options: [
			customFieldField,
			{
				displayName: 'Record',
				name: 'record',
				type: 'boolean',
				default: false,
				description: 'Whether Exotel records the conversation (its link arrives as RecordingUrl)',
			},
			{
				displayName: 'Recording Channels',
				name: 'recordingChannels',
				type: 'options',
				default: 'single',
				options: [
					{ name: 'Single', value: 'single', description: 'Both sides in one channel' },
					{ name: 'Dual', value: 'dual', description: 'Agent and customer in separate channels (for speech analytics)' },
				],
			},
			{
				displayName: 'Recording Format',
				name: 'recordingFormat',
				type: 'options',
				default: 'mp3',
				options: [
					{ name: 'MP3', value: 'mp3' },
					{ name: 'MP3 (High Quality)', value: 'mp3-hq' },
				],
			},
			timeOutField,
			statusCallbackField,
			{
				displayName: 'Status Callback Content Type',
				name: 'statusCallbackContentType',
				type: 'options',
				default: 'multipart/form-data',
				options: [
					{ name: 'Multipart Form (Exotel Default)', value: 'multipart/form-data' },
					{ name: 'JSON', value: 'application/json' },
				],
			},
			statusCallbackEventsField,
			timeLimitField,
			{
				displayName: 'Wait Audio URL',
				name: 'waitUrl',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/please-hold.wav',
				description: 'A WAV file the agent hears while the customer is rung (Exotel caches it)',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyForConnect,
		options: [defaultCountryCodeOption, simplifyOption],
	},
];

/**
 * Click-to-call, one call per input item: Exotel rings From, then connects To, both seeing the caller
 * ID. Exotel's answer means accepted, not connected: Wait for Completion gives the outcome.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	return await placeCalls(this, (itemIndex) => {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const countryCode = options.defaultCountryCode || undefined;
		const from = normalizePhoneNumber(node, itemIndex, 'From (Agent)', this.getNodeParameter('from', itemIndex, ''), countryCode);
		const to = normalizePhoneNumber(node, itemIndex, 'To (Customer)', this.getNodeParameter('to', itemIndex, ''), countryCode);
		const callerId = callerIdFrom(node, itemIndex, this.getNodeParameter('callerId', itemIndex, ''));
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		return {
			body: { From: from, To: to, CallerId: callerId, ...callFields(node, itemIndex, fields) },
			simplify: options.simplify !== false,
		};
	});
}
