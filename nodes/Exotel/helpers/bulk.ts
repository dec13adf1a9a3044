import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import { exotelRequest } from '../transport';
import { describeExotelError, envelopeResults, isFailure } from './envelope';
import { asNodeError, errorItem } from './errors';
import type { NodeError } from './errors';

/** Exotel's largest bulk request: 5000 records. */
export const MAX_RECORDS_PER_REQUEST = 5000;

export interface BulkPlan {
	/** What the records are, for messages: "contacts", "lists", "list memberships". */
	noun: string;
	/** Checks item `itemIndex` and returns its record and the URL it goes to (items are grouped by URL). */
	toRecord(itemIndex: number): { url: string; record: IDataObject };
	/** The request body for a batch of records, e.g. `{ contacts: [...] }`. */
	body(records: IDataObject[]): IDataObject;
}

/** A saved record, or an error with its reason in a few words (for the summary of a failed run). */
type Outcome = { data: IDataObject } | { error: NodeError; reason: string };

/**
 * Runs a bulk operation over all input items: checks every item first (nothing is sent if an item is
 * bad and the node stops on errors), sends the rest in as few requests as Exotel allows, and maps
 * Exotel's per-record answers (207) back to the items they came from, in input order.
 */
export async function runBulk(this: IExecuteFunctions, plan: BulkPlan): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const itemCount = this.getInputData().length;
	const continueOnFail = this.continueOnFail();
	const outcomes: Outcome[] = new Array(itemCount);
	const recordOf: IDataObject[] = new Array(itemCount);
	const batchesByUrl = new Map<string, number[]>();

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

	let sent = 0;
	let succeeded = 0;
	for (const [url, itemIndexes] of batchesByUrl) {
		for (let start = 0; start < itemIndexes.length; start += MAX_RECORDS_PER_REQUEST) {
			const batch = itemIndexes.slice(start, start + MAX_RECORDS_PER_REQUEST);
			const records = batch.map((itemIndex) => recordOf[itemIndex]);
			let results;
			try {
				const envelope = await exotelRequest(this, {
					method: 'POST',
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
				if (!isFailure(result)) {
					succeeded++;
					outcomes[itemIndex] = { data: result.data as IDataObject };
					return;
				}
				const { message, hint } = describeExotelError(
					result?.error_data,
					result ? `Exotel did not accept this record (code ${result.code})` : 'Exotel returned no answer for this record',
				);
				outcomes[itemIndex] = {
					reason: message,
					error: new NodeApiError(node, (result ?? {}) as JsonObject, {
						message: `Item ${itemIndex + 1}: Exotel rejected it: ${message}`,
						description: hint,
						httpCode: result?.code !== undefined ? String(result.code) : undefined,
						itemIndex,
					}),
				};
			});
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

	return [
		outcomes.map((outcome, itemIndex) =>
			'data' in outcome
				? { json: outcome.data, pairedItem: { item: itemIndex } }
				: errorItem(outcome.error, { item: itemIndex }),
		),
	];
}
