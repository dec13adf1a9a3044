import type { IDataObject, IExecuteFunctions, INode, INodeParameterResourceLocator } from 'n8n-workflow';

import { callerIdFrom } from '../../helpers/callerId';
import { instantOf, rfc3339In } from '../../helpers/dates';
import { flowUrl } from '../../helpers/flowUrl';
import { inputError, locatorValue, sidFrom, urlField, wholeNumber } from '../../helpers/validation';

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

function dateField(node: INode, itemIndex: number, field: string, value: unknown, timeZone: string) {
	const instant = instantOf(value, timeZone);
	if (instant === undefined || !Number.isFinite(instant)) {
		throw inputError(node, itemIndex, field, `"${String(value)}" is not a date and time`, 'Use an ISO date-time, e.g. 2024-01-15T09:00:00+05:30.');
	}
	return { instant, text: rfc3339In(instant, timeZone) };
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
