import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import { exotelRequest } from '../transport';
import { asObject, describeExotelError, envelopeResults, isFailure } from '../transport/envelope';
import { asNodeError, credentialSecrets, errorItem } from './errors';
import type { NodeError } from './errors';
import type { ExotelResult } from '../transport/types';

/** Exotel's largest bulk request: 5000 records. */
export const MAX_RECORDS_PER_REQUEST = 5000;

/** A record Exotel answered "already exists" for (409, or error code 1008). */
export interface ExistingAnswer {
	itemIndex: number;
	url: string;
	record: IDataObject;
	result: ExotelResult;
}

/**
 * What Exotel echoes of a record in its answer for it (a contact's number, a list's name, a SID), to tie
 * each answer to its record instead of trusting that answers come in request order.
 */
export interface BulkEcho {
	/** What the answers are tied by, for messages: "phone number", "name", "SID". */
	name: string;
	/** The record's key. */
	record(record: IDataObject): string | undefined;
	/** The key an answer echoes; undefined when it echoes none (e.g. a rejected record without data). */
	answer(result: ExotelResult): string | undefined;
}

const keyText = (value: unknown) =>
	(typeof value === 'string' && value !== '') || typeof value === 'number' ? String(value) : undefined;
const answerData = (result: ExotelResult): IDataObject => asObject(result.data) ?? {};
/** A rejected update's data is not its record (a 409 carries the record that has the number or name). */
const savedData = (result: ExotelResult): IDataObject => (isFailure(result) ? {} : answerData(result));

/** What each bulk operation's answers echo. */
export const ECHOES = {
	/** Contact create: the number, in digits (a 409 carries the contact that has it). */
	number: {
		name: 'phone number',
		record: (record) => keyText(String(record.number ?? '').replace(/\D/g, '')),
		answer: (result) => keyText(String(answerData(result).number ?? '').replace(/\D/g, '')),
	},
	/** List create: the name. */
	name: { name: 'name', record: (record) => keyText(record.name), answer: (result) => keyText(savedData(result).name) },
	/** Contact and list updates: the SID. */
	sid: { name: 'SID', record: (record) => keyText(record.sid), answer: (result) => keyText(savedData(result).sid) },
	/** List Contact add: the contact's SID (`sid` of the membership, `contact_sid` of a 409). */
	contactSid: {
		name: 'contact SID',
		record: (record) => keyText(record.contact_sid),
		answer: (result) => keyText(answerData(result).contact_sid ?? answerData(result).sid),
	},
} satisfies Record<string, BulkEcho>;

export interface BulkPlan {
	/** What the records are, for messages: "contacts", "lists", "list memberships". */
	noun: string;
	/** POST creates, PUT updates; both answer 207 per record. Default POST. */
	method?: 'POST' | 'PUT';
	/** Checks item `itemIndex` and returns its record and the URL it goes to (items are grouped by URL). */
	toRecord(itemIndex: number): { url: string; record: IDataObject };
	/** The request body for a batch of records, e.g. `{ contacts: [...] }`. */
	body(records: IDataObject[]): IDataObject;
	/** What Exotel echoes of each record in its answer. */
	echo: BulkEcho;
	/** The node field a rejected record is about (e.g. "Phone Number"), for the error item's `details.field`. */
	fieldAtFault?(result: ExotelResult | undefined): string | undefined;
	/**
	 * Records that already exist (the `onExisting` option). Set for the creates: every saved item then
	 * carries `existing: false`, and with `useExisting` an "already exists" answer becomes the existing
	 * record with `existing: true`.
	 */
	existing?: {
		useExisting: boolean;
		/**
		 * The existing record for each answer, by item index; items left out stay errors. `saved` holds
		 * the records this run saved, which an answer may be about (the same name twice in the input).
		 */
		find(answers: ExistingAnswer[], saved: IDataObject[]): Promise<Map<number, IDataObject>>;
	};
}

/**
 * A saved record, or an error with its reason in a few words (for the summary of a failed run);
 * `unreported` when Exotel's answer said nothing about the record, which may have been saved.
 */
type Outcome = { data: IDataObject; existing?: boolean } | { error: NodeError; reason: string; unreported?: boolean };

/**
 * Ties Exotel's answers of one bulk request to its records: the answer for record `i` at `[i]`, or
 * undefined where no answer can be tied to it. Exotel's documents say the answers come in request
 * order; that is trusted only when there are as many answers as records and none echoes the key of a
 * record at another position. Otherwise each answer goes to the first record not yet answered that
 * has the key it echoes, and a single record left over gets the single answer left over.
 */
