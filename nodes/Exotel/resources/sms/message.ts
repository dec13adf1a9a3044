import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { callerIdFrom } from '../../helpers/callerId';
import { itemValueReader } from '../../helpers/itemValues';
import { inputError, normalizePhoneNumber } from '../../helpers/validation';

/** Exotel's longest SMS text (a longer one is refused, and DLT operators drop it: 23186). */
export const MAX_BODY_CHARACTERS = 2000;

const SMS_TYPES = ['transactional', 'transactional_opt_in', 'promotional'];
const ENCODING_TYPES = ['plain', 'unicode'];
const PRIORITIES = ['normal', 'high'];
const DLT_ID = /^\d+$/;

/** One message as Exotel's send takes it (Exotel's names), and the settings bulk sends per request. */
export interface SmsMessage {
	/** Fields of the message itself: `From`, `To`, `Body`, `SmsType`, `DltEntityId`, … */
	message: IDataObject;
	/** Settings Exotel's bulk send takes once per request (`StatusCallback`, `EncodingType`, `ShortenUrl`). */
	requestSettings: IDataObject;
}

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/** A sender as Exotel takes it: a DLT header as written, an ExoPhone without the spaces and dashes people type. */
function sender(value: string): string {
	const trimmed = value.trim();
	return /^\+?[\d\s\-()]+$/.test(trimmed) ? trimmed.replace(/[\s\-()]/g, '') : trimmed;
}

function oneOf(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	allowed: string[],
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const choice = String(value).trim();
	if (!allowed.includes(choice)) {
		throw inputError(
			context.getNode(),
			itemIndex,
			field,
			`"${choice}" is not one of ${allowed.map((entry) => `"${entry}"`).join(', ')}`,
		);
	}
	return choice;
}

/**
 * Reads and checks every item's message before anything is sent: what Exotel refuses (an empty
 * sender or text, a text over 2,000 characters, an unknown SMS type or encoding, a letter sender ID
 * for promotional SMS) fails its item, naming the field as the editor shows it.
 */
export function smsMessageReader(context: IExecuteFunctions): (itemIndex: number) => SmsMessage {
	const node = context.getNode();
	const readTo = itemValueReader(context, 'to');
	const readBody = itemValueReader(context, 'body');
	// The sender is a resource locator (picked or typed) or, in older workflows, a plain string: one
	// written out is read once, an expression per item.
	const rawFrom = node.parameters.from;
	const rawFromValue = rawFrom !== null && typeof rawFrom === 'object' ? (rawFrom as IDataObject).value : rawFrom;
	const fromIsFixed = typeof rawFromValue !== 'string' || !rawFromValue.startsWith('=');
	const fixedFrom = fromIsFixed ? context.getNodeParameter('from', 0, '') : undefined;
	const readFrom = (itemIndex: number) => (fromIsFixed ? fixedFrom : context.getNodeParameter('from', itemIndex, ''));
	// Each field on its own: a fixed value is read once, not once per item (1,000 items, 1,000 reads).
	const fieldReaders = Object.fromEntries(
		['dltEntityId', 'dltTemplateId', 'smsType', 'encodingType', 'priority', 'statusCallback', 'customField', 'shortenUrl'].map(
			(name) => [name, itemValueReader(context, `additionalFields.${name}`, '')],
		),
	);
	const readCountryCode = itemValueReader(context, 'options.defaultCountryCode', '');
	return (itemIndex) => {
		const fields: IDataObject = {};
		for (const [name, read] of Object.entries(fieldReaders)) fields[name] = read(itemIndex) as IDataObject[string];

		const from = sender(callerIdFrom(node, itemIndex, readFrom(itemIndex), 'From'));
		const to = normalizePhoneNumber(node, itemIndex, 'To', readTo(itemIndex), readCountryCode(itemIndex) || undefined);
		const body = text(readBody(itemIndex));
		if (!body.trim()) throw inputError(node, itemIndex, 'Message', 'is empty');
		const length = [...body].length;
		if (length > MAX_BODY_CHARACTERS) {
			throw inputError(
				node,
				itemIndex,
				'Message',
				`has ${length} characters; Exotel sends at most ${MAX_BODY_CHARACTERS}`,
			);
		}

		const smsType = oneOf(context, itemIndex, 'SMS Type', fields.smsType, SMS_TYPES);
		const encodingType = oneOf(context, itemIndex, 'Encoding', fields.encodingType, ENCODING_TYPES);
		const priority = oneOf(context, itemIndex, 'Priority', fields.priority, PRIORITIES);
		// Indian promotional sender IDs are numeric; Exotel refuses a letter header for them (40206).
		if (smsType === 'promotional' && /\p{L}/u.test(from)) {
			throw inputError(
				node,
				itemIndex,
				'From',
				`"${from}" is a letter sender ID, which promotional SMS cannot use`,
				'Promotional SMS in India go out from a numeric sender ID; letter headers are for transactional SMS.',
			);
		}
		const dltIds: IDataObject = {};
		for (const [name, label, exotelName] of [
			['dltEntityId', 'DLT Entity ID', 'DltEntityId'],
			['dltTemplateId', 'DLT Template ID', 'DltTemplateId'],
		] as const) {
			const id = text(fields[name]).trim();
			if (!id) continue;
			if (!DLT_ID.test(id)) {
				throw inputError(
					node,
					itemIndex,
					label,
					`"${id.length > 40 ? `${id.slice(0, 37)}...` : id}" is not a DLT ID: it has characters other than digits`,
					'DLT IDs are numbers (usually 19 digits), shown on the DLT portal and in Exotel\'s dashboard under the DLT settings.',
				);
			}
			dltIds[exotelName] = id;
		}
		const statusCallback = text(fields.statusCallback).trim();
		if (statusCallback && !/^https?:\/\/[^\s/]+\S*$/i.test(statusCallback)) {
			throw inputError(node, itemIndex, 'Status Callback URL', `"${statusCallback}" is not an http(s) URL`);
		}

		const message: IDataObject = { From: from, To: to, Body: body, ...dltIds };
		if (smsType) message.SmsType = smsType;
		// Priority and CustomField describe the message, so they travel with it in bulk sends too.
		if (priority) message.Priority = priority;
		const customField = text(fields.customField);
		if (customField) message.CustomField = customField;
		const requestSettings: IDataObject = {};
		if (statusCallback) requestSettings.StatusCallback = statusCallback;
		if (encodingType) requestSettings.EncodingType = encodingType;
		if (fields.shortenUrl === true) requestSettings.ShortenUrl = 'true';
		return { message, requestSettings };
	};
}
