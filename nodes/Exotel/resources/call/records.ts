import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INode, JsonObject } from 'n8n-workflow';

import { exotelV1Request } from '../../transport';
import { asObject } from '../../transport/envelope';
import type { ExotelV1Answer } from '../../transport/types';
import { sidFrom } from '../../helpers/validation';

/** Statuses after which a call does not change any more (Exotel's and its dashboard's spellings). */
const ENDED = new Set(['completed', 'failed', 'busy', 'no-answer', 'canceled', 'cancelled']);

/** What a workflow usually needs of a call; the Simplify option keeps these. */
export const SIMPLE_CALL_FIELDS = [
	'Sid',
	'Status',
	'From',
	'To',
	'Direction',
	'StartTime',
	'EndTime',
	'Duration',
	'Price',
	'RecordingUrl',
	'PreSignedRecordingUrl',
	'CustomField',
] as const;

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/** A call's `Sid` from a pasted SID or the call's `Uri` (`…/Calls/<sid>.json`, `…/Calls.json/<sid>`). */
export function callSidFrom(node: INode, itemIndex: number, value: unknown): string {
	return sidFrom(node, itemIndex, 'Call SID', value, 'call');
}

/** The call of an answer (`{ Call: {…} }`), or an error saying what came instead. */
export function callOf(context: IExecuteFunctions, answer: ExotelV1Answer, what: string, itemIndex: number): IDataObject {
	const call = asObject(asObject(answer)?.Call);
	if (!call) {
		throw new NodeApiError(context.getNode(), { answer: JSON.stringify(answer).slice(0, 500) } as JsonObject, {
			message: `Exotel's answer for ${what} holds no call`,
			description: 'Exotel answered without the "Call" record it sends for calls.',
			itemIndex,
		});
	}
	return call;
}

/** Whether a call has ended and Exotel has settled its duration and price (about 2 minutes after hang-up). */
export function isSettled(call: IDataObject): boolean {
	return ENDED.has(String(call.Status ?? '').toLowerCase()) && present(call.Duration) && present(call.Price);
}

export function hasEnded(call: IDataObject): boolean {
	return ENDED.has(String(call.Status ?? '').toLowerCase());
}

/** The call as output: all of Exotel's fields, or with Simplify the usual ones (and the legs, when asked for). */
export function callOutput(call: IDataObject, simplify: boolean): IDataObject {
	if (!simplify) return call;
	const simple: IDataObject = {};
	for (const key of SIMPLE_CALL_FIELDS) if (key in call) simple[key] = call[key];
	if (call.Details !== undefined) simple.Details = call.Details;
	return simple;
}

/** Get's and Get Many's query: the legs and a fresh recording link, when asked for. */
export function callQuery(options: IDataObject): IDataObject {
	const qs: IDataObject = {};
	if (options.details === true) qs.details = 'true';
	if (present(options.recordingUrlValidity)) qs.RecordingUrlValidity = options.recordingUrlValidity;
	return qs;
}

/** One call by its SID. */
export async function fetchCall(context: IExecuteFunctions, sid: string, itemIndex: number, qs: IDataObject = {}): Promise<IDataObject> {
	const answer = await exotelV1Request(context, { method: 'GET', url: `/Calls/${encodeURIComponent(sid)}.json`, qs, itemIndex });
	return callOf(context, answer, `call ${sid}`, itemIndex);
}
