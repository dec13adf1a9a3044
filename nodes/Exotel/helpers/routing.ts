import { NodeOperationError } from 'n8n-workflow';
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodePropertyRouting,
} from 'n8n-workflow';

import { credentialsOf, exotelRequest, isCancelled } from '../transport';
import { envelopeRecords } from '../transport/envelope';
import { deleteRecord } from './deletes';
import { credentialSecrets, errorOutput, nameItemAndField } from './errors';
import { collectPages } from './pagination';
import { sidFrom } from './validation';

/** RoutingNode starts every item's request at once; this many go out at a time for one node run. */
const MAX_CONCURRENT_ROUTED_REQUESTS = 5;

const turns = new Map<string, { active: number; waiting: Array<() => void> }>();

/** Runs `work` when fewer than MAX_CONCURRENT_ROUTED_REQUESTS of the same node run are under way. */
async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
	let turn = turns.get(key);
	if (!turn) turns.set(key, (turn = { active: 0, waiting: [] }));
	// A finishing request hands its place straight to the next waiting one.
	if (turn.active >= MAX_CONCURRENT_ROUTED_REQUESTS) await new Promise<void>((resolve) => turn.waiting.push(resolve));
	else turn.active++;
	try {
		return await work();
	} finally {
		const next = turn.waiting.shift();
		if (next) next();
		else if (--turn.active === 0) turns.delete(key);
	}
}

function toItems(records: IDataObject[], itemIndex: number): INodeExecutionData[] {
	return records.map((json) => ({ json, pairedItem: { item: itemIndex } }));
}

/**
 * The `routing` of an operation that sends one request per item: method and URL (with `{contactId}`
 * and `{listId}` filled in from the parameters), sent by `routedSender(options)`.
 */
export function routed(
	method: 'GET' | 'PUT' | 'DELETE',
	url: string,
	options?: RoutedSenderOptions,
): INodePropertyRouting {
	return {
		request: { method, url },
		// `paginate` is what makes RoutingNode hand the request to a sender (see routedSender).
		send: { paginate: true },
		...(options ? { operations: { pagination: routedSender(options) } } : {}),
	};
}

export interface RoutedSenderOptions {
	/** Follow pages: all of them with Return All, else exactly `limit` records. */
	paged?: boolean;
	/** Builds (and checks) the JSON body from the item's parameters. */
	body?: (context: IExecuteSingleFunctions, itemIndex: number) => IDataObject;
	/** A DELETE: the item's output, `{ deleted: true, … }`, names the record by its checked path IDs. */
	deleted?: (ids: PathSids) => IDataObject;
}

/**
 * Every routed operation sets `send.paginate`, so RoutingNode hands its request to the sender made
 * here instead of sending it itself. The request then goes out through the shared transport: a routed
 * `get` retries, reads the envelope and reports Exotel's errors exactly like a bulk `create`; IDs and
 * bodies are checked before sending; and each output item, error items included, keeps its pairedItem.
 */
export function routedSender(options: RoutedSenderOptions = {}) {
	return async function sendRouted(
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		const itemIndex = this.getItemIndex();
		const send = async (): Promise<INodeExecutionData[]> => {
			// Items still queued when the user stops the execution are dropped, never sent.
			if (isCancelled(this)) throw new NodeOperationError(this.getNode(), 'The execution was cancelled before this item was sent', { itemIndex });
			const { url, sids } = fillPathSids(this, itemIndex, requestData.options.url ?? '');
			const request = { ...requestData.options, url, itemIndex } as IHttpRequestOptions;
			if (options.body) request.body = options.body(this, itemIndex);
			if (options.deleted) {
				return toItems([await deleteRecord(this, { ...request, method: 'DELETE' }, options.deleted(sids))], itemIndex);
			}
			if (options.paged) {
				const returnAll = this.getNodeParameter('returnAll', false) as boolean;
				const limit = returnAll ? Infinity : (this.getNodeParameter('limit', 50) as number);
				return toItems(await collectPages(this, request, limit), itemIndex);
			}
			return toItems(envelopeRecords(await exotelRequest(this, request)), itemIndex);
		};
		try {
			return await inTurn(`${this.getExecutionId()}:${this.getNode().id}`, send);
		} catch (error) {
			nameItemAndField(error, itemIndex, pathField(requestData.options.url ?? ''));
			// The error item copies the input item: keep the credential's key and token out of it.
			const secrets = credentialSecrets(await credentialsOf(this).catch(() => undefined));
			return [errorOutput(this, error, itemIndex, { item: itemIndex }, secrets)];
		}
	};
}

/** The field a routed URL's one ID comes from; with two IDs (list and contact) no single one is at fault. */
const PATH_FIELDS: Record<string, string> = { '{contactId}': 'Contact ID', '{listId}': 'List' };

/** The field a routed URL's record comes from, when it has one ID. */
function pathField(url: string): string | undefined {
	const ids = Object.keys(PATH_FIELDS).filter((placeholder) => url.includes(placeholder));
	return ids.length === 1 ? PATH_FIELDS[ids[0]] : undefined;
}

/** The SIDs a routed URL was filled with. */
export interface PathSids {
	contactId?: string;
	listId?: string;
}

/** Fills `{contactId}` and `{listId}` in a routed URL with checked, URL-encoded SIDs. */
function fillPathSids(context: IExecuteSingleFunctions, itemIndex: number, template: string): { url: string; sids: PathSids } {
	const node = context.getNode();
	const sids: PathSids = {};
	const url = template
		.replace('{contactId}', () => {
			sids.contactId = sidFrom(node, itemIndex, 'Contact ID', context.getNodeParameter('contactId'), 'contact');
			return encodeURIComponent(sids.contactId);
		})
		.replace('{listId}', () => {
			sids.listId = sidFrom(node, itemIndex, 'List', context.getNodeParameter('listId'), 'list');
			return encodeURIComponent(sids.listId);
		});
	return { url, sids };
}
