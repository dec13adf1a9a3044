import type { INodeProperties } from 'n8n-workflow';

import { callerIdField } from '../../helpers/callerId';
import { defaultCountryCodeOption } from '../../helpers/fields';

/** The most messages Exotel takes in one dynamic bulk request (more is refused with 40400). */
export const MAX_MESSAGES_PER_REQUEST = 100;

const showForSend = { show: { resource: ['sms'], operation: ['send'] } };
const showForGet = { show: { resource: ['sms'], operation: ['get'] } };

/**
 * The sender: the ExoPhone picker shared with calls and campaigns, whose typed mode also takes a DLT
 * sender ID (header). A plain string saved by older workflows is read the same way.
 */
function smsSenderField(): INodeProperties {
	const field = callerIdField({
		name: 'from',
		displayName: 'From',
		description:
			'The sender: one of your ExoPhones, or a DLT sender ID (header) linked to your Exotel account, e.g. EXOTEL. In India the header must be registered on the DLT portal with the template you send.',
		displayOptions: showForSend,
	});
	return {
		...field,
		modes: field.modes?.map((mode) =>
			mode.name === 'id' ? { ...mode, displayName: 'Number or Sender ID', placeholder: 'e.g. 08047112345 or EXOTEL' } : mode,
		),
	};
}

export const sendDescription: INodeProperties[] = [
	{
		displayName: `Every input item is one SMS. In bulk mode they go to Exotel ${MAX_MESSAGES_PER_REQUEST} to a request: 1,000 messages cost 10 requests of your Exotel rate limit, not 1,000.`,
		name: 'smsBulkNotice',
		type: 'notice',
		default: '',
		displayOptions: showForSend,
	},
	smsSenderField(),
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +919876543210 or {{ $json.phone }}',
		description: 'The mobile number to text, as your CRM or sheet holds it (see Default Country Code under Options)',
		displayOptions: showForSend,
	},
	{
		displayName: 'Message',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Hi {{ $json.name }}, we missed your call. Call us back on 08047112345 - ACME',
		description:
			'The text, at most 2,000 characters. In India it must match your DLT template word for word, with only the {#var#} parts filled in, or operators drop it.',
		displayOptions: showForSend,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showForSend,
		options: [
			{
				displayName: 'Custom Field',
				name: 'customField',
				type: 'string',
				default: '',
				description: 'Any text of yours (e.g. a CRM record ID), given back in the delivery status callback',
			},
			{
				displayName: 'DLT Entity ID',
				name: 'dltEntityId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1101456780000012345',
				description:
					"Your business's Principal Entity ID on the DLT portal (a number, usually 19 digits). Needed for SMS to Indian numbers unless it is set on your Exotel account.",
			},
			{
				displayName: 'DLT Template ID',
				name: 'dltTemplateId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1107161234567890123',
				description: 'The ID the DLT portal gave the approved template this message follows (a number, usually 19 digits)',
			},
			{
				displayName: 'Encoding',
				name: 'encodingType',
				type: 'options',
				default: 'plain',
				options: [
					{ name: 'Plain', value: 'plain', description: 'English letters, digits and common symbols (160 characters per SMS part)' },
					{ name: 'Unicode', value: 'unicode', description: 'Hindi and other scripts, emoji (70 characters per SMS part)' },
				],
				description: 'How the text is encoded. Leave it out and Exotel detects it from the text.',
			},
			{
				displayName: 'Priority',
				name: 'priority',
				type: 'options',
				default: 'normal',
				options: [
					{ name: 'Normal', value: 'normal' },
					{ name: 'High', value: 'high', description: 'Only for one-time passwords (OTP)' },
				],
				description: 'Exotel gives high priority only to OTP messages',
			},
			{
				displayName: 'Shorten URLs',
				name: 'shortenUrl',
				type: 'boolean',
				default: false,
				description: 'Whether Exotel should shorten the links in the text and count their clicks (Exotel charges for it)',
			},
			{
				displayName: 'SMS Type',
				name: 'smsType',
				type: 'options',
				default: 'transactional',
				options: [
					{ name: 'Promotional', value: 'promotional', description: 'Offers and marketing; needs a numeric sender ID' },
					{ name: 'Transactional', value: 'transactional', description: 'Service messages: OTPs, reminders, order updates' },
					{
						name: 'Transactional (Opt-In)',
						value: 'transactional_opt_in',
						description: 'Service messages to people who opted in',
					},
				],
				description: 'The DLT category of the template',
			},
			{
				displayName: 'Status Callback URL',
				name: 'statusCallback',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://your-n8n.example.com/webhook/sms-status',
				description:
					"Where Exotel posts the message's final delivery status (an Exotel Trigger with the SMS event gives you this URL)",
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showForSend,
		options: [
			defaultCountryCodeOption,
			{
				displayName: 'Send Mode',
				name: 'sendMode',
				type: 'options',
				default: 'bulk',
				options: [
					{
						name: 'Bulk',
						value: 'bulk',
						description: `Up to ${MAX_MESSAGES_PER_REQUEST} messages in one request (Exotel's bulk send)`,
					},
					{ name: 'One Request per Message', value: 'perItem', description: "Exotel's single send, once per item" },
				],
				description: 'How the messages go to Exotel; both send one SMS per item',
			},
		],
	},
];

export const getDescription: INodeProperties[] = [
	{
		displayName: 'SMS SID',
		name: 'smsSid',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 0f477d60517e6ee3fcd3da4c41cf19b8',
		description: "The SMS's SID (Sid in SMS → Send's output), or its Uri",
		displayOptions: showForGet,
	},
];
