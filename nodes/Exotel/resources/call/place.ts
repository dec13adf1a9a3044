import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { asNodeError, errorOutput } from '../../helpers/errors';
import { inputError, urlField, wholeNumber } from '../../helpers/validation';
import { exotelV1Request } from '../../transport';

import { exotelTime } from './dateWindows';
import { callOf, callOutput } from './records';

/** Exotel's limits on a call's fields. */
export const MAX_TIME_LIMIT_S = 14400;
export const MAX_CUSTOM_FIELD_LENGTH = 128;

export const timeLimitField: INodeProperties = {
	displayName: 'Time Limit (Seconds)',
	name: 'timeLimit',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_TIME_LIMIT_S },
	default: 3600,
	description: 'The longest the call may last, at most 14400 (4 hours)',
};

export const timeOutField: INodeProperties = {
	displayName: 'Ring Timeout (Seconds)',
	name: 'timeOut',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 30,
	description: 'How long each number rings before Exotel gives up on it',
};

export const customFieldField: INodeProperties = {
	displayName: 'Custom Field',
	name: 'customField',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.leadId }}',
	description: "Up to 128 characters Exotel keeps with the call and sends back in its status callback (e.g. the CRM record's ID)",
};

export const statusCallbackField: INodeProperties = {
	displayName: 'Status Callback URL',
	name: 'statusCallback',
	type: 'string',
	default: '',
	placeholder: 'https://example.com/webhook/exotel',
	description: "URL Exotel POSTs the call's outcome to when it ends (an Exotel Trigger's URL with the Call event)",
};

const given = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * The form fields a call's Additional Fields give, checked (the fields Connect to Flow offers are a
 * subset). Exotel's names; booleans as Exotel writes them.
 */
export function callFields(node: INode, itemIndex: number, fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	if (given(fields.record)) body.Record = fields.record === true || fields.record === 'true' ? 'true' : 'false';
	if (given(fields.recordingChannels)) body.RecordingChannels = oneOf(node, itemIndex, 'Recording Channels', fields.recordingChannels, ['single', 'dual']);
	if (given(fields.recordingFormat)) body.RecordingFormat = oneOf(node, itemIndex, 'Recording Format', fields.recordingFormat, ['mp3', 'mp3-hq']);
	if (given(fields.timeLimit)) body.TimeLimit = wholeNumber(node, itemIndex, 'Time Limit (Seconds)', fields.timeLimit, 1, MAX_TIME_LIMIT_S);
	if (given(fields.timeOut)) body.TimeOut = wholeNumber(node, itemIndex, 'Ring Timeout (Seconds)', fields.timeOut, 1);
	if (given(fields.waitUrl)) body.WaitUrl = urlField(node, itemIndex, 'Wait Audio URL', fields.waitUrl);
	if (given(fields.callType)) body.CallType = oneOf(node, itemIndex, 'Call Type', fields.callType, ['trans']);
	if (given(fields.customField)) {
		const text = String(fields.customField);
		if (text.length > MAX_CUSTOM_FIELD_LENGTH) {
			throw inputError(node, itemIndex, 'Custom Field', `has ${text.length} characters; Exotel keeps at most ${MAX_CUSTOM_FIELD_LENGTH}`);
		}
		body.CustomField = text;
	}
	if (given(fields.statusCallback)) body.StatusCallback = urlField(node, itemIndex, 'Status Callback URL', fields.statusCallback);
	if (given(fields.statusCallbackEvents)) {
		const events = (Array.isArray(fields.statusCallbackEvents) ? fields.statusCallbackEvents : String(fields.statusCallbackEvents).split(','))
			.map((event) => String(event).trim())
			.filter(Boolean);
		for (const event of events) oneOf(node, itemIndex, 'Status Callback Events', event, ['terminal', 'answered']);
		if (events.length > 0) body.StatusCallbackEvents = events;
	}
	if (given(fields.statusCallbackContentType)) {
		body.StatusCallbackContentType = oneOf(node, itemIndex, 'Status Callback Content Type', fields.statusCallbackContentType, [
			'multipart/form-data',
			'application/json',
		]);
	}
	if ((body.StatusCallbackEvents || body.StatusCallbackContentType) && !body.StatusCallback) {
		throw inputError(node, itemIndex, 'Status Callback URL', 'is empty', 'Status Callback Events and Content Type only apply with a Status Callback URL.');
	}
	return body;
}

