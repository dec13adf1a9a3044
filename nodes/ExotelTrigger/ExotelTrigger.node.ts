import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { readCallbackBody } from './helpers/body';
import { callbackItemJson, deliveryKey, normaliseCallback } from './helpers/callback';
import { checkDelivery, pendingDelivery, settleDelivery } from './helpers/dedupe';
import { tokenMatches } from './helpers/secret';

/** The query string's fields without the secret, which must never reach an item. */
function queryFields(query: IDataObject): IDataObject {
	const fields: IDataObject = {};
	for (const [key, value] of Object.entries(query ?? {})) {
		if (key === 'token') continue;
		Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
	}
	return fields;
}

/** Answers the request itself, so n8n starts the workflow after Exotel has its 200 (or nothing). */
function answer(context: IWebhookFunctions, statusCode: number, message: string): void {
	context.getResponseObject().status(statusCode).json({ message });
}

export class ExotelTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Exotel Trigger',
		name: 'exotelTrigger',
		icon: { light: 'file:exotel.svg', dark: 'file:exotel.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves as 1. n8n evaluates an expression (`options.binaryData`) on every webhook request
		// to a version-1 node; from 1.1 it does not, so a request needs no expression isolate for that.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["event"] }}',
		description:
			"Starts the workflow when Exotel reports a call's or SMS's status, a call reaches a Passthru applet, or a campaign posts a callback",
		defaults: { name: 'Exotel Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// One URL for both methods: Exotel's callbacks POST, a Passthru applet GETs. Plain strings
		// (no expressions), so n8n resolves them without its expression engine.
		// `responseData: ''` makes n8n's answer the `webhookResponse` webhook() returns (without it n8n
		// answers the literal text `firstEntryJson`).
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: 'webhook',
			},
			{
				name: 'default',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				responseData: '',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"Paste this node's Production URL where Exotel asks for it: a call's Status Callback (Call → Connect), an SMS's Status Callback, a Passthru applet's URL in a call flow, or a campaign's callback fields. If you set a Secret, add ?token=YOUR_SECRET to the end of the URL.",
				name: 'callbackNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Any',
						value: 'any',
						description: 'Every callback posted to this URL',
					},
					{
						name: 'Call',
						value: 'call',
						description: "A call's status callback from Call → Connect or Connect to Flow (answered, ended)",
					},
					{
						name: 'Call Schedule',
						value: 'callSchedule',
						description: 'All attempts for a number, retries included, are done',
					},
					{
						name: 'Call Status',
						value: 'callStatus',
						description: 'A call of the campaign ended',
					},
					{
						name: 'Campaign Status',
						value: 'campaignStatus',
						description: 'The campaign started or ended',
					},
					{
						name: 'Incoming Call (Passthru)',
						value: 'passthru',
						description:
							'A call reached a Passthru applet in a call flow (GET). Answered 200 at once, so the call takes the first branch.',
					},
					{
						name: 'SMS',
						value: 'sms',
						description: "An SMS's delivery status (delivered, failed, DND)",
					},
				],
				default: 'any',
				description:
					'Which callback starts the workflow. Other callbacks posted to this URL are answered and ignored.',
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'When set, a callback whose URL lacks ?token= with this value gets 401 and starts nothing. Exotel signs nothing, so this is the only check of who posts.',
			},
		],
	};

	/**
	 * Exotel takes callback URLs only inside Campaign Create, per campaign: there is no subscription
	 * to register or remove on activation. So the URL counts as in place, and create/delete have
	 * nothing to do on Exotel's side.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const secret = this.getNodeParameter('secret', '') as string;
		if (secret !== '' && !tokenMatches((this.getQueryData() as IDataObject).token, secret)) {
			answer(this, 401, 'Unauthorized');
			return { noWebhookResponse: true };
		}

		const method = String(this.getRequestObject().method ?? 'POST').toUpperCase();
		let fields: IDataObject;
		if (method === 'GET') {
			// A Passthru applet: the call is in the query string, beside the token.
			fields = queryFields(this.getQueryData() as IDataObject);
			if (Object.keys(fields).length === 0) {
				answer(this, 200, 'Ignored: no call details in the URL');
				return { noWebhookResponse: true };
			}
		} else {
			const body = await readCallbackBody(this);
			if (!body.ok) {
				answer(this, 400, body.reason);
				return { noWebhookResponse: true };
			}
			fields = body.fields;
		}

		const callback = normaliseCallback(fields, method);
		const wanted = this.getNodeParameter('event', 'any') as string;
		if (wanted !== 'any' && callback.event !== wanted) {
			answer(this, 200, `Ignored: not a ${wanted} callback`);
			return { noWebhookResponse: true };
		}

		// Exotel retries deliveries it thinks failed. Test URLs skip this so a sample can be resent.
		const key = deliveryKey(callback, fields);
		let wroteStaticData = false;
		if (key !== undefined && this.getMode() !== 'manual') {
			const node = this.getNode();
			const scope = `${this.getWorkflow().id ?? ''}|${node.id ?? node.name}`;
			// A copy whose first is still being started waits for its outcome, then checks again.
			for (let pending = pendingDelivery(scope, key); pending; pending = pendingDelivery(scope, key)) await pending;
			const check = checkDelivery(scope, this.getWorkflowStaticData('node'), key, Date.now());
			if (check === 'duplicate') {
				answer(this, 200, 'Duplicate delivery ignored');
				return { noWebhookResponse: true };
			}
			wroteStaticData = check === 'newStored';
			// n8n answers an error when it cannot register the execution: then this delivery did not
			// start, and Exotel's retry must.
			const response = this.getResponseObject();
			response.once('close', () => settleDelivery(scope, key, response.statusCode < 400));
		}

		const workflowData = [[{ json: callbackItemJson(fields, callback) }]];
		if (wroteStaticData) {
			// n8n saves static data written here only when the node answers itself: on its own answer
			// path it rebuilds the execution's workflow around the same data first, which clears the
			// "changed" mark. This happens at most every few seconds.
			answer(this, 200, 'Received');
			return { noWebhookResponse: true, workflowData };
		}
		// n8n answers (the description's onReceived, body `webhookResponse`) once it has registered the
		// execution, as for its own Webhook node. Answering earlier lets senders outrun execution
		// start-up: under a burst, executions pile up in memory and contend for the database.
		return { workflowData, webhookResponse: { message: 'Received' } };
	}
}
