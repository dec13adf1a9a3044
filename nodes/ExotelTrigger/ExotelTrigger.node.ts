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
import { seenBefore } from './helpers/dedupe';
import { tokenMatches } from './helpers/secret';

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
		version: 1,
		subtitle: '={{ $parameter["event"] }}',
		description: "Starts the workflow when an Exotel campaign posts a callback: a call's status, a number's last attempt, or the campaign's status",
		defaults: { name: 'Exotel Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"Paste this node's Production URL into the campaign's callback field in Exotel's Campaign Create: Call Status Callback, Call Schedule Callback or Status Callback. If you set a Secret, add ?token=YOUR_SECRET to the end of the URL.",
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

		const body = await readCallbackBody(this);
		if (!body.ok) {
			answer(this, 400, body.reason);
			return { noWebhookResponse: true };
		}

		const callback = normaliseCallback(body.fields);
		const wanted = this.getNodeParameter('event', 'any') as string;
		if (wanted !== 'any' && callback.event !== wanted) {
			answer(this, 200, `Ignored: not a ${wanted} callback`);
			return { noWebhookResponse: true };
		}

		// Exotel retries deliveries it thinks failed. Test URLs skip this so a sample can be resent.
		const key = deliveryKey(callback);
		if (key !== undefined && this.getMode() !== 'manual') {
			if (seenBefore(this.getWorkflowStaticData('node'), key, Date.now())) {
				answer(this, 200, 'Duplicate delivery ignored');
				return { noWebhookResponse: true };
			}
		}

		// Answered before the workflow starts; and with `noWebhookResponse` n8n saves the static
		// data written above before it starts the execution (see n8n-notes, "A webhook trigger").
		answer(this, 200, 'Received');
		return {
			noWebhookResponse: true,
			workflowData: [[{ json: callbackItemJson(body.fields, callback) }]],
		};
	}
}
