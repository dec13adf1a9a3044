import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';

import { asNodeError, credentialSecrets, errorItem } from '../../helpers/errors';
import type { NodeError } from '../../helpers/errors';
import { exotelV1Request, isCancelled } from '../../transport';
import { asObject } from '../../transport/envelope';
import { matchBulkAnswer } from './bulkAnswer';
import type { MessageReport } from './bulkAnswer';
import { MAX_MESSAGES_PER_REQUEST, sendDescription } from './fields';
import { smsMessageReader } from './message';
import type { SmsMessage } from './message';
import { readableSms, unwrapSms } from './status';

export const description: INodeProperties[] = sendDescription;

type Outcome = { data: IDataObject } | { error: NodeError };

/** What Exotel's SMS error codes mean for the person running the workflow. */
const REFUSAL_HINTS: Record<string, string> = {
	'40000': 'A trial account cannot send promotional SMS.',
	'340030': "A trial account may text only its whitelisted numbers (and needs its KYC done).",
	'40001': 'The Exotel account is out of balance.',
	'40002': 'The Exotel account is inactive.',
	'40003': "The account may not text this number's country.",
	'40202': 'Exotel could not read the text.',
	'40203': 'Exotel found the number invalid.',
	'40204': 'The SMS Type is not one Exotel knows.',
	'40205': 'The sender (From) is empty.',
	'40206': 'The sender (From) does not fit the SMS Type: promotional SMS need a numeric sender ID.',
	'40209': 'The Encoding is not one Exotel knows.',
	'40210': 'The sender (From) is missing.',
	'40300': 'This promotional account has no numeric sender ID: ask Exotel to link one.',
	'40301': 'This account has no transactional sender ID: ask Exotel to link one.',
};

/** How to check for an SMS whose fate is unknown: no SID came back, so SMS → Get cannot be used. */
function checkAdvice(message: IDataObject): string {
	return `The node did not send it again, so the customer does not get it twice. Before running this item again, check whether it went out: Exotel's dashboard lists sent SMS (search for ${String(message.To)} around this time), or, if you set a Status Callback URL, wait for its delivery report. SMS → Get cannot help here: it needs the SMS's SID, which only the lost answer had.`;
}

/**
 * Whether a failed send may still have reached Exotel: an answer that was lost (timeout, broken
 * connection), a 5xx, or a success status whose body could not be read. Exotel's refusals (4xx,
 * 429 included), a host that does not exist and a refused connection sent nothing.
 */
function mayHaveBeenSent(error: NodeError): boolean {
	if (!(error instanceof NodeApiError)) return false;
	const status = Number(error.httpCode);
	if (error.httpCode && Number.isFinite(status)) return !(status >= 400 && status < 500);
	const code = String(asObject(error.errorResponse)?.code ?? '');
	return !['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED'].includes(code);
}

function itemError(
	context: IExecuteFunctions,
	source: JsonObject,
	itemIndex: number,
	message: string,
	options: { description?: string; httpCode?: string } = {},
): NodeApiError {
	const error = new NodeApiError(context.getNode(), source, { ...options, itemIndex });
	// Set after construction: NodeApiError replaces messages of well-known codes with generic text.
	error.message = message;
	return error;
}

/** The error of an item whose request failed as a whole, saying whether it may have been sent. */
function requestFailure(context: IExecuteFunctions, error: NodeError, itemIndex: number, message: IDataObject, bulk: boolean) {
	const source = ((error as NodeApiError).errorResponse ?? { message: error.message }) as JsonObject;
	const httpCode = (error as NodeApiError).httpCode ?? undefined;
	if (mayHaveBeenSent(error)) {
		return itemError(
			context,
			source,
			itemIndex,
			`Item ${itemIndex + 1}: the answer to ${bulk ? 'the bulk request carrying this SMS' : 'this SMS'} was lost, so it may have been sent (${error.message})`,
			{ description: checkAdvice(message), httpCode },
		);
	}
	return itemError(context, source, itemIndex, `Item ${itemIndex + 1}: ${error.message}`, {
		description: `${error.description ?? ''} Nothing was sent for this item.`.trim(),
		httpCode,
	});
}

/** The error of a message Exotel refused within a bulk answer, with Exotel's code and text. */
function refusal(context: IExecuteFunctions, refused: IDataObject, itemIndex: number): NodeApiError {
	const exception = asObject(refused.RestException) ?? {};
	const code = exception.Code ?? exception.code;
	const text = String(exception.Message ?? exception.message ?? 'no reason given');
	const codeText = code === undefined || code === null || code === '' ? '' : ` (${String(code)})`;
	return itemError(context, refused as JsonObject, itemIndex, `Item ${itemIndex + 1}: Exotel refused this SMS: ${text}${codeText}`, {
		description: [REFUSAL_HINTS[String(code)], 'Nothing was sent for this item.'].filter(Boolean).join(' '),
		httpCode: exception.Status !== undefined ? String(exception.Status) : undefined,
	});
}

function unreported(context: IExecuteFunctions, message: IDataObject, itemIndex: number, sent: number, entries: number) {
	const answer =
		sent === 1
			? `Exotel's answer held no SMS record for it (to ${String(message.To)}).`
			: `Exotel's answer to the bulk request held ${entries} entries for ${sent} messages, and none was about this one (to ${String(message.To)}).`;
	return itemError(
		context,
		{ message: 'not reported' },
		itemIndex,
		`Item ${itemIndex + 1}: Exotel's answer did not report on this SMS, so it may have been sent`,
		{ description: `${answer} ${checkAdvice(message)}` },
	);
}

