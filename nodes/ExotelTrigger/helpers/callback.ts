import type { IDataObject } from 'n8n-workflow';

import { asObject } from '../../Exotel/transport/envelope';

export type CallbackEvent = 'callStatus' | 'callSchedule' | 'campaignStatus' | 'call' | 'sms' | 'passthru';

/** The fields the documented payload variants agree on, named the same whatever the spelling. */
export interface NormalisedCallback {
	event?: CallbackEvent;
	campaignId?: string;
	callSid?: string;
	smsSid?: string;
	number?: string;
	from?: string;
	to?: string;
	/** Lower case: `Completed` and `completed` are one status. */
	status?: string;
	/** A call callback's `EventType` (`answered`, `terminal`), lower case. */
	eventType?: string;
	/** A Passthru's keypresses without the quotes Exotel puts around them. */
	digits?: string;
	/** A call's legs, whether sent as an array, as JSON text or flattened (`Legs[0][Status]`). */
	legs?: IDataObject[];
	/** An SMS's detailed status code, also when sent as `ExoStatusCode`. */
	detailedStatusCode?: string;
}

export interface ReadCallback extends NormalisedCallback {
	/** Every call of a call-schedule callback, for its deduplication key. */
	callSids: string[];
	/** What else tells a repeated status apart from a redelivery (a campaign's update time or stats). */
	revision?: string;
}

/**
 * `call_sid`, `CallSid` and `call_sids[]` (a form's array key) all become `callsid(s)`, so one
 * lookup covers the snake_case and PascalCase variants.
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

function parseJsonText(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** `call_sids` as an array, a JSON array in a string, or a comma-separated string. */
function listOfText(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(firstText).filter((text): text is string => text !== undefined);
	const text = firstText(value);
	if (text === undefined) return [];
	if (text.startsWith('[')) {
		const parsed = parseJsonText(text);
		if (Array.isArray(parsed)) return listOfText(parsed);
	}
	return text
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
}


/** The JSON objects in `values`, each copied; anything else is left out. */
function plainObjects(values: unknown[]): IDataObject[] {
	return values.map(asObject).flatMap((leg) => (leg ? [{ ...leg }] : []));
}

const FLAT_LEG = /^legs\[(\d{1,3})\]\[([^\]]+)\]$/i;

/** Legs as an array (JSON), as JSON text (a form field), or flattened keys (multipart, form). */
function readLegs(fields: IDataObject): IDataObject[] | undefined {
	const legsKey = Object.keys(fields).find((key) => key.toLowerCase() === 'legs');
	if (legsKey !== undefined) {
		let value: unknown = fields[legsKey];
		if (typeof value === 'string') value = parseJsonText(value);
		if (Array.isArray(value)) return plainObjects(value);
		const legsObject = asObject(value);
		if (legsObject) {
			// `{ "0": {...}, "1": {...} }`, as a nested form parser gives.
			return plainObjects(
				Object.keys(legsObject)
					.filter((index) => /^\d+$/.test(index))
					.sort((a, b) => Number(a) - Number(b))
					.map((index) => legsObject[index]),
			);
		}
	}
	const legs: IDataObject[] = [];
	let found = false;
	for (const [key, value] of Object.entries(fields)) {
		const match = FLAT_LEG.exec(key);
		if (!match) continue;
		found = true;
		const index = Number(match[1]);
		legs[index] ??= {};
		// defineProperty keeps a `__proto__` leg field as data.
		Object.defineProperty(legs[index], match[2], {
			value: Array.isArray(value) ? value[0] : value,
			enumerable: true,
			writable: true,
			configurable: true,
		});
	}
	return found ? Array.from(legs, (leg) => leg ?? {}) : undefined;
}

/** Exotel sends Passthru keypresses in quotes (`"123"`). */
function unquote(text: string | undefined): string | undefined {
	if (text === undefined) return undefined;
	const match = /^"(.*)"$/s.exec(text) ?? /^'(.*)'$/s.exec(text);
	return match ? match[1] : text;
}

/** Keys only a Passthru request carries (the applet's call details). */
const PASSTHRU_KEYS = ['callfrom', 'callto', 'digits', 'calltype', 'dialcallstatus', 'dialwhomnumber', 'currenttime'];
/** Keys only a call's own StatusCallback (Call → Connect) carries, never a campaign callback. */
const CALL_KEYS = ['eventtype', 'dateupdated', 'phonenumbersid', 'conversationduration', 'direction', 'starttime', 'legs'];

/**
 * Reads what a callback is and its normalised fields. `method` is the request's: a Passthru
 * applet calls with GET, every other callback POSTs.
 */
