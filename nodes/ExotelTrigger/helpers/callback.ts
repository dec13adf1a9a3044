import type { IDataObject } from 'n8n-workflow';

export type CallbackEvent = 'callStatus' | 'callSchedule' | 'campaignStatus';

/** The fields the documented payload variants agree on, named the same whatever the spelling. */
export interface NormalisedCallback {
	event?: CallbackEvent;
	campaignId?: string;
	callSid?: string;
	number?: string;
	/** Lower case: `Completed` and `completed` are one status. */
	status?: string;
}

/**
 * `call_sid`, `CallSid` and `call_sids[]` (a form's array key) all become `callsid(s)`, so one
 * lookup covers the snake_case and PascalCase variants of CAMPAIGNS.md §5.
 */
function comparableKey(key: string): string {
	return key.replace(/\[\]$/, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

function firstText(value: unknown): string | undefined {
	const first = Array.isArray(value) ? value[0] : value;
	if (typeof first === 'string') return first.trim() === '' ? undefined : first.trim();
	if (typeof first === 'number' || typeof first === 'boolean') return String(first);
	return undefined;
}

/** `call_sids` as an array, a JSON array in a string, or a comma-separated string. */
function listOfText(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(firstText).filter((text): text is string => text !== undefined);
	const text = firstText(value);
	if (text === undefined) return [];
	if (text.startsWith('[')) {
		try {
			const parsed: unknown = JSON.parse(text);
			if (Array.isArray(parsed)) return listOfText(parsed);
		} catch {
			// Not JSON: split below.
		}
	}
	return text
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

export interface ReadCallback extends NormalisedCallback {
	/** Every call of a call-schedule callback, for its deduplication key. */
	callSids: string[];
}

export function normaliseCallback(fields: IDataObject): ReadCallback {
	const byKey = new Map<string, unknown>();
	for (const [key, value] of Object.entries(fields)) {
		const comparable = comparableKey(key);
		if (!byKey.has(comparable)) byKey.set(comparable, value);
	}
	const text = (...keys: string[]) => keys.map((key) => firstText(byKey.get(key))).find((v) => v !== undefined);
	const has = (key: string) => byKey.has(key);

	const callSid = text('callsid');
	const callSids = listOfText(byKey.get('callsids'));
	const campaignId = text('campaignsid', 'campaignid');
	const number = text('number', 'to');
	const status = text('status', 'finalstatus')?.toLowerCase();

	let event: CallbackEvent | undefined;
	if (has('callsids') || has('finalstatus') || has('attemptcount')) event = 'callSchedule';
	else if (callSid !== undefined) event = 'callStatus';
	// A number's outcome without a call: the schedule callback; without a number: the campaign's.
	else if (campaignId !== undefined && status !== undefined) event = number === undefined ? 'campaignStatus' : 'callSchedule';

	return { event, campaignId, callSid, number, status, callSids };
}

/**
 * What makes a delivery the same as an earlier one: the event and its subject (call, number or
 * campaign) and the status. Undefined when the payload names no subject; such deliveries are not
 * deduplicated.
 */
export function deliveryKey(callback: ReadCallback): string | undefined {
	const status = callback.status ?? '';
	switch (callback.event) {
		case 'callStatus':
			return callback.callSid === undefined ? undefined : `callStatus|${callback.callSid}|${status}`;
		case 'callSchedule': {
			const subject = callback.number ?? (callback.callSids.length > 0 ? callback.callSids.join(',') : undefined);
			if (subject === undefined && callback.campaignId === undefined) return undefined;
			return `callSchedule|${callback.campaignId ?? ''}|${subject ?? ''}|${status}`;
		}
		case 'campaignStatus':
			return `campaignStatus|${callback.campaignId ?? ''}|${status}`;
		default:
			return undefined;
	}
}

/** The item a callback starts the workflow with: its fields as sent, plus the normalised ones found. */
export function callbackItemJson(fields: IDataObject, callback: NormalisedCallback): IDataObject {
	const json: IDataObject = { ...fields };
	for (const key of ['event', 'campaignId', 'callSid', 'number', 'status'] as const) {
		const value = callback[key];
		if (value !== undefined) json[key] = value;
	}
	return json;
}