function outcomeOf(context: IExecuteFunctions, report: MessageReport, itemIndex: number): Outcome {
	if ('sent' in report) return { data: readableSms(report.sent) };
	return { error: refusal(context, report.refused, itemIndex) };
}

/**
 * Dynamic bulk send as Exotel reads it: the request's settings, a fallback sender, and
 * `Messages[i][To|Body|From|…]` (transport indexes the array in the form body).
 */
function bulkBody(requestSettings: IDataObject, messages: IDataObject[]): IDataObject {
	return { ...requestSettings, From: messages[0].From, Messages: messages };
}

/**
 * One SMS per input item. In bulk mode items go to Exotel's dynamic bulk send, up to 100 a request,
 * grouped by the settings Exotel takes once per request; each answer entry is matched to its own
 * message by number and text. A request whose answer was lost is never sent again: its items fail
 * saying they may have been sent. With the node set to stop on errors, nothing more is sent after
 * the first failure.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const outcomes: Outcome[] = new Array(items.length);
	const messages: Array<SmsMessage | undefined> = new Array(items.length);
	const readMessage = smsMessageReader(this);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			messages[itemIndex] = readMessage(itemIndex);
		} catch (error) {
			const inputError = asNodeError(node, error, itemIndex);
			if (!continueOnFail) throw inputError;
			outcomes[itemIndex] = { error: inputError };
		}
	}
	const sendMode = String((this.getNodeParameter('options', 0, {}) as IDataObject).sendMode ?? 'bulk');

	let sent = 0;
	const stopAt = (failedItem: number) => {
		const error = (outcomes[failedItem] as { error: NodeError }).error;
		if (sent > 0) {
			error.description = `${error.description ?? ''} ${sent} SMS of this run were accepted by Exotel before it stopped: running the workflow again sends them again.`.trim();
		}
		throw error;
	};

	if (sendMode === 'perItem') {
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const sms = messages[itemIndex];
			if (!sms) continue;
			try {
				const answer = await exotelV1Request(this, {
					method: 'POST',
					url: '/Sms/send.json',
					body: { ...sms.requestSettings, ...sms.message },
					itemIndex,
				});
				const record = unwrapSms(Array.isArray(answer) ? answer[0] : answer);
				outcomes[itemIndex] = record
					? { data: readableSms(record) }
					: { error: unreported(this, sms.message, itemIndex, 1, Array.isArray(answer) ? answer.length : 0) };
				if (record) sent++;
			} catch (error) {
				if (isCancelled(this)) throw asNodeError(node, error, itemIndex);
				outcomes[itemIndex] = { error: requestFailure(this, asNodeError(node, error, itemIndex), itemIndex, sms.message, false) };
			}
			if (!continueOnFail && 'error' in outcomes[itemIndex]) stopAt(itemIndex);
		}
	} else {
		// Exotel's bulk send takes these settings once per request: items that differ go in separate requests.
		const groups = new Map<string, number[]>();
		messages.forEach((sms, itemIndex) => {
			if (!sms) return;
			const key = JSON.stringify(sms.requestSettings);
			groups.set(key, [...(groups.get(key) ?? []), itemIndex]);
		});
		for (const group of groups.values()) {
			for (let start = 0; start < group.length; start += MAX_MESSAGES_PER_REQUEST) {
				const batch = group.slice(start, start + MAX_MESSAGES_PER_REQUEST);
				const batchMessages = batch.map((itemIndex) => (messages[itemIndex] as SmsMessage).message);
				const settings = (messages[batch[0]] as SmsMessage).requestSettings;
				let answer: unknown;
				try {
					answer = await exotelV1Request(this, {
						method: 'POST',
						url: '/Sms/bulksend.json',
						body: bulkBody(settings, batchMessages),
						itemIndex: batch[0],
					});
				} catch (error) {
					if (isCancelled(this)) throw asNodeError(node, error, batch[0]);
					const failure = asNodeError(node, error, batch[0]);
					batch.forEach((itemIndex, position) => {
						outcomes[itemIndex] = { error: requestFailure(this, failure, itemIndex, batchMessages[position], true) };
					});
					if (!continueOnFail) stopAt(batch[0]);
					continue;
				}
				const { reports, entries } = matchBulkAnswer(batchMessages, answer);
				batch.forEach((itemIndex, position) => {
					const report = reports[position];
					outcomes[itemIndex] = report
						? outcomeOf(this, report, itemIndex)
						: { error: unreported(this, batchMessages[position], itemIndex, batch.length, entries) };
				});
				sent += batch.filter((itemIndex) => 'data' in outcomes[itemIndex]).length;
				const firstFailure = batch.find((itemIndex) => 'error' in outcomes[itemIndex]);
				if (!continueOnFail && firstFailure !== undefined) {
					const failed = batch.filter((itemIndex) => 'error' in outcomes[itemIndex]).length;
					const error = (outcomes[firstFailure] as { error: NodeError }).error;
					if (failed > 1) {
						error.description = `${error.description ?? ''} ${failed - 1} more SMS of the same request failed too; to get each failed item on its own with the others passing through, set the node's Settings → On Error to "Continue (using error output)".`.trim();
					}
					stopAt(firstFailure);
				}
			}
		}
	}

	const anyFailed = outcomes.some((outcome) => 'error' in outcome);
	const secrets = anyFailed ? credentialSecrets((await this.getCredentials('exotelApi')) as IDataObject) : [];
	return [
		outcomes.map((outcome, itemIndex) =>
			'error' in outcome
				? errorItem(outcome.error, { item: itemIndex }, items[itemIndex].json, secrets)
				: { json: outcome.data, pairedItem: { item: itemIndex } },
		),
	];
}
