import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import { exotelRequest } from '../transport';
import { describeExotelError, envelopeResults, isFailure } from '../transport/envelope';
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

export interface BulkPlan {
	/** What the records are, for messages: "contacts", "lists", "list memberships". */
	noun: string;
	/** POST creates, PUT updates; both answer 207 per record. Default POST. */
	method?: 'POST' | 'PUT';
	/** Checks item `itemIndex` and returns its record and the URL it goes to (items are grouped by URL). */
	toRecord(itemIndex: number): { url: string; record: IDataObject };
	/** The request body for a batch of records, e.g. `{ contacts: [...] }`. */
	body(records: IDataObject[]): IDataObject;
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

/** A saved record, or an error with its reason in a few words (for the summary of a failed run). */
type Outcome = { data: IDataObject; existing?: boolean } | { error: NodeError; reason: string };

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
				});
				results = envelopeResults(envelope);
			} catch (error) {
				const requestError = asNodeError(node, error, batch[0]);
				if (sent > 0) {
					requestError.description = `${requestError.description ?? ''} ${succeeded} ${plan.noun} from earlier requests of this run were already saved in Exotel.`.trim();
				}
				if (!continueOnFail) throw requestError;
				for (const itemIndex of batch) outcomes[itemIndex] = { error: requestError, reason: requestError.message };
				continue;
			}
			sent += batch.length;
			batch.forEach((itemIndex, position) => {
				const result = results[position];
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
		const failed = outcomes.filter((outcome) => 'error' in outcome).length;
		const { error, reason } = outcomes[firstFailure] as { error: NodeError; reason: string };
		throw new NodeApiError(node, { message: error.message } as JsonObject, {
			message: `Exotel rejected ${failed} of ${itemCount} ${plan.noun}; the first is item ${firstFailure + 1}: ${reason}`,
			description: `${succeeded} ${plan.noun} were saved. To get every rejected item on its own, with the others passing through, set the node's Settings → On Error to "Continue (using error output)".`,
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
