import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { asNodeError, errorOutput } from '../../helpers/errors';
import { checkPollOptions, pollAllUntilFinal } from '../../helpers/polling';
import type { PollSchedule } from '../../helpers/polling';
import { exotelV1Request } from '../../transport';
import { asObject } from '../../transport/envelope';
import { callSidField, showFor, simplifyOption } from './fields';
import { callOutput, callSidFrom, fetchCall, hasEnded, isSettled } from './records';

export const DEFAULT_POLL_INTERVAL_S = 10;
export const DEFAULT_TIMEOUT_S = 1800;
/** Fractions of a second are accepted from expressions (tests, fast simulators). */
const MIN_POLL_INTERVAL_S = 0.01;
/** Calls checked in one list request (`Calls.json?Sid=a,b,…`): Exotel takes up to 100 and advises 20. */
export const SIDS_PER_CHECK = 20;

const CALL_POLL_DEFAULTS = { pollInterval: DEFAULT_POLL_INTERVAL_S, timeout: DEFAULT_TIMEOUT_S, minPollInterval: MIN_POLL_INTERVAL_S };

export const description: INodeProperties[] = [
	callSidField(['waitForCompletion'], 'The call to wait for (straight after Connect: {{ $json.Sid }})'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(['waitForCompletion']),
		options: [
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_POLL_INTERVAL_S,
				description: `How long to wait between two checks. All items' calls are checked together, up to ${SIDS_PER_CHECK} in one request.`,
			},
			{
				displayName: 'Max Wait (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_TIMEOUT_S,
				description:
					'How long to wait for the call to end and its duration and price to come in (about 2 minutes after hang-up) before the item fails',
			},
			simplifyOption,
		],
	},
];

interface Waiting {
	itemIndex: number;
	sid: string;
	simplify: boolean;
	timeout: number;
}

/** Each call of `sids`, as one list request (or, for a call the list leaves out, its own request) sees it. */
async function checkCalls(context: IExecuteFunctions, sids: string[], itemIndex: number): Promise<Map<string, IDataObject | Error>> {
	const seen = new Map<string, IDataObject | Error>();
	const answer = await exotelV1Request(context, {
		method: 'GET',
		url: '/Calls.json',
		qs: { Sid: sids.join(','), PageSize: sids.length },
		itemIndex,
	});
	const listed = asObject(answer)?.Calls;
	for (const entry of Array.isArray(listed) ? listed : []) {
		const call = asObject(asObject(entry)?.Call) ?? asObject(entry);
		if (call?.Sid !== undefined) seen.set(String(call.Sid), call);
	}
	// The list covers Exotel's last 31 days by default: an older (or unknown) call is asked for alone.
	for (const sid of sids.filter((sid) => !seen.has(sid))) {
		try {
			seen.set(sid, await fetchCall(context, sid, itemIndex));
		} catch (error) {
			seen.set(sid, asNodeError(context.getNode(), error, itemIndex));
		}
	}
	return seen;
}

/**
 * Waits for every input item's call together: each round checks all calls still going, up to 20 in
 * one request, so 100 items cost 5 requests a round, not 100. An item is output once its call has
 * ended and its duration and price are in; it fails alone when its Max Wait passes.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const itemCount = this.getInputData().length;
	const output: Array<INodeExecutionData | undefined> = new Array(itemCount);
	const waiting: Waiting[] = [];
	const schedules: PollSchedule[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			const sid = callSidFrom(node, itemIndex, this.getNodeParameter('callSid', itemIndex, ''));
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const { pollInterval, timeout } = checkPollOptions(node, itemIndex, options, CALL_POLL_DEFAULTS);
			waiting.push({ itemIndex, sid, simplify: options.simplify !== false, timeout });
			schedules.push({ intervalMs: pollInterval * 1000, timeoutMs: timeout * 1000 });
		} catch (error) {
			output[itemIndex] = errorOutput(this, error, itemIndex);
		}
	}

	const outcomes = await pollAllUntilFinal<IDataObject>(this, schedules, {
		check: async (pending) => {
			const results = new Map<number, { value: IDataObject; final: boolean } | Error>();
			const sids = [...new Set(pending.map((index) => waiting[index].sid))];
			for (let start = 0; start < sids.length; start += SIDS_PER_CHECK) {
				const batch = sids.slice(start, start + SIDS_PER_CHECK);
				const first = pending.find((index) => batch.includes(waiting[index].sid)) as number;
				let seen: Map<string, IDataObject | Error>;
				try {
					seen = await checkCalls(this, batch, waiting[first].itemIndex);
				} catch (error) {
					const failure = asNodeError(node, error, waiting[first].itemIndex);
					seen = new Map(batch.map((sid) => [sid, failure]));
				}
				for (const index of pending) {
					const call = seen.get(waiting[index].sid);
					if (call === undefined) continue;
					results.set(index, call instanceof Error ? call : { value: call, final: isSettled(call) });
				}
			}
			return results;
		},
		timedOut: (index, last, checks) => {
			const { itemIndex, sid, timeout } = waiting[index];
			const state = !last
				? 'was not seen'
				: hasEnded(last)
					? `ended (${String(last.Status)}) but its duration and price are not in yet`
					: `is still ${String(last.Status ?? 'without a status')}`;
			return new NodeOperationError(node, `Item ${itemIndex + 1}: call ${sid} ${state} after ${timeout} seconds`, {
				itemIndex,
				description: `${checks} check${checks === 1 ? '' : 's'}. Exotel settles duration and price about 2 minutes after hang-up: increase Max Wait, or read the call later with Call → Get.`,
			});
		},
		cancelled: (index) =>
			new NodeOperationError(node, `Stopped waiting for call ${waiting[index].sid}: the execution was cancelled`, {
				itemIndex: waiting[index].itemIndex,
				description: 'The call itself goes on in Exotel.',
			}),
	});

	outcomes.forEach((outcome, index) => {
		const { itemIndex, simplify } = waiting[index];
		output[itemIndex] =
			'error' in outcome
				? errorOutput(this, outcome.error, itemIndex)
				: { json: callOutput(outcome.value, simplify), pairedItem: { item: itemIndex } };
	});
	return [output as INodeExecutionData[]];
}

