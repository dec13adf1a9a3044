import type { IDataObject } from 'n8n-workflow';

import { asObject } from '../../transport/envelope';

/**
 * What each of Exotel's SMS `DetailedStatusCode`s means, in words a workflow builder can act on.
 * Codes 21xxx are on the way, 20xxx delivered, 23xxx/24xxx failed (23xxx DLT and delivery, 24xxx
 * errors at Exotel, the operator or the handset).
 */
const DETAILED_STATUS_MEANINGS: Record<string, string> = {
	'21010': 'Queued at Exotel, not yet sent to the operator',
	'21015': 'On its way to the operator',
	'21020':
		'With the operator, waiting for delivery (promotional SMS in India wait here when sent outside 10 AM to 9 PM)',
	'20005': 'Delivered to the phone',
	'20006': 'Delivered to the operator; the operator gives no receipt from the phone, so this is final',
	'23005': 'Not sent: the number is on India\'s Do Not Disturb (DND) registry',
	'23010': 'Not sent: the number is wrong, cannot receive SMS, or is a landline',
	'23015': "Blocked by the operator's spam filter",
	'23020': 'Not sent: the recipient has opted out (blacklisted)',
	'23030': 'Not sent: no operator route to this number',
	'23035': 'Not delivered: the phone is switched off or out of coverage; sending again later may work',
	'23040': 'Not delivered: the number is unknown to the operators or no longer active',
	'23050': 'Not delivered: the operator kept trying until the message expired',
	'23060': 'Rejected by Exotel or the operator (no reason given)',
	'23070':
		'Rejected by the operator as invalid: over 2,000 characters, a character the operator cannot send, or no DLT entity ID',
	'23072': 'Rejected: the sender ID (header) is not registered on the DLT platform',
	'23080': 'Blocked by DLT: the sender ID (header) is not registered, or the template is not linked to it',
	'23081': 'Blocked by DLT: the entity ID is missing, not registered, or does not match',
	'23082': 'Blocked by DLT: the template ID is missing, not registered, or the text does not match it',
	'23083': 'Blocked by DLT scrubbing even though registered (sender blocked for spam, consent or another DLT issue)',
	'23084': 'Blocked by DLT: the recipient\'s consent must be registered first',
	'23181': 'Blocked by DLT: the template ID is invalid',
	'23182': 'Blocked by DLT: the template was not found on the DLT portal',
	'23183': 'Blocked by DLT: the template is inactive',
	'23184': 'Blocked by DLT: the template is blacklisted (recipients may have reported it)',
	'23185': 'Blocked by DLT: the text does not match the registered template',
	'23186': 'Blocked by DLT: the message is longer than 2,000 characters',
	'23281': 'Blocked by DLT: the entity ID was not found on the DLT portal',
	'24010': "Failed inside Exotel's system",
	'24105': 'Not delivered: a fault of the phone',
	'24110': 'Not delivered: a fault at the operator',
	'24120': "Not delivered: a problem with the recipient's line (e.g. no mobile balance)",
	'24990': 'Failed for an unknown reason (contact Exotel support if it happens often)',
};

/** The meaning of a `DetailedStatusCode`, or undefined for an unknown or empty code. */
export function detailedStatusMeaning(code: unknown): string | undefined {
	if (code === undefined || code === null || code === '') return undefined;
	const known = DETAILED_STATUS_MEANINGS[String(code).trim()];
	if (known) return known;
	const text = String(code).trim();
	if (/^23\d{3}$/.test(text)) return 'Failed (a delivery or DLT code this node does not know)';
	if (/^24\d{3}$/.test(text)) return 'Failed (an error code this node does not know)';
	return undefined;
}

/**
 * Exotel spells the DND failure `failed-dnd` in one place and `failed_dnd` in another: one spelling,
 * `failed-dnd`, so that a workflow compares against one value.
 */
export function normalizeSmsStatus(status: unknown): unknown {
	return typeof status === 'string' && /^failed[_-]dnd$/i.test(status.trim()) ? 'failed-dnd' : status;
}

/** An SMS as Exotel gives it, its status spelt one way and the meaning of its detailed code beside it. */
export function readableSms(message: IDataObject): IDataObject {
	const result: IDataObject = { ...message };
	if ('Status' in result) result.Status = normalizeSmsStatus(result.Status) as IDataObject[string];
	const meaning = detailedStatusMeaning(result.DetailedStatusCode);
	if (meaning !== undefined) result.DetailedStatusMeaning = meaning;
	return result;
}

/** `{ SMSMessage: {…} }` unwrapped; a bare message passes through; anything else gives undefined. */
export function unwrapSms(entry: unknown): IDataObject | undefined {
	const object = asObject(entry);
	if (!object) return undefined;
	const inner = asObject(object.SMSMessage) ?? asObject(object.SmsMessage) ?? asObject(object.Message);
	if (inner) return inner;
	return 'Sid' in object || 'To' in object ? object : undefined;
}
