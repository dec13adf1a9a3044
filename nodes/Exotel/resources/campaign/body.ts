import type { IDataObject, IExecuteFunctions, INode, INodeParameterResourceLocator } from 'n8n-workflow';

import { callerIdFrom } from '../../helpers/callerId';
import { flowUrl as sharedFlowUrl } from '../../helpers/flowUrl';
import { inputError, locatorValue, sidFrom } from '../../helpers/validation';

/** Exotel's limits: a static campaign calls at most 5 lists, and retries a number at most 3 times. */
export const MAX_STATIC_LISTS = 5;
export const MAX_RETRIES = 3;
const RETRY_STATUSES = ['busy', 'no-answer', 'failed'];

/** The node's campaign fields (Create's parameters and Additional Fields, Update Fields). */
export interface CampaignFields extends IDataObject {
	name?: string;
	/** A plain string (older workflows) or the ExoPhone picker's value. */
	callerId?: string | INodeParameterResourceLocator;
	listIds?: string | string[];
	appId?: string | number;
	sendAt?: IDataObject[string];
	endAt?: IDataObject[string];
	retries?: number;
	retryIntervalMinutes?: number;
	retryMechanism?: string;
	retryOnStatus?: string[] | string;
	callStatusCallback?: string;
	callScheduleCallback?: string;
	statusCallback?: string;
	throttle?: number;
	campaignType?: string;
	callDuplicateNumbers?: boolean;
	customField?: string;
}

const given = (value: unknown) => value !== undefined && value !== null && value !== '';

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/** Minutes east of UTC of `timeZone` at `instant`. */
function offsetMinutes(timeZone: string, instant: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instant));
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');

