import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { EXOTEL_ACCOUNT_ROOT_EXPRESSION } from '../credentials/ExotelApi.credentials';

/**
 * The baseline the benchmark compares against: contact create as a plain declarative operation (or
 * n8n's HTTP Request node) does it, one request per input item.
 */
export class PerItemContactCreate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Per-item contact create',
		name: 'exotel',
		group: ['output'],
		version: 1,
		usableAsTool: true,
		description: 'One POST /contacts per item',
		defaults: { name: 'Per-item' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'exotelApi', required: true }],
		requestDefaults: { baseURL: EXOTEL_ACCOUNT_ROOT_EXPRESSION, json: true },
		properties: [
			{
				displayName: 'Number',
				name: 'number',
				type: 'string',
				default: '',
				routing: {
					request: { method: 'POST', url: '/contacts' },
					send: { type: 'body', property: 'contacts', value: '={{ [{ number: $value }] }}' },
				},
			},
		],
	};
}

/** The same baseline for contact update: one PUT /contacts/<sid> per item, as the node did before bulk update. */
export class PerItemContactUpdate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Per-item contact update',
		name: 'exotel',
		group: ['output'],
		version: 1,
		usableAsTool: true,
		description: 'One PUT /contacts/<sid> per item',
		defaults: { name: 'Per-item' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'exotelApi', required: true }],
		requestDefaults: { baseURL: EXOTEL_ACCOUNT_ROOT_EXPRESSION, json: true },
		properties: [
			{ displayName: 'Contact ID', name: 'contactId', type: 'string', default: '' },
			{
				displayName: 'Tag',
				name: 'tag',
				type: 'string',
				default: '',
				routing: {
					request: { method: 'PUT', url: '=/contacts/{{ $parameter.contactId }}' },
					send: { type: 'body', property: 'tag' },
				},
			},
		],
	};
}