export function normaliseCallback(fields: IDataObject, method = 'POST'): ReadCallback {
	const byKey = new Map<string, unknown>();
	for (const [key, value] of Object.entries(fields)) {
		const comparable = FLAT_LEG.test(key) ? 'legs' : comparableKey(key);
		if (!byKey.has(comparable)) byKey.set(comparable, value);
	}
	const text = (...keys: string[]) => keys.map((key) => firstText(byKey.get(key))).find((v) => v !== undefined);
	const has = (key: string) => byKey.has(key);

	const callSid = text('callsid');
	const smsSid = text('smssid');
	const callSids = listOfText(byKey.get('callsids'));
	const campaignId = text('campaignsid', 'campaignid');
	const campaignKnown = campaignId !== undefined;

	if (smsSid !== undefined) {
		return {
			event: 'sms',
			smsSid,
			from: text('from'),
			to: text('to'),
			// `failed_dnd` and `failed-dnd` are one status.
			status: text('status')?.toLowerCase().replace(/_/g, '-'),
			detailedStatusCode: text('detailedstatuscode', 'exostatuscode'),
			callSids,
		};
	}

	if (method.toUpperCase() === 'GET' || PASSTHRU_KEYS.some(has)) {
		return {
			event: 'passthru',
			callSid,
			from: text('callfrom', 'from'),
			to: text('callto', 'to'),
			status: text('dialcallstatus', 'status', 'callstatus')?.toLowerCase(),
			digits: unquote(text('digits')),
			callSids,
		};
	}

	const status = text('status', 'finalstatus')?.toLowerCase();
	if (has('callsids') || has('finalstatus') || has('attemptcount')) {
		return { event: 'callSchedule', campaignId, number: text('number', 'to'), status, callSids };
	}
	if (callSid !== undefined) {
		if (!campaignKnown && CALL_KEYS.some(has)) {
			return {
				event: 'call',
				callSid,
				from: text('from'),
				to: text('to'),
				status,
				eventType: text('eventtype')?.toLowerCase(),
				legs: readLegs(fields),
				callSids,
			};
		}
		return { event: 'callStatus', campaignId, callSid, number: text('number', 'to'), status, callSids };
	}

	const number = text('number', 'to');
	let event: CallbackEvent | undefined;
	// A number's outcome without a call: the schedule callback; without a number: the campaign's.
	if (campaignKnown && status !== undefined) event = number === undefined ? 'campaignStatus' : 'callSchedule';
	let revision: string | undefined;
	if (event === 'campaignStatus') {
		const stats = byKey.get('stats');
		revision = text('dateupdated') ?? (stats === undefined ? undefined : JSON.stringify(stats));
	}
	return { event, campaignId, number, status, callSids, revision };
}

/** A Passthru's fields in a fixed order, so a resent request gives the same key. */
function passthruIdentity(fields: IDataObject): string {
	return Object.keys(fields)
		.sort()
		.map((key) => `${key}=${JSON.stringify(fields[key])}`)
		.join('&');
}

/**
 * What makes a delivery the same as an earlier one: the event, its subject (call, SMS, numbers'
 * calls or campaign) and what changed (status, event type, update time). Undefined when the payload
 * names no subject; such deliveries are not deduplicated.
 */
export function deliveryKey(callback: ReadCallback, fields: IDataObject): string | undefined {
	const status = callback.status ?? '';
	switch (callback.event) {
		case 'call':
			// Without StatusCallbackEvents Exotel sends only the terminal callback.
			return `call|${callback.callSid}|${callback.eventType ?? 'terminal'}|${status}`;
		case 'sms':
			return `sms|${callback.smsSid}|${status}`;
		case 'passthru':
			return callback.callSid === undefined ? undefined : `passthru|${passthruIdentity(fields)}`;
		case 'callStatus':
			return callback.callSid === undefined ? undefined : `callStatus|${callback.callSid}|${status}`;
		case 'callSchedule': {
			// The calls identify the number's schedule: with Call Duplicate Numbers one number has two.
			const calls = [...callback.callSids].sort().join(',');
			const subject = calls !== '' ? `calls:${calls}` : callback.number === undefined ? undefined : `number:${callback.number}`;
			if (subject === undefined && callback.campaignId === undefined) return undefined;
			return `callSchedule|${callback.campaignId ?? ''}|${subject ?? ''}|${status}`;
		}
		case 'campaignStatus':
			// Paused then resumed, a campaign reports `in-progress` again, with a new update time.
			return `campaignStatus|${callback.campaignId ?? ''}|${status}|${callback.revision ?? ''}`;
		default:
			return undefined;
	}
}

const CAMPAIGN_FIELDS = ['event', 'campaignId', 'callSid', 'number', 'status'] as const;
const CALL_FIELDS = ['event', 'callSid', 'smsSid', 'from', 'to', 'status', 'eventType', 'digits', 'legs'] as const;

/** The item a callback starts the workflow with: its fields as sent, plus the normalised ones found. */
export function callbackItemJson(fields: IDataObject, callback: NormalisedCallback): IDataObject {
	const json: IDataObject = { ...fields };
	const isCampaign = callback.event === undefined || ['callStatus', 'callSchedule', 'campaignStatus'].includes(callback.event);
	for (const key of isCampaign ? CAMPAIGN_FIELDS : CALL_FIELDS) {
		const value = callback[key];
		if (value !== undefined) json[key] = value;
	}
	if (callback.event === 'sms' && callback.detailedStatusCode !== undefined && json.DetailedStatusCode === undefined) {
		json.DetailedStatusCode = callback.detailedStatusCode;
	}
	return json;
}
