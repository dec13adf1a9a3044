import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { defaultCountryCodeOption } from '../../helpers/fields';
import { COLUMN_PARAMETERS, uploadItems } from './csvFromItems';
import { pollOptionFields } from './status';
import { uploadFiles } from './uploadFiles';

const forUpload = { resource: ['csvUpload'], operation: ['upload'] };
const showOnlyForUpload = { show: forUpload };
const showForBinary = { show: { ...forUpload, source: ['binary'] } };
const showForItems = { show: { ...forUpload, source: ['items'] } };

/**
 * Version 1.1 made waiting a top-level toggle with its interval and max wait under it; version 1 had
 * all three in Options, where the interval and timeout showed whether or not the node waited. Each
 * version shows (and so keeps, and reads) its own; see uploadSettings.ts.
 */
const SINCE_1_1 = [{ _cnd: { gte: 1.1 } }];
const showWaitToggle = { show: { ...forUpload, '@version': SINCE_1_1 } };
const showWhileWaiting = { show: { ...forUpload, waitForCompletion: [true], '@version': SINCE_1_1 } };
const onlyVersion1 = { show: { '@version': [1] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Exotel imports the contacts in the background: up to 100,000 in a static list or 500,000 in a dynamic one, from a file of up to 60 MB',
		name: 'uploadNotice',
		type: 'notice',
		default: '',
		displayOptions: showOnlyForUpload,
	},
	{
		displayName: 'List Name',
		name: 'listName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Callback campaign May',
		description:
			'The list to put the contacts in. Exotel creates it when no list has this name, and adds to it when one does.',
		displayOptions: showOnlyForUpload,
	},
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'CSV File (Binary)',
				value: 'binary',
				description: 'Each input item carries a CSV file, e.g. from Read Binary File, Google Drive or an email; one upload per item',
			},
			{
				name: 'Input Items',
				value: 'items',
				description: 'All input items become the rows of one CSV, e.g. contacts from a CRM; one upload in all',
			},
		],
		default: 'binary',
		description: 'Where the contacts come from',
		displayOptions: showOnlyForUpload,
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'Columns: number (required, E.164 such as +919876543210), first_name, last_name, company_name, email, tag',
		description:
			'The input binary field holding the CSV file. Its first row names the columns; a dynamic list also takes up to 5 columns of your own. The file is sent as it is; the node checks its header row and size first.',
		displayOptions: showForBinary,
	},
	{
		displayName:
			'Each input item becomes one row. The fields below start as the input fields of the same name; to map a CRM export, drag its fields in instead (e.g. {{ $json.phone }} into Phone Number). Leave a field empty to leave that column empty.',
		name: 'itemsNotice',
		type: 'notice',
		default: '',
		displayOptions: showForItems,
	},
	...COLUMN_PARAMETERS.map(
		({ name, displayName, column }): INodeProperties => ({
			displayName,
			name,
			type: 'string',
			default: `={{ $json.${column} }}`,
			required: column === 'number',
			description:
				column === 'number'
					? 'With its country code (+919876543210 or 919876543210), national (9876543210), or a landline with its STD code. Spaces, dashes, dots and brackets are removed; an item without a valid number is an error. See Options → Default Country Code.'
					: `The ${column} column for each item`,
			displayOptions: showForItems,
		}),
	),
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until Exotel has imported the contacts and output the final status and counts. Off, the node outputs as soon as Exotel has received the file, with status in-progress: check the import later with CSV Upload → Get Status or Wait for Completion.',
		displayOptions: showWaitToggle,
	},
	...pollOptionFields.map((field): INodeProperties => ({ ...field, displayOptions: showWhileWaiting })),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyForUpload,
		options: [
			{ ...defaultCountryCodeOption, displayOptions: { show: { '/source': ['items'] } } },
			{
				displayName: 'List Type',
				name: 'type',
				type: 'options',
				options: [
					{
						name: 'Dynamic',
						value: 'dynamic',
						description:
							'Up to 500,000 contacts, and up to 5 columns of your own (e.g. plan, due date) to personalise calls and SMS. Those columns come only from a CSV file: Input Items send the six contact columns.',
					},
					{ name: 'Static', value: 'static', description: 'Up to 100,000 contacts, only the six contact columns' },
				],
				default: 'static',
			},
			{
				displayName: 'Wait for Completion',
				name: 'waitForCompletion',
				type: 'boolean',
				default: false,
				description:
					'Whether to wait until Exotel has imported the file and output its final status and counts, instead of returning as soon as Exotel has received it',
				displayOptions: onlyVersion1,
			},
			...pollOptionFields.map(
				(field): INodeProperties => ({
					...field,
					description: `${field.description} Only used with Wait for Completion.`,
					displayOptions: onlyVersion1,
				}),
			),
		],
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const source = this.getNodeParameter('source', 0, 'binary') as string;
	return source === 'items' ? await uploadItems(this) : await uploadFiles(this);
}
