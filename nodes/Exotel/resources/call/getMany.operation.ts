import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { collectCursorPages, v1ListShape } from '../../helpers/cursorPagination';
import { forEachItemRecords } from '../../helpers/errors';
import { returnAllAndLimit } from '../../helpers/fields';
import { maxRecords } from '../../helpers/pagination';
import { inputError, wholeNumber } from '../../helpers/validation';
import { instantOf } from '../../helpers/dates';
import { callOptions, detailsOption, recordingUrlValidityOption, showFor, simplifyOption } from './fields';
import { dateCreatedFilter, dateWindows, exotelTime } from './dateWindows';
import { callOutput, callQuery } from './records';

const showOnlyForGetMany = showFor(['getMany']);

/** Exotel takes at most this many numbers in each of the From, To and Phone Number filters. */
export const MAX_NUMBERS_PER_FILTER = 5;

export const description: INodeProperties[] = [
	...returnAllAndLimit(showOnlyForGetMany),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: showOnlyForGetMany,
		options: [
			{
				displayName: 'Date From',
				name: 'dateFrom',
				type: 'dateTime',
				default: '',
				description:
					"Calls created at or after this time. Exotel keeps the last 6 months of calls and answers a month at a time: a longer range is read month by month. Without dates Exotel gives its recent calls.",
			},
			{
				displayName: 'Date To',
				name: 'dateTo',
				type: 'dateTime',
				default: '',
				description: 'Calls created at or before this time (default: now, when Date From is set)',
			},
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'multiOptions',
				default: [],
				options: [
					{ name: 'Inbound', value: 'inbound', description: 'Calls to your ExoPhones' },
					{ name: 'Outbound (API)', value: 'outbound-api', description: 'Calls placed by the API (Connect, Connect to Flow)' },
					{ name: 'Outbound (Dial)', value: 'outbound-dial', description: 'Calls dialled out from a flow' },
				],
			},
			{
				displayName: 'From',
				name: 'from',
				type: 'string',
				default: '',
				placeholder: 'e.g. 09876543210',
				description: 'Calls from these numbers, up to 5, separated by commas',
			},
			{
				displayName: 'Max Duration (Seconds)',
				name: 'maxDuration',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
			},
			{
				displayName: 'Min Duration (Seconds)',
				name: 'minDuration',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
			},
			{
				displayName: 'Phone Number',
				name: 'phoneNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. 08047112345',
				description: 'Calls through these ExoPhones, up to 5, separated by commas',
			},
			{
				displayName: 'Sort By',
				name: 'sortBy',
				type: 'options',
				default: 'DateCreated:desc',
				options: [
					{ name: 'Newest First', value: 'DateCreated:desc' },
					{ name: 'Oldest First', value: 'DateCreated:asc' },
				],
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				default: [],
				options: [
					{ name: 'Busy', value: 'busy' },
					{ name: 'Completed', value: 'completed' },
					{ name: 'Failed', value: 'failed' },
					{ name: 'No Answer', value: 'no-answer' },
				],
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'string',
				default: '',
				placeholder: 'e.g. 09123456789',
				description: 'Calls to these numbers, up to 5, separated by commas',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyForGetMany,
		options: [detailsOption, recordingUrlValidityOption, simplifyOption],
	},
];

const given = (value: unknown) => value !== undefined && value !== null && value !== '';

function numberList(node: INode, itemIndex: number, field: string, value: unknown): string | undefined {
	const numbers = (Array.isArray(value) ? value : String(value ?? '').split(','))
		.map((number) => String(number).trim())
		.filter(Boolean);
	if (numbers.length === 0) return undefined;
	if (numbers.length > MAX_NUMBERS_PER_FILTER) {
		throw inputError(node, itemIndex, field, `has ${numbers.length} numbers; Exotel takes at most ${MAX_NUMBERS_PER_FILTER}`);
	}
	return numbers.join(',');
}

function choices(value: unknown): string | undefined {
	const list = (Array.isArray(value) ? value : String(value ?? '').split(',')).map((entry) => String(entry).trim()).filter(Boolean);
	return list.length > 0 ? list.join(',') : undefined;
}