export function matchAnswers(
	records: IDataObject[],
	results: ExotelResult[],
	echo: Pick<BulkEcho, 'record' | 'answer'>,
): Array<ExotelResult | undefined> {
	const recordKeys = records.map((record) => echo.record(record));
	const known = new Set(recordKeys.filter((key) => key !== undefined));
	// An answer that echoes nothing, or something no record has (Exotel may reformat it), says nothing about order.
	const answerKeys = results.map((result) => {
		const key = result ? echo.answer(result) : undefined;
		return key !== undefined && known.has(key) ? key : undefined;
	});
	const inOrder =
		results.length === records.length &&
		answerKeys.every((key, position) => key === undefined || key === recordKeys[position]);
	if (inOrder) return [...results];

	const matched: Array<ExotelResult | undefined> = new Array(records.length).fill(undefined);
	const waiting = new Map<string, number[]>();
	recordKeys.forEach((key, position) => {
		if (key === undefined) return;
		const queue = waiting.get(key) ?? [];
		queue.push(position);
		waiting.set(key, queue);
	});
	const leftOver: ExotelResult[] = [];
	results.forEach((result, position) => {
		const key = answerKeys[position];
		const recordPosition = key === undefined ? undefined : waiting.get(key)?.shift();
		if (recordPosition === undefined) leftOver.push(result);
		else matched[recordPosition] = result;
	});
	const unanswered = matched.flatMap((result, position) => (result === undefined ? [position] : []));
	if (results.length === records.length && unanswered.length === 1 && leftOver.length === 1) {
		matched[unanswered[0]] = leftOver[0];
	}
	return matched;
}

/** Items as n8n numbers them: "Item 3", "Items 1–5000", "Items 1, 4 and 9", "Items 2–90 (40 of them)". */
export function itemRange(itemIndexes: number[]): string {
	const numbers = itemIndexes.map((itemIndex) => itemIndex + 1);
	const first = numbers[0];
	const last = numbers[numbers.length - 1];
	if (numbers.length === 1) return `Item ${first}`;
	if (last - first + 1 === numbers.length) return `Items ${first}–${last}`;
	if (numbers.length <= 5) return `Items ${numbers.slice(0, -1).join(', ')} and ${last}`;
	return `Items ${first}–${last} (${numbers.length} of them)`;
}

/** Exotel's "already exists": a 409 entry, or error code 1008 (duplicate resource). */
export function isAlreadyExists(result: ExotelResult | undefined): boolean {
	return result?.code === 409 || String(result?.error_data?.code ?? '') === '1008';
}

/**
 * Runs a bulk operation over all input items: checks every item first (nothing is sent if an item is
 * bad and the node stops on errors), sends the rest in as few requests as Exotel allows, and maps
 * Exotel's per-record answers (207) back to the items they came from, in input order.
 */