/** `instant` as RFC 3339 in `timeZone`: 2024-01-15T09:00:00+05:30. */
export function rfc3339In(instant: number, timeZone: string): string {
	const offset = offsetMinutes(timeZone, instant);
	const local = new Date(Math.floor(instant / 1000) * 1000 + offset * 60_000);
	const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
	const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
	const sign = offset < 0 ? '-' : '+';
	return `${date}T${time}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/**
 * The instant an n8n date-time stands for: a string with an offset as written; one without (what the
 * editor's date picker saves) as wall time in the workflow's time zone; a Date or Luxon DateTime as is.
 */
export function instantOf(value: unknown, timeZone: string): number | undefined {
	if (value instanceof Date) return value.getTime();
	if (value !== null && typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		return (value as { toMillis: () => number }).toMillis();
	}
	if (typeof value === 'number') return value;
	const text = String(value).trim();
	if (HAS_OFFSET.test(text)) {
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? undefined : ms;
	}
	const m = WALL_TIME.exec(text);
	if (!m) return undefined;
	const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
	const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
	// The zone's offset at that wall time (checked twice around a DST change).
	let instant = wall - offsetMinutes(timeZone, wall) * 60_000;
	instant = wall - offsetMinutes(timeZone, instant) * 60_000;
	return instant;
}

function dateField(node: INode, itemIndex: number, field: string, value: unknown, timeZone: string) {
	const instant = instantOf(value, timeZone);
	if (instant === undefined || !Number.isFinite(instant)) {
		throw inputError(node, itemIndex, field, `"${String(value)}" is not a date and time`, 'Use an ISO date-time, e.g. 2024-01-15T09:00:00+05:30.');
	}
	return { instant, text: rfc3339In(instant, timeZone) };
}

export function urlField(node: INode, itemIndex: number, field: string, value: unknown): string {
	const text = String(value).trim();
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw inputError(node, itemIndex, field, `"${text}" is not an http(s) URL`);
	}
	return text;
}

export function wholeNumber(node: INode, itemIndex: number, field: string, value: unknown, min: number, max = Infinity): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < min || number > max) {
		const range = max === Infinity ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
		throw inputError(node, itemIndex, field, `must be ${range}, got "${String(value)}"`);
	}
	return number;
}

/** List SIDs from "sid1, sid2", an array, or list URIs. */
function listSids(node: INode, itemIndex: number, value: unknown): string[] {
	const parts = Array.isArray(value) ? value : String(value ?? '').split(',');
	return parts
		.map((part) => (part !== null && typeof part === 'object' ? ((part as IDataObject).sid ?? (part as IDataObject).value) : part))
		.map((part) => String(part ?? '').trim())
		.filter((part) => part !== '')
		.map((part) => sidFrom(node, itemIndex, 'List IDs', part, 'list'));
}

/** The flow URL from an App ID, or a full flow URL as given (campaigns take any http(s) URL). */
export function flowUrl(node: INode, itemIndex: number, appId: unknown, accountSid: string): string {
	return sharedFlowUrl(node, itemIndex, appId, accountSid);
}

/**
 * Exotel's campaign body from the node's fields, checked first: anything Exotel would refuse for a
 * reason visible here fails the item with its number and the field. `creating` requires the fields a
 * new campaign needs; an update sends only what is given.
 */
export function campaignBody(
	context: IExecuteFunctions,
	itemIndex: number,
	fields: CampaignFields,
	accountSid: string,
	creating: boolean,
): IDataObject {
	const node = context.getNode();
	const timeZone = context.getTimezone();
	const body: IDataObject = {};

	if (creating || given(fields.name)) {
		const name = String(fields.name ?? '').trim();
		if (name.length <= 3) throw inputError(node, itemIndex, 'Name', name ? `"${name}" is too short: Exotel needs more than 3 characters` : 'is empty');
		body.name = name;
	}
	if (creating || given(locatorValue(fields.callerId))) {
		body.caller_id = callerIdFrom(node, itemIndex, fields.callerId);
	}
	if (given(fields.campaignType)) body.campaign_type = String(fields.campaignType);
	if (creating || given(fields.listIds)) {
		const lists = listSids(node, itemIndex, fields.listIds);
		const dynamic = fields.campaignType === 'dynamic';
		const max = dynamic ? 1 : MAX_STATIC_LISTS;
		if (lists.length === 0) throw inputError(node, itemIndex, 'List IDs', 'is empty');
		if (lists.length > max) {
			throw inputError(
				node,
				itemIndex,
				'List IDs',
				`has ${lists.length} lists: a ${dynamic ? 'dynamic' : 'static'} campaign takes at most ${max}`,
			);
		}
		body.lists = lists;
	}
	if (creating || given(fields.appId)) body.url = flowUrl(node, itemIndex, fields.appId, accountSid);

	const schedule: IDataObject = {};
	const sendAt = given(fields.sendAt) ? dateField(node, itemIndex, 'Send At', fields.sendAt, timeZone) : undefined;
	const endAt = given(fields.endAt) ? dateField(node, itemIndex, 'End At', fields.endAt, timeZone) : undefined;
	if (sendAt) schedule.send_at = sendAt.text;
	if (endAt) {
		if (endAt.instant <= (sendAt?.instant ?? Date.now())) {
			throw inputError(node, itemIndex, 'End At', `(${endAt.text}) must be after ${sendAt ? `Send At (${sendAt.text})` : 'now'}`);
		}
		schedule.end_at = endAt.text;
	}
	if (Object.keys(schedule).length) body.schedule = schedule;

	const retryFieldsGiven = ['retryIntervalMinutes', 'retryMechanism', 'retryOnStatus'].some((key) => given(fields[key]));
	if (given(fields.retries) || retryFieldsGiven) {
		const count = wholeNumber(node, itemIndex, 'Retries', fields.retries ?? 0, 0, MAX_RETRIES);
		const retries: IDataObject = { number_of_retries: count };
		if (count > 0) {
			if (!given(fields.retryIntervalMinutes)) {
				throw inputError(node, itemIndex, 'Retry Interval (Minutes)', 'is required when Retries is more than 0');
			}
			retries.interval_mins = wholeNumber(node, itemIndex, 'Retry Interval (Minutes)', fields.retryIntervalMinutes, 1);
			if (given(fields.retryMechanism)) {
				const mechanism = String(fields.retryMechanism).toLowerCase();
				if (mechanism !== 'linear' && mechanism !== 'exponential') {
					throw inputError(node, itemIndex, 'Retry Mechanism', `"${String(fields.retryMechanism)}" is not linear or exponential`);
				}
				retries.mechanism = mechanism === 'linear' ? 'Linear' : 'Exponential';
			}
			const onStatus = Array.isArray(fields.retryOnStatus)
				? fields.retryOnStatus
				: String(fields.retryOnStatus ?? '').split(',').map((s) => s.trim()).filter(Boolean);
			const unknown = onStatus.find((status) => !RETRY_STATUSES.includes(status));
			if (unknown !== undefined) {
				throw inputError(node, itemIndex, 'Retry On Status', `"${unknown}" is not one of ${RETRY_STATUSES.join(', ')}`);
			}
			if (onStatus.length) retries.on_status = onStatus;
		}
		body.retries = retries;
	}

	const callbacks: Array<[keyof CampaignFields, string, string]> = [
		['callStatusCallback', 'call_status_callback', 'Call Status Callback'],
		['callScheduleCallback', 'call_schedule_callback', 'Call Schedule Callback'],
		['statusCallback', 'status_callback', 'Status Callback'],
	];
	for (const [key, exotelName, field] of callbacks) {
		if (given(fields[key])) body[exotelName] = urlField(node, itemIndex, field, fields[key]);
	}
	if (given(fields.throttle)) {
		body.mode = 'custom';
		body.throttle = wholeNumber(node, itemIndex, 'Throttle (Calls per Minute)', fields.throttle, 1);
	}
	if (typeof fields.callDuplicateNumbers === 'boolean') body.call_duplicate_numbers = fields.callDuplicateNumbers;
	if (given(fields.customField)) body.custom_field = String(fields.customField);
	return body;
}