function dateOf(context: IExecuteFunctions, itemIndex: number, field: string, value: unknown): number | undefined {
	if (!given(value)) return undefined;
	const instant = instantOf(value, context.getTimezone());
	if (instant === undefined || !Number.isFinite(instant)) {
		throw inputError(context.getNode(), itemIndex, field, `"${String(value)}" is not a date and time`, 'Use an ISO date-time, e.g. 2024-01-15T09:00:00+05:30.');
	}
	return instant;
}

export interface CallQuery {
	/** Filters other than the date, Exotel's names. */
	qs: IDataObject;
	/** Date range, when one is set. */
	from?: number;
	to?: number;
	descending: boolean;
}

/** An item's filters as Exotel's query, checked before any request. */
export function callListQuery(context: IExecuteFunctions, itemIndex: number): CallQuery {
	const node = context.getNode();
	const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	const from = numberList(node, itemIndex, 'From', filters.from);
	const to = numberList(node, itemIndex, 'To', filters.to);
	const phoneNumber = numberList(node, itemIndex, 'Phone Number', filters.phoneNumber);
	if (from) qs.From = from;
	if (to) qs.To = to;
	if (phoneNumber) qs.PhoneNumber = phoneNumber;
	const status = choices(filters.status);
	if (status) qs.Status = status;
	const direction = choices(filters.direction);
	if (direction) qs.Direction = direction;
	const min = given(filters.minDuration) && Number(filters.minDuration) > 0
		? wholeNumber(node, itemIndex, 'Min Duration (Seconds)', filters.minDuration, 0)
		: undefined;
	const max = given(filters.maxDuration) && Number(filters.maxDuration) > 0
		? wholeNumber(node, itemIndex, 'Max Duration (Seconds)', filters.maxDuration, 0)
		: undefined;
	if (min !== undefined && max !== undefined && min > max) {
		throw inputError(node, itemIndex, 'Min Duration (Seconds)', `(${min}) is more than Max Duration (${max})`);
	}
	const duration = [min !== undefined ? `gte:${min}s` : '', max !== undefined ? `lte:${max}s` : ''].filter(Boolean).join(';');
	if (duration) qs.Duration = duration;
	const sortBy = String(filters.sortBy || 'DateCreated:desc');
	if (sortBy !== 'DateCreated:desc' && sortBy !== 'DateCreated:asc') {
		throw inputError(node, itemIndex, 'Sort By', `"${sortBy}" is not DateCreated:desc or DateCreated:asc`);
	}
	qs.SortBy = sortBy;
	const dateFrom = dateOf(context, itemIndex, 'Date From', filters.dateFrom);
	let dateTo = dateOf(context, itemIndex, 'Date To', filters.dateTo);
	if (dateFrom !== undefined && dateTo === undefined) dateTo = Date.now();
	if (dateFrom !== undefined && dateTo !== undefined && dateFrom > dateTo) {
		throw inputError(node, itemIndex, 'Date From', `(${exotelTime(dateFrom)}) is after Date To (${exotelTime(dateTo)}), India time`);
	}
	return { qs, from: dateFrom, to: dateTo, descending: sortBy === 'DateCreated:desc' };
}

/**
 * The account's calls, filtered: one list per input item. Follows Exotel's cursor at 100 a page; a
 * date range longer than Exotel's month-long window is read window by window, in the sort order, until
 * the Limit.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItemRecords(this, async (itemIndex) => {
		const query = callListQuery(this, itemIndex);
		const options = callOptions(this, itemIndex);
		const wanted = maxRecords(this, itemIndex);
		const qs = { ...query.qs, ...callQuery(options) };
		const shape = v1ListShape('Calls');
		const request = { method: 'GET' as const, url: '/Calls.json', itemIndex };
		const calls: IDataObject[] = [];
		if (query.from === undefined) {
			if (query.to !== undefined) qs.DateCreated = `lte:${exotelTime(query.to)}`;
			calls.push(...(await collectCursorPages(this, { ...request, qs }, shape, wanted)));
		} else {
			for (const window of dateWindows(query.from, query.to as number, query.descending)) {
				if (calls.length >= wanted) break;
				const page = await collectCursorPages(this, { ...request, qs: { ...qs, DateCreated: dateCreatedFilter(window) } }, shape, wanted - calls.length);
				calls.push(...page);
			}
		}
		const simplify = options.simplify !== false;
		return calls.map((call) => callOutput(call, simplify));
	});
}
