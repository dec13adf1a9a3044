import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isCancelled } from '../transport';
import { asObject } from '../transport/envelope';
import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	INode,
	INodeExecutionData,
	IPairedItemData,
} from 'n8n-workflow';

export type NodeError = NodeApiError | NodeOperationError;

type PairedItem = IPairedItemData | IPairedItemData[];

/** What an error item says beside its message: enough to log or fix the row without another lookup. */
export interface ErrorDetails extends IDataObject {
	/** Exotel's error code (e.g. 1008), or the HTTP status when Exotel gave no code of its own. */
	code?: number | string;
	/** The HTTP status of Exotel's answer for this record (e.g. 409). */
	httpCode?: number | string;
	/** The node field at fault, as the editor names it (e.g. "Phone Number"). */
	field?: string;
	/** What to do about it, when there is something to say. */
	description?: string;
	/** The input item's own fields (the credential's key and token never among them). */
	input: IDataObject;
}

/**
 * Exotel's errors name neither the item nor the field: the message gets the item as n8n numbers it
 * ("Item 3: Exotel: Not found (1000)…") and, for a record that does not exist, `notFoundField`.
 */
export function nameItemAndField(error: unknown, itemIndex: number, notFoundField?: string): void {
	if (!(error instanceof NodeApiError || error instanceof NodeOperationError)) return;
	if (!/^Items? \d/.test(error.message)) error.message = `Item ${itemIndex + 1}: ${error.message}`;
	const notFound = error instanceof NodeApiError && (error.httpCode === '404' || /\(1000\)/.test(error.message));
	if (notFound && notFoundField && error.context.field === undefined) error.context.field = notFoundField;
}

/** Any thrown value as an n8n node error tied to its item (n8n's own errors pass through unchanged). */
export function asNodeError(node: INode, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}


const present = (value: unknown) => (value === undefined || value === null || value === '' ? undefined : value);

const httpStatus = (value: unknown) =>
	typeof value === 'number' || (typeof value === 'string' && /^\d{3}$/.test(value)) ? value : undefined;

/**
 * Exotel's code and HTTP status from an error: a rejected record of a bulk answer (`{ code, error_data }`),
 * a v2 error envelope (`{ http_code, response }`), a v1 `RestException`, or a network failure's code.
 */
export function exotelCodes(error: NodeError): { code?: number | string; httpCode?: number | string } {
	const answer = asObject(error.errorResponse);
	const response = answer?.response;
	const result = asObject(Array.isArray(response) ? response[0] : response) ?? answer;
	const restException = asObject(answer?.RestException);
	const httpCode =
		httpStatus(result?.code) ??
		httpStatus(answer?.http_code) ??
		httpStatus(answer?.httpCode) ??
		httpStatus(restException?.Status) ??
		httpStatus((error as NodeApiError).httpCode);
	const code =
		present(asObject(result?.error_data)?.code) ?? present(restException?.Code) ?? present(result?.code) ?? httpCode;
	return { code: code as number | string | undefined, httpCode };
}

/** A copy of `value` with every string that holds one of `secrets` replaced. */
function withoutSecrets(value: unknown, secrets: string[]): unknown {
	if (typeof value === 'string') {
		return secrets.some((secret) => value.includes(secret)) ? '[redacted]' : value;
	}
	if (Array.isArray(value)) return value.map((entry) => withoutSecrets(entry, secrets));
	if (value !== null && typeof value === 'object') {
		const copy: IDataObject = {};
		for (const [key, entry] of Object.entries(value)) copy[key] = withoutSecrets(entry, secrets) as IDataObject[string];
		return copy;
	}
	return value;
}

/** The credential's key and token, for keeping them out of error items (see errorItem). */
export function credentialSecrets(credentials: IDataObject | undefined): string[] {
	return [credentials?.apiKey, credentials?.apiToken]
		.map((secret) => (secret === undefined || secret === null ? '' : String(secret)))
		.filter((secret) => secret.length >= 4);
}

/**
 * The output item for an error: `{ error, details: { code?, httpCode?, field?, description?, input } }`
 * and its pairedItem. It has no `error` property, which n8n would reduce the json to `{ error }` for;
 * keys only `error` and `details` still send it to the error output, where n8n also spreads the input
 * item's fields beside them. `secrets` (the credential's key and token) are redacted from `input`.
 */
export function errorItem(
	error: NodeError,
	pairedItem: PairedItem,
	input: IDataObject = {},
	secrets: string[] = [],
): INodeExecutionData {
	const { code, httpCode } = exotelCodes(error);
	const details: ErrorDetails = { input: withoutSecrets(input, secrets) as IDataObject };
	if (code !== undefined) details.code = code;
	if (httpCode !== undefined) details.httpCode = httpCode;
	const field = present(error.context?.field);
	if (field !== undefined) details.field = String(field);
	if (error.description) details.description = error.description;
	return { json: { error: error.message, details }, pairedItem };
}

/** The json of input item `itemIndex` (in a routed operation the context sees only its own item). */
export function inputJson(context: IExecuteFunctions | IExecuteSingleFunctions, itemIndex: number): IDataObject {
	const data = context.getInputData() as INodeExecutionData | INodeExecutionData[];
	const item = Array.isArray(data) ? data[itemIndex] : data;
	return item?.json ?? {};
}

/**
 * An error as this item's output when the node continues on errors; otherwise (or when the execution
 * was cancelled) rethrown, tied to its item. Pass the credential's `secrets` where they are at hand
 * (credentialSecrets) to redact them from the item's `input`.
 */
export function errorOutput(
	context: IExecuteFunctions | IExecuteSingleFunctions,
	error: unknown,
	itemIndex: number,
	pairedItem: PairedItem = { item: itemIndex },
	secrets: string[] = [],
): INodeExecutionData {
	const nodeError = asNodeError(context.getNode(), error, itemIndex);
	if (!context.continueOnFail() || isCancelled(context)) throw nodeError;
	return errorItem(nodeError, pairedItem, inputJson(context, itemIndex), secrets);
}

/**
 * Runs `operation` once per input item, in input order: its records, each paired with the item, or
 * the item's error. Operations that list things give any number of records per item.
 */
export async function forEachItemRecords(
	context: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[][]> {
	const output: INodeExecutionData[] = [];
	const itemCount = context.getInputData().length;
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			for (const json of await operation(itemIndex)) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			output.push(errorOutput(context, error, itemIndex));
		}
	}
	return [output];
}

/** Runs `operation` once per input item: one output item each, errors per item, in input order. */
export async function forEachItem(
	context: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[][]> {
	return await forEachItemRecords(context, async (itemIndex) => [await operation(itemIndex)]);
}