function oneOf(node: INode, itemIndex: number, field: string, value: unknown, allowed: string[]): string {
	const text = String(value).trim();
	if (!allowed.includes(text)) throw inputError(node, itemIndex, field, `"${text}" is not one of ${allowed.join(', ')}`);
	return text;
}

/**
 * Whether a failed call request may still have placed the call: Exotel answered 5xx, or no answer came
 * once the request had left (timeout, broken connection, Stop while waiting). A 4xx, or a connection
 * that was never made, placed nothing.
 */
export function mayHaveBeenPlaced(error: unknown): boolean {
	if (error instanceof NodeApiError) {
		const status = Number(error.httpCode);
		if (Number.isFinite(status) && status > 0) return status >= 500;
		const code = String((error.errorResponse as IDataObject | undefined)?.code ?? '');
		return !['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED'].includes(code);
	}
	return error instanceof NodeOperationError && /waited for Exotel's answer/.test(error.message);
}

/** The error for a call that may have been placed although its answer never came: say how to check. */
function maybePlacedError(node: INode, itemIndex: number, cause: Error, from: string, to: string | undefined, at: string) {
	const who = to ? `from ${from} to ${to}` : `to ${from}`;
	const error = new NodeOperationError(node, `Item ${itemIndex + 1}: the call ${who} may have been placed, but Exotel's answer was lost (${cause.message})`, {
		itemIndex,
		description: `It was not sent again, so no one is rung twice. Before running this item again, check whether the call exists: Call → Get Many with From ${from}${to ? ` or To ${to}` : ''} and Date From ${at} (India time). ${(cause as NodeApiError).description ?? ''}`.trim(),
	});
	return error;
}

export interface PreparedCall {
	body: IDataObject;
	simplify: boolean;
}

/**
 * Places one call per input item. Every item is checked before any call goes out, so a mistake in
 * item 5 stops the run before items 1 to 4 ring anyone. A request is sent once: one whose answer was
 * lost or was a 5xx fails its item with how to check, and is never resent.
 */
export async function placeCalls(
	context: IExecuteFunctions,
	prepare: (itemIndex: number) => PreparedCall,
): Promise<INodeExecutionData[][]> {
	const itemCount = context.getInputData().length;
	const node = context.getNode();
	const output: Array<INodeExecutionData | undefined> = new Array(itemCount);
	const prepared: Array<PreparedCall | undefined> = new Array(itemCount);
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			prepared[itemIndex] = prepare(itemIndex);
		} catch (error) {
			output[itemIndex] = errorOutput(context, error, itemIndex);
		}
	}
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const call = prepared[itemIndex];
		if (!call) continue;
		const at = exotelTime(Date.now());
		try {
			let answer;
			try {
				answer = await exotelV1Request(context, { method: 'POST', url: '/Calls/connect.json', body: call.body, itemIndex });
			} catch (error) {
				if (!mayHaveBeenPlaced(error)) throw asNodeError(node, error, itemIndex);
				throw maybePlacedError(node, itemIndex, error as Error, String(call.body.From), call.body.To as string | undefined, at);
			}
			let placed;
			try {
				placed = callOf(context, answer, `the call from ${String(call.body.From)}`, itemIndex);
			} catch (error) {
				// Exotel accepted the request but its answer is not a call: the call may well be ringing.
				throw maybePlacedError(node, itemIndex, error as Error, String(call.body.From), call.body.To as string | undefined, at);
			}
			output[itemIndex] = { json: callOutput(placed, call.simplify), pairedItem: { item: itemIndex } };
		} catch (error) {
			output[itemIndex] = errorOutput(context, error, itemIndex);
		}
	}
	return [output as INodeExecutionData[]];
}
