/* eslint-disable @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * Runs the Exotel Trigger's `webhook()` the way n8n's live-webhook path does, over real HTTP:
 *
 *   HTTP request → body parsing as n8n's → n8n-core's WebhookContext → node.webhook()
 *   → static data saved when changed → the returned items run through n8n-core's WorkflowExecute.
 *
 * n8n's request plumbing lives in the `n8n` (cli) package, which is not a dependency here. Its steps
 * are replicated from n8n 2.41.1 (checked against its dist/):
 * - middlewares/body-parser: rawBodyReader, parseBody (BOM stripped; malformed JSON → 422);
 * - webhooks/webhook-helpers parseRequestBody: multipart via formidable into `{ data, files }`,
 *   every other content type through parseBody for a typeVersion-1 node, only the parsable ones above;
 * - webhooks/webhook-form-data: one-element arrays unwrapped, `key[]` names kept as sent;
 * - webhooks/live-webhooks: a new Workflow around the stored static data per request, and
 *   saveStaticData once the request is answered;
 * - webhooks/webhook.service runWebhook: `new WebhookContext(...)`, `nodeType.webhook.call(context)`.
 * Multipart is parsed with undici's FormData parser instead of formidable, giving the same shape.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import { jsonParse, NodeConnectionTypes, Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { ExotelTrigger } from '../../nodes/ExotelTrigger/ExotelTrigger.node';

/** n8n's default N8N_PAYLOAD_SIZE_MAX (MiB): the raw-body limit before any node sees the request. */
const N8N_PAYLOAD_SIZE_MAX_MB = 16;

const TRIGGER_NODE = 'Exotel Trigger';
const CAPTURE_NODE = 'Capture';

