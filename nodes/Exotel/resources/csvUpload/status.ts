import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import { envelopeRecords } from '../../transport/envelope';
import { sidFrom } from '../../helpers/validation';
import { checkPollOptions, pollUntilFinal } from '../../helpers/polling';
import type { PollDefaults, PollOptions } from '../../helpers/polling';
import { exotelRequest } from '../../transport';

/** The status Exotel reports while it imports the rows. Anything else is final. */
export const IN_PROGRESS = 'in-progress';
export const COMPLETED = 'completed';

export const DEFAULT_POLL_INTERVAL_S = 5;
export const DEFAULT_TIMEOUT_S = 600;
export const MIN_POLL_INTERVAL_S = 0.1;

/**
 * `pollInterval` and `timeout`: how often to check and how long to wait at most. Whole seconds in the
 * editor (the node takes fractions from expressions). "Max Wait" so it is not taken for Settings →
 * Request Options → Timeout, which is in milliseconds and bounds one request.
 */
export const pollOptionFields: INodeProperties[] = [
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: DEFAULT_POLL_INTERVAL_S,
		description:
			"How long to wait between two status checks. Each check is one request of Exotel's rate limit (about 200 a minute).",
	},
	{
		displayName: 'Max Wait (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: DEFAULT_TIMEOUT_S,
		description:
			'How long to wait for Exotel to finish the import before the node fails. The import itself goes on in Exotel: check it later with Get Status.',
	},
];

/** An `uploadId` parameter that also takes a status URL. */
export function uploadIdField(operation: string, description: string): INodeProperties {
	return {
		displayName: 'Upload ID',
		name: 'uploadId',
		type: 'string',
		// Works straight after an Upload (summary.upload_id) or a Get Status (upload_id).
		default: '={{ $json.summary?.upload_id ?? $json.upload_id }}',
		required: true,
		placeholder: 'e.g. 2a4c0f8e9b7d4e1f8a6b5c3d2e1f0a9b',
		description,
		displayOptions: { show: { resource: ['csvUpload'], operation: [operation] } },
	};
}

/** The CSV waits' defaults (an import takes seconds to minutes). */
const CSV_POLL_DEFAULTS: PollDefaults = {
	pollInterval: DEFAULT_POLL_INTERVAL_S,
	timeout: DEFAULT_TIMEOUT_S,
	minPollInterval: MIN_POLL_INTERVAL_S,
};

/** Poll settings as given (seconds, maybe from an expression), checked. */
export function checkCsvPollOptions(
	context: IExecuteFunctions,
	itemIndex: number,
	given: { pollInterval?: unknown; timeout?: unknown },
): PollOptions {
	return checkPollOptions(context.getNode(), itemIndex, given, CSV_POLL_DEFAULTS);
}

/** The poll settings in an `options` collection (Wait for Completion, and Upload in version 1). */
export function readPollOptions(context: IExecuteFunctions, itemIndex: number): PollOptions {
	return checkCsvPollOptions(context, itemIndex, context.getNodeParameter('options', itemIndex, {}) as IDataObject);
}

/** The upload ID from a pasted ID or a status URL (`…/csv-status/<id>`, as `summary.url` gives it). */
export function uploadIdFrom(context: IExecuteFunctions, itemIndex: number, value: unknown): string {
	return sidFrom(context.getNode(), itemIndex, 'Upload ID', value, 'upload');
}

/**
 * A status or upload summary with one spelling: `stats` in lower case (Exotel's upload answer says
 * `Stats`), its counters in lower case too, and `failed` also filled from `invalid` (the docs' name).
 */
export function normalizeStatus(raw: IDataObject): IDataObject {
	const { Stats, stats, ...rest } = raw;
	const source = (stats ?? Stats) as IDataObject | null | undefined;
	if (source === undefined) return rest;
	if (source === null || typeof source !== 'object') return { ...rest, stats: source };
	const normalized: IDataObject = {};
	for (const [key, value] of Object.entries(source)) normalized[key.toLowerCase()] = value;
	if (normalized.failed === undefined && normalized.invalid !== undefined) normalized.failed = normalized.invalid;
	return { ...rest, stats: normalized };
}

/** "total 4, success 3, failed 1, duplicate 0", or "no counts yet". */
export function describeStats(stats: unknown): string {
	if (!stats || typeof stats !== 'object') return 'no counts yet';
	const parts = Object.entries(stats as IDataObject)
		.filter(([, value]) => value !== null && value !== undefined)
		.map(([key, value]) => `${key} ${String(value)}`);
	return parts.length ? parts.join(', ') : 'no counts yet';
}

/** The one way this node reads an upload's status: GET /csv-status/<id>, normalized. */
export async function fetchUploadStatus(
	context: IExecuteFunctions,
	uploadId: string,
	itemIndex: number,
): Promise<IDataObject> {
	const envelope = await exotelRequest(context, {
		method: 'GET',
		url: `/csv-status/${encodeURIComponent(uploadId)}`,
		itemIndex,
	});
	const [status] = envelopeRecords(envelope);
	if (!status) {
		throw new NodeApiError(context.getNode(), envelope as unknown as JsonObject, {
			message: `Item ${itemIndex + 1}: Exotel's answer for upload ${uploadId} holds no status`,
			itemIndex,
		});
	}
	return normalizeStatus(status);
}

function cancelledError(context: IExecuteFunctions, uploadId: string, itemIndex: number) {
	return new NodeOperationError(context.getNode(), `Item ${itemIndex + 1}: stopped waiting for upload ${uploadId}: the execution was cancelled`, {
		itemIndex,
		description: 'The upload itself goes on in Exotel. Check it later with CSV Upload → Get Status.',
	});
}

/**
 * Polls an upload (through the shared pollUntilFinal) until Exotel reports `completed` and returns that
 * status. Fails on any other final status, when `timeout` passes, or at once when the execution is
 * cancelled. With `pollFirst` false the first check waits one interval (the caller just saw `in-progress`).
 */
export async function waitForUpload(
	context: IExecuteFunctions,
	uploadId: string,
	itemIndex: number,
	{ pollInterval, timeout }: PollOptions,
	pollFirst = true,
): Promise<IDataObject> {
	const node = context.getNode();
	const status = await pollUntilFinal(
		context,
		{ intervalMs: pollInterval * 1000, timeoutMs: timeout * 1000, checkFirst: pollFirst },
		{
			check: async () => {
				const value = await fetchUploadStatus(context, uploadId, itemIndex);
				return { value, final: String(value.status ?? '') !== IN_PROGRESS };
			},
			timedOut: (last, checks) =>
				new NodeOperationError(
					node,
					`Item ${itemIndex + 1}: upload ${uploadId} is still ${String(last.status)} after ${timeout} seconds (${describeStats(last.stats)})`,
					{
						itemIndex,
						description: `Exotel is still importing it (${checks} status check${checks === 1 ? '' : 's'}). Increase Max Wait, or check it later with CSV Upload → Get Status or Wait for Completion and upload ID ${uploadId}.`,
					},
				),
			cancelled: () => cancelledError(context, uploadId, itemIndex),
		},
	);
	const state = String(status.status ?? '');
	if (state !== COMPLETED) {
		throw new NodeOperationError(
			node,
			`Item ${itemIndex + 1}: upload ${uploadId} ended with status "${state || 'none'}" (${describeStats(status.stats)})`,
			{
				itemIndex,
				description:
					'Exotel did not import the file. Check the file (a "number" column in E.164, at most 100,000 contacts for a static list) and that the list still exists, then upload it again.',
			},
		);
	}
	return status;
}