export async function runBulk(this: IExecuteFunctions, plan: BulkPlan): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const items = this.getInputData();
	const itemCount = items.length;
	const continueOnFail = this.continueOnFail();
	const outcomes: Outcome[] = new Array(itemCount);
	const recordOf: IDataObject[] = new Array(itemCount);
	const batchesByUrl = new Map<string, number[]>();
	const existingAnswers: ExistingAnswer[] = [];

	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			const { url, record } = plan.toRecord(itemIndex);
			recordOf[itemIndex] = record;
			const group = batchesByUrl.get(url) ?? [];
			group.push(itemIndex);
			batchesByUrl.set(url, group);
		} catch (error) {
			const inputError = asNodeError(node, error, itemIndex);
			if (!continueOnFail) throw inputError;
			outcomes[itemIndex] = { error: inputError, reason: inputError.message };
		}
	}

	const rejection = (itemIndex: number, result: ExotelResult | undefined, hintSuffix?: string): Outcome => {
		const { message, hint } = describeExotelError(
			result?.error_data,
			result ? `Exotel did not accept this record (code ${result.code})` : 'Exotel returned no answer for this record',
		);
		const field = plan.fieldAtFault?.(result);
		const error = new NodeApiError(node, (result ?? {}) as JsonObject, {
			message: `Item ${itemIndex + 1}: Exotel rejected ${field ? `its ${field}` : 'it'}: ${message}`,
			description: [hint, hintSuffix].filter(Boolean).join(' ') || undefined,
			httpCode: result?.code !== undefined ? String(result.code) : undefined,
			itemIndex,
		});
		if (field) error.context.field = field;
		return { reason: message, error };
	};

	/** An item Exotel's answer said nothing about: never a success, since it may or may not be saved. */
	const unreported = (itemIndex: number, batch: number[], answered: number): Outcome => {
		const reason = `Exotel's answer did not report on it: it may have been saved`;
		const error = new NodeOperationError(node, `Item ${itemIndex + 1}: ${reason}`, {
			itemIndex,
			description: `${itemRange(batch)} went to Exotel in one request; its answer could be tied to ${answered} of the ${batch.length} ${plan.noun} (by their ${plan.echo.name}), not to this one. Check in Exotel whether it was saved before sending it again.`,
		});
		return { error, reason, unreported: true };
	};

	let sent = 0;
	let succeeded = 0;
	for (const [url, itemIndexes] of batchesByUrl) {
		for (let start = 0; start < itemIndexes.length; start += MAX_RECORDS_PER_REQUEST) {
			const batch = itemIndexes.slice(start, start + MAX_RECORDS_PER_REQUEST);
			const records = batch.map((itemIndex) => recordOf[itemIndex]);
			let results;
			try {
				const envelope = await exotelRequest(this, {
					method: plan.method ?? 'POST',
					url,
					body: plan.body(records),
					itemIndex: batch[0],
					records: records.length,
				});
				results = matchAnswers(records, envelopeResults(envelope), plan.echo);
			} catch (error) {
				// One request for the whole batch: its error is every one of its items' error.
				const requestError = asNodeError(node, error, batch[0]);
				const reason = requestError.message.replace(/^Items? \d[^:]*: /, '');
				requestError.message = `${itemRange(batch)}: ${reason}`;
				if (sent > 0) {
					requestError.description = `${requestError.description ?? ''} ${succeeded} ${plan.noun} from earlier requests of this run were already saved in Exotel.`.trim();
				}
				if (!continueOnFail) throw requestError;
				for (const itemIndex of batch) outcomes[itemIndex] = { error: requestError, reason };
				continue;
			}
			sent += batch.length;
			const answered = results.filter(Boolean).length;
			batch.forEach((itemIndex, position) => {
				const result = results[position];
				// An empty (null) entry says no more than a missing one.
				if (!result) {
					outcomes[itemIndex] = unreported(itemIndex, batch, answered);
					return;
				}
				// A 409 may come with the existing record in `data`: never a new record, whatever its status.
				const alreadyExists = plan.existing !== undefined && isAlreadyExists(result);
				if (!alreadyExists && !isFailure(result)) {
					succeeded++;
					outcomes[itemIndex] = { data: result.data as IDataObject };
					return;
				}
				if (alreadyExists && plan.existing?.useExisting) {
					existingAnswers.push({ itemIndex, url, record: recordOf[itemIndex], result });
				}
				outcomes[itemIndex] = rejection(itemIndex, result);
			});
		}
	}

	if (plan.existing && existingAnswers.length > 0) {
		let found = new Map<number, IDataObject>();
		let lookupError: NodeError | undefined;
		try {
			const saved = outcomes.flatMap((outcome) => ('data' in outcome ? [outcome.data] : []));
			found = await plan.existing.find(existingAnswers, saved);
		} catch (error) {
			lookupError = asNodeError(node, error, existingAnswers[0].itemIndex);
		}
		for (const { itemIndex, result } of existingAnswers) {
			const record = found.get(itemIndex);
			if (record) {
				succeeded++;
				outcomes[itemIndex] = { data: record, existing: true };
			} else if (lookupError) {
				outcomes[itemIndex] = { error: lookupError, reason: lookupError.message };
			} else {
				outcomes[itemIndex] = rejection(
					itemIndex,
					result,
					'It already exists, but the existing record was not found to use instead (was it deleted or renamed meanwhile?).',
				);
			}
		}
	}

	const firstFailure = outcomes.findIndex((outcome) => 'error' in outcome);
	if (firstFailure !== -1 && !continueOnFail) {
		const unknown = outcomes.filter((outcome) => 'unreported' in outcome && outcome.unreported).length;
		const rejected = outcomes.filter((outcome) => 'error' in outcome).length - unknown;
		const { error, reason } = outcomes[firstFailure] as { error: NodeError; reason: string };
		const what = [
			rejected > 0 ? `rejected ${rejected}` : '',
			unknown > 0 ? `did not report on ${unknown}` : '',
		].filter(Boolean).join(' and ');
		const maybeSaved = unknown > 0 ? ` The ${unknown} not reported on may have been saved.` : '';
		throw new NodeApiError(node, { message: error.message } as JsonObject, {
			message: `Exotel ${what} of ${itemCount} ${plan.noun}; the first is item ${firstFailure + 1}: ${reason}`,
			description: `${succeeded} ${plan.noun} were saved.${maybeSaved} To get every rejected item on its own, with the others passing through, set the node's Settings → On Error to "Continue (using error output)".`,
			itemIndex: firstFailure,
		});
	}

	const secrets = firstFailure === -1 ? [] : credentialSecrets((await this.getCredentials('exotelApi')) as IDataObject);
	const marksExisting = plan.existing !== undefined;
	return [
		outcomes.map((outcome, itemIndex) => {
			if ('error' in outcome) return errorItem(outcome.error, { item: itemIndex }, items[itemIndex].json, secrets);
			const json = marksExisting ? { ...outcome.data, existing: outcome.existing === true } : outcome.data;
			return { json, pairedItem: { item: itemIndex } };
		}),
	];
}
