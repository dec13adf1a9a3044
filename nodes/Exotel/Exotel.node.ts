import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { EXOTEL_ACCOUNT_ROOT_EXPRESSION } from '../../credentials/ExotelApi.credentials';
import { routedSender } from './helpers/routing';
import { operationSubtitle } from './helpers/subtitle';
import { searchCampaigns } from './methods/campaignSearch';
import { searchExoPhones } from './methods/exoPhoneSearch';
import { searchLists } from './methods/listSearch';
import * as call from './resources/call';
import * as campaign from './resources/campaign';
import * as contact from './resources/contact';
import * as csvUpload from './resources/csvUpload';
import * as exoPhone from './resources/exoPhone';
import * as list from './resources/list';
import * as listContact from './resources/listContact';
import * as number from './resources/number';
import * as sms from './resources/sms';

/** Resource, then each resource's operations and fields (the subtitle's names come from here too). */
const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Call', value: 'call' },
			{ name: 'Campaign', value: 'campaign' },
			{ name: 'Contact', value: 'contact' },
			{ name: 'CSV Upload', value: 'csvUpload' },
			{ name: 'ExoPhone', value: 'exoPhone' },
			{ name: 'List', value: 'list' },
			{ name: 'List Contact', value: 'listContact' },
			{ name: 'Number', value: 'number' },
			{ name: 'SMS', value: 'sms' },
		],
		default: 'contact',
	},
	...contact.description,
	...list.description,
	...listContact.description,
	...csvUpload.description,
	...campaign.description,
	...call.description,
	...sms.description,
	...number.description,
	...exoPhone.description,
];

export class Exotel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Exotel',
		name: 'exotel',
		icon: { light: 'file:exotel.svg', dark: 'file:exotel.dark.svg' },
		group: ['output'],
		// 1.1: CSV Upload's Wait for Completion is a toggle with its interval and max wait under it.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: operationSubtitle(properties),
		description:
			'Call, text and run calling campaigns with Exotel: click-to-call, calls into flows, call history, SMS with DLT, number lookups, ExoPhones, contacts, lists, CSV uploads and campaigns',
		defaults: { name: 'Exotel' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'exotelApi', required: true }],
		requestDefaults: {
			baseURL: EXOTEL_ACCOUNT_ROOT_EXPRESSION,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		},
		// Every routed operation sets `send.paginate`, which hands its request to this sender.
		requestOperations: { pagination: routedSender() },
		// A copy per instance: n8n's loader appends Request Options to the array it is given.
		properties: [...properties],
	};

	// Operations that see all input items at once (bulk writes, CSV uploads, SMS), campaign operations,
	// whose bodies, paging (100 a page) and answers do not fit routing's per-item request, and the v1 API
	// (calls, SMS, numbers, ExoPhones), whose form bodies, answers and cursor pages are not v2's.
	customOperations = {
		contact: { create: contact.create.execute, update: contact.update.execute },
		list: { create: list.create.execute, update: list.update.execute },
		listContact: { add: listContact.add.execute },
		csvUpload: csvUpload.customOperations,
		campaign: campaign.customOperations,
		call: call.customOperations,
		sms: sms.customOperations,
		number: number.customOperations,
		exoPhone: exoPhone.customOperations,
	};

	methods = { listSearch: { searchLists, searchCampaigns, searchExoPhones } };
}