/** A node after the trigger that passes its items on, so a test sees what the workflow received. */
const captureNode: INodeType = {
	description: {
		displayName: 'Capture',
		name: 'capture',
		group: ['transform'],
		version: 1,
		description: 'Passes its input on',
		defaults: { name: 'Capture' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	},
};

function nodeTypes(trigger: INodeType): INodeTypes {
	const byName: Record<string, INodeType> = {
		'n8n-nodes-exotel.exotelTrigger': trigger,
		'test.capture': captureNode,
	};
	return {
		getByName: (name) => byName[name] as INodeType | IVersionedNodeType,
		getByNameAndVersion: (name) => byName[name],
		getKnownTypes: () => ({}),
	};
}

/** n8n request fields the node reads (express's Request plus n8n's additions). */
type WebhookRequest = IncomingMessage & {
	contentType?: string;
	encoding: BufferEncoding;
	rawBody?: Buffer;
	readRawBody: () => Promise<void>;
	_body?: boolean;
	body?: unknown;
	query: IDataObject;
	params: IDataObject;
};

type WebhookResponse = ServerResponse & {
	status(code: number): WebhookResponse;
	json(body: unknown): WebhookResponse;
	send(body: unknown): WebhookResponse;
};

class RequestTooLargeError extends Error {}

/** n8n's parseIncomingMessage: the media type without parameters, and the charset. */
function parseIncomingMessage(req: WebhookRequest): void {
	const header = req.headers['content-type'];
	if (header) {
		const [type, ...parameters] = header.split(';');
		req.contentType = type.trim().toLowerCase();
		const charset = parameters
			.map((parameter) => parameter.trim().split('='))
			.find(([name]) => name.toLowerCase() === 'charset')?.[1];
		req.encoding = (charset?.replace(/"/g, '').toLowerCase() ?? 'utf-8') as BufferEncoding;
	} else {
		req.encoding = 'utf-8';
	}
}

/** n8n's rawBodyReader: reads the body once, on demand, within N8N_PAYLOAD_SIZE_MAX. */
function installRawBodyReader(req: WebhookRequest): void {
	req.readRawBody = async () => {
		if (req.rawBody) return;
		const limit = N8N_PAYLOAD_SIZE_MAX_MB * 1024 * 1024;
		const chunks: Buffer[] = [];
		let length = 0;
		for await (const chunk of req) {
			length += (chunk as Buffer).length;
			if (length > limit) throw new RequestTooLargeError('request entity too large');
			chunks.push(chunk as Buffer);
		}
		req.rawBody = Buffer.concat(chunks);
		req._body = true;
	};
}

/** formidable's output as n8n hands it on: `{ data: fields, files }`, one-element arrays unwrapped. */
async function parseMultipart(req: WebhookRequest): Promise<{ data: IDataObject; files: IDataObject }> {
	await req.readRawBody();
	const form = await new Response(req.rawBody, {
		headers: { 'content-type': String(req.headers['content-type']) },
	}).formData();
	const data: Record<string, unknown[]> = {};
	const files: Record<string, unknown[]> = {};
	for (const [name, value] of form.entries()) {
		if (typeof value === 'string') (data[name] ??= []).push(value);
		else (files[name] ??= []).push({ originalFilename: value.name, mimetype: value.type, size: value.size });
	}
	const unwrap = (values: Record<string, unknown[]>) =>
		Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.length === 1 ? v[0] : v])) as IDataObject;
	// n8n keeps no raw body for multipart: formidable consumed the stream.
	Reflect.deleteProperty(req, 'rawBody');
	return { data: unwrap(data), files: unwrap(files) };
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** n8n's isParsableContentType: what it parses for a webhook node of typeVersion above 1. */
function isParsableContentType(contentType: string | undefined): boolean {
	if (!contentType) return false;
	return (
		contentType.startsWith('application/json') ||
		contentType.startsWith('text/plain') ||
		contentType.startsWith('application/x-www-form-urlencoded') ||
		contentType.endsWith('/xml') ||
		contentType.endsWith('+xml')
	);
}

/** n8n's parseBody (typeVersion-1 webhook nodes get it for every non-multipart content type). */
async function parseBody(req: WebhookRequest): Promise<void> {
	await req.readRawBody();
	const { rawBody, contentType, encoding } = req;
	if (!rawBody?.length) return;
	if (contentType === 'application/json') {
		req.body = jsonParse(stripBom(rawBody.toString(encoding)));
	} else if (contentType === 'application/x-www-form-urlencoded') {
		req.body = parseQueryString(stripBom(rawBody.toString(encoding)), undefined, undefined, { maxKeys: 1000 });
	} else if (contentType === 'text/plain') {
		req.body = rawBody.toString(encoding);
	}
}

function expressLikeResponse(res: ServerResponse): WebhookResponse {
	const response = res as WebhookResponse;
	response.status = (code: number) => {
		res.statusCode = code;
		return response;
	};
	response.send = (body: unknown) => {
		res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
		return response;
	};
	response.json = (body: unknown) => {
		res.setHeader('content-type', 'application/json; charset=utf-8');
		res.end(JSON.stringify(body));
		return response;
	};
	return response;
}

export interface Delivery {
	/** The HTTP status the sender got. */
	status: number;
	/** The body the sender got. */
	responseText: string;
	/** What the node's `webhook()` returned (undefined when n8n refused before the node ran). */
	webhookResult?: IWebhookResponseData;
	/** Whether a workflow execution started. */
	started: boolean;
	/** The items the node after the trigger received, when an execution started. */
	received: INodeExecutionData[];
	run?: IRun;
}

export interface PostOptions {
	body?: string | Buffer | FormData;
	contentType?: string;
	/** Query string without `?`, e.g. `token=abc`. */
	query?: string;
	headers?: Record<string, string>;
}

async function runFromTrigger(workflow: Workflow, trigger: INode, items: INodeExecutionData[][], mode: WorkflowExecuteMode) {
	const hooks = new ExecutionLifecycleHooks(mode, 'webhook-execution', {
		id: workflow.id,
		name: workflow.name,
		active: true,
		activeVersionId: null,
		isArchived: false,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	let resolveRun: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));
	const additionalData = baseAdditionalData();
	additionalData.hooks = hooks;
	// As n8n's prepareExecutionData: the trigger's items start the stack.
	const runExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: trigger, data: { main: items }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;
	await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	return await finished;
}

function baseAdditionalData(): IWorkflowExecuteAdditionalData {
	return {
		executionId: 'webhook-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		variables: {},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface TriggerEndpointOptions {
	parameters: INodeParameters;
	/** The trigger node's typeVersion (1 unless given). */
	typeVersion?: number;
	/** 'webhook' is a production URL of an active workflow; 'manual' a test URL. */
	mode?: WorkflowExecuteMode;
	trigger?: INodeType;
}

/**
 * One workflow (Exotel Trigger → Capture) behind a real HTTP server. Its static data is kept
 * between requests the way n8n keeps it in the database: only when the node changed it.
 */
let workflowSequence = 0;

export class TriggerEndpoint {
	/** The workflow's stored static data, as n8n's database would hold it. */
	storedStaticData: IDataObject = {};
	/**
	 * How many of the next executions n8n fails to register (as when its database is locked under
	 * load): it answers 500 and nothing starts.
	 */
	failToStart = 0;
	/** Each endpoint (and each reset) is another workflow, so deliveries seen by one are not seen by another. */
	workflowId = `trigger-workflow-${++workflowSequence}`;
	private server?: Server;
	private baseUrl = '';
	private readonly deliveries = new Map<string, Promise<Omit<Delivery, 'status' | 'responseText'>>>();
	private sequence = 0;

	constructor(private readonly options: TriggerEndpointOptions) {}

	static async start(options: TriggerEndpointOptions): Promise<TriggerEndpoint> {
		const endpoint = new TriggerEndpoint(options);
		endpoint.server = createServer((req, res) => {
			const id = String(req.headers['x-delivery-id']);
			endpoint.deliveries.set(id, endpoint.handle(req as WebhookRequest, expressLikeResponse(res)));
		});
		await new Promise<void>((resolve) => endpoint.server!.listen(0, '127.0.0.1', resolve));
		endpoint.baseUrl = `http://127.0.0.1:${(endpoint.server.address() as AddressInfo).port}`;
		return endpoint;
	}

	async stop(): Promise<void> {
		// fetch keeps connections alive; close them rather than wait for their idle timeout.
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) => this.server?.close(() => resolve()));
	}

	/** A new workflow with empty static data (as if another workflow was published). */
	reset(): void {
		this.storedStaticData = {};
		this.workflowId = `trigger-workflow-${++workflowSequence}`;
	}

	get webhookPath(): string {
		return 'trigger-webhook-id/webhook';
	}

	/** POSTs like Exotel does and waits until n8n would be done with the request. */
	async post(options: PostOptions): Promise<Delivery> {
		return await this.send('POST', options);
	}

	/** GETs like a Passthru applet does (the call in `query`) and waits until n8n is done. */
	async get(query: string, headers: Record<string, string> = {}): Promise<Delivery> {
		return await this.send('GET', { query, headers });
	}

	private async send(method: 'GET' | 'POST', options: PostOptions): Promise<Delivery> {
		const id = String(++this.sequence);
		const headers: Record<string, string> = { 'x-delivery-id': id, ...(options.headers ?? {}) };
		if (options.contentType) headers['content-type'] = options.contentType;
		const url = `${this.baseUrl}/webhook/${this.webhookPath}${options.query ? `?${options.query}` : ''}`;
		const response = await fetch(url, { method, headers, body: options.body as NonNullable<Parameters<typeof fetch>[1]>['body'] });
		const responseText = await response.text();
		const handled = await this.deliveries.get(id)!;
		this.deliveries.delete(id);
		return { status: response.status, responseText, ...handled };
	}

	/** POSTs a raw HTTP/1.1 request with a chunked body (no Content-Length). */
	async postChunked(body: string, contentType: string, query = ''): Promise<Delivery> {
		const { request } = await import('node:http');
		const id = String(++this.sequence);
		const url = new URL(`${this.baseUrl}/webhook/${this.webhookPath}${query ? `?${query}` : ''}`);
		const { status, responseText } = await new Promise<{ status: number; responseText: string }>((resolve, reject) => {
			const req = request(
				url,
				{ method: 'POST', headers: { 'content-type': contentType, 'transfer-encoding': 'chunked', 'x-delivery-id': id } },
				(res) => {
					let text = '';
					res.setEncoding('utf8');
					res.on('data', (chunk: string) => (text += chunk));
					res.on('end', () => resolve({ status: res.statusCode ?? 0, responseText: text }));
				},
			);
			req.on('error', reject);
			for (let offset = 0; offset < body.length; offset += 64 * 1024) req.write(body.slice(offset, offset + 64 * 1024));
			req.end();
		});
		const handled = await this.deliveries.get(id)!;
		this.deliveries.delete(id);
		return { status, responseText, ...handled };
	}

	private async handle(req: WebhookRequest, res: WebhookResponse): Promise<Omit<Delivery, 'status' | 'responseText'>> {
		const mode = this.options.mode ?? 'webhook';
		const notStarted = { started: false, received: [] as INodeExecutionData[] };
		// Express and n8n's middlewares, before the webhook is looked up.
		const url = new URL(req.url ?? '/', 'http://localhost');
		req.query = parseQueryString(url.search.slice(1)) as IDataObject;
		req.params = {};
		parseIncomingMessage(req);
		installRawBodyReader(req);

		const httpMethod = (req.method ?? 'POST').toUpperCase() as IWebhookData['httpMethod'];
		// webhook-helpers.ts parseRequestBody: n8n answers a body it cannot parse itself.
		try {
			const typeVersion = this.options.typeVersion ?? 1;
			if (httpMethod === 'GET') req.body = {};
			else if (req.contentType === 'multipart/form-data') req.body = await parseMultipart(req);
			// From version 1.1 n8n parses only the content types it knows; the node reads the rest raw.
			else if (typeVersion === 1 || isParsableContentType(req.contentType)) await parseBody(req);
		} catch (error) {
			const tooLarge = error instanceof RequestTooLargeError;
			res.status(tooLarge ? 413 : 422).json({ message: tooLarge ? 'Request too large' : 'Failed to parse request body' });
			return notStarted;
		}

		// live-webhooks.ts: a Workflow built per request around the stored static data.
		const trigger: INode = {
			id: 'trigger',
			name: TRIGGER_NODE,
			type: 'n8n-nodes-exotel.exotelTrigger',
			typeVersion: this.options.typeVersion ?? 1,
			position: [0, 0],
			parameters: this.options.parameters,
			webhookId: 'trigger-webhook-id',
		};
		const capture: INode = { id: 'capture', name: CAPTURE_NODE, type: 'test.capture', typeVersion: 1, position: [200, 0], parameters: {} };
		const triggerType = this.options.trigger ?? new ExotelTrigger();
		const workflow = new Workflow({
			id: this.workflowId,
			name: 'Exotel Trigger test',
			nodes: [trigger, capture],
			connections: { [TRIGGER_NODE]: { main: [[{ node: CAPTURE_NODE, type: NodeConnectionTypes.Main, index: 0 }]] } },
			active: mode !== 'manual',
			nodeTypes: nodeTypes(triggerType),
			staticData: structuredClone(this.storedStaticData),
			settings: { executionOrder: 'v1' },
		});

		const additionalData = baseAdditionalData();
		additionalData.httpRequest = req as never;
		additionalData.httpResponse = res as never;
		// webhook.service.ts getNodeWebhooks: the description registered for this method, or n8n's 404.
		const description = triggerType.description.webhooks!.find((webhook) => webhook.httpMethod === httpMethod);
		if (description === undefined) {
			res.status(404).json({ message: `The requested webhook "${httpMethod} ${this.webhookPath}" is not registered.` });
			return notStarted;
		}
		const webhookData: IWebhookData = {
			httpMethod,
			node: TRIGGER_NODE,
			path: this.webhookPath,
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: undefined,
		};

		// webhook.service.ts runWebhook.
		let webhookResult: IWebhookResponseData;
		try {
			const context = new WebhookContext(workflow, trigger, additionalData, mode, webhookData, [], null);
			webhookResult = (await triggerType.webhook!.call(context)) as IWebhookResponseData;
		} catch {
			if (!res.headersSent) res.status(500).json({ message: 'Workflow Webhook Error: Workflow could not be started!' });
			return notStarted;
		}

		// webhook-helpers.ts executeWebhook: a node that answered itself gets no second answer, and
		// live-webhooks.ts saves static data once the request is answered, only when changed.
		const changed = () => (workflow.staticData as IDataObject).__dataChanged === true;
		const save = () => (this.storedStaticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject);
		if (webhookResult.noWebhookResponse === true || webhookResult.workflowData === undefined) {
			if (webhookResult.noWebhookResponse !== true && !res.headersSent) {
				res.status(200).json(webhookResult.webhookResponse ?? { message: 'Webhook call received' });
			}
			if (changed()) save();
		} else {
			// responseMode onReceived: n8n answers once the execution is registered, with the body
			// extractWebhookOnReceivedResponse picks. n8n has by then built the execution's workflow around
			// the same static data, which clears its "changed" mark: what webhook() wrote is not saved.
			if (this.failToStart > 0) {
				this.failToStart--;
				if (!res.headersSent) res.status(500).json({ message: 'Workflow Webhook Error: Workflow could not be started!' });
				return { ...notStarted, webhookResult };
			}
			const responseData: unknown = description.responseData ?? 'firstEntryJson';
			const body = responseData === 'noData' ? undefined : responseData || webhookResult.webhookResponse || { message: 'Workflow was started' };
			if (!res.headersSent) {
				if (typeof body === 'string') res.status(200).send(body);
				else if (body === undefined) res.status(200).send('');
				else res.status(200).json(body);
			}
		}
		if (webhookResult.workflowData === undefined) return { ...notStarted, webhookResult };

		const run = await runFromTrigger(workflow, trigger, webhookResult.workflowData, mode);
		const received = (run.data.resultData.runData[CAPTURE_NODE]?.[0]?.data?.main?.[0] ?? []) as INodeExecutionData[];
		return { webhookResult, started: true, received, run };
	}
}
