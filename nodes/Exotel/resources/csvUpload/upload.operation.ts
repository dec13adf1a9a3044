import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import {
	CSV_COLUMNS,
	CSV_HEAD_BYTES,
	MAX_CSV_BYTES,
	MAX_DYNAMIC_CONTACTS,
	MAX_DYNAMIC_VARIABLES,
	MAX_STATIC_CONTACTS,
	contactsCsv,
	csvHeaderColumns,
} from '../../helpers/csv';
import type { CsvContactRow } from '../../helpers/csv';
import { envelopeRecords } from '../../helpers/envelope';
import { itemValueReader } from '../../helpers/itemValues';
import { errorOutput } from '../../helpers/errors';
import { buildMultipart } from '../../helpers/multipart';
import { checkEmail, inputError, normalizePhoneNumber } from '../../helpers/validation';
import { exotelRequest } from '../../transport';
import {
	IN_PROGRESS,
	normalizeStatus,
	pollOptionFields,
	readPollOptions,
	uploadIdFrom,
	waitForUpload,
} from './status';
import type { PollOptions } from './status';

const showOnlyForUpload = { show: { resource: ['csvUpload'], operation: ['upload'] } };
const showForBinary = { show: { ...showOnlyForUpload.show, source: ['binary'] } };
const showForItems = { show: { ...showOnlyForUpload.show, source: ['items'] } };

/** The columns users map in `items` mode: parameter name, label, CSV column. */
const COLUMN_PARAMETERS: Array<{ name: string; displayName: string; column: keyof CsvContactRow }> = [
	{ name: 'columnNumber', displayName: 'Phone Number', column: 'number' },
	{ name: 'columnFirstName', displayName: 'First Name', column: 'first_name' },
	{ name: 'columnLastName', displayName: 'Last Name', column: 'last_name' },
	{ name: 'columnCompanyName', displayName: 'Company Name', column: 'company_name' },
	{ name: 'columnEmail', displayName: 'Email', column: 'email' },
	{ name: 'columnTag', displayName: 'Tag', column: 'tag' },
];

const MB = 1024 * 1024;

export const description: INodeProperties[] = [
	{
		displayName:
			"Exotel imports the file in the background: at most 100,000 contacts in a static list (500,000 in a dynamic one), files up to 60 MB, and only the columns number (mandatory, E.164 such as +919876543210), first_name, last_name, company_name, email and tag. Turn on Options → Wait for Completion to get the final counts.",
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
		hint: 'The name of the input binary field containing the CSV file',
		description:
			'The CSV needs a header row with a "number" column. It is sent as it is; the node only checks its header row and size before sending.',
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
					? 'E.164 (+ and country code, e.g. +919876543210) or a landline with its STD code. Spaces, dashes, dots and brackets are removed; an item without a valid number is an error.'
					: `The ${column} column for each item`,
			displayOptions: showForItems,
		}),
	),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyForUpload,
		options: [
			{
				displayName: 'List Type',
				name: 'type',
				type: 'options',
				options: [
					{
						name: 'Dynamic',
						value: 'dynamic',
						description: 'Up to 500,000 contacts and up to 5 extra columns used to personalise calls and SMS',
					},
					{ name: 'Static', value: 'static', description: 'Up to 100,000 contacts, only the six contact columns' },
				],
				default: 'static',
			},
			...pollOptionFields.map((field) => ({
				...field,
				description: `${field.description} Only used with Wait for Completion.`,
			})),
			{
				displayName: 'Wait for Completion',
				name: 'waitForCompletion',
				type: 'boolean',
				default: false,
				description:
					'Whether to wait until Exotel has imported the file and output its final status and counts, instead of returning as soon as Exotel has received it',
			},
		],
	},
];

interface UploadSettings {
	listName: string;
	type: 'static' | 'dynamic';
	/** Set when the node waits for Exotel to finish. */
	wait?: PollOptions;
}

function readSettings(context: IExecuteFunctions, itemIndex: number): UploadSettings {
	const node = context.getNode();
	const listName = String(context.getNodeParameter('listName', itemIndex, '') ?? '').trim();
	if (!listName) throw inputError(node, itemIndex, 'List Name', 'is empty', 'Give the name of the list to upload the contacts into.');
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const type = String(options.type ?? 'static');
	if (type !== 'static' && type !== 'dynamic') {
		throw inputError(node, itemIndex, 'List Type', `"${type}" is not static or dynamic`);
	}
	return {
		listName,
		type,
		wait: options.waitForCompletion === true ? readPollOptions(context, itemIndex) : undefined,
	};
}

/** Sends one CSV; returns Exotel's `{ list, summary }`, waiting for the final status when asked. */
async function sendCsv(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: UploadSettings,
	file: { content: Buffer; fileName: string },
): Promise<IDataObject> {
	const { body, contentType } = buildMultipart([
		{ name: 'list_name', text: settings.listName },
		{ name: 'type', text: settings.type },
		{ name: 'file_name', filename: file.fileName, contentType: 'text/csv', content: file.content },
	]);
	const envelope = await exotelRequest(context, {
		method: 'POST',
		url: '/contacts/csv-upload',
		body,
		headers: { 'Content-Type': contentType },
		itemIndex,
	});
	const [data] = envelopeRecords(envelope);
	const summary = data?.summary as IDataObject | undefined;
	if (!summary || typeof summary !== 'object') {
		throw new NodeApiError(context.getNode(), envelope as unknown as JsonObject, {
			message: `Item ${itemIndex + 1}: Exotel accepted the upload but its answer has no summary`,
			description: 'Check the list in Exotel before uploading again.',
			itemIndex,
		});
	}
	const result: IDataObject = { list: (data.list ?? null) as IDataObject | null, summary: normalizeStatus(summary) };
	if (!settings.wait) return result;

	const uploadSummary = result.summary as IDataObject;
	const uploadId = uploadIdFrom(context, itemIndex, uploadSummary.upload_id ?? uploadSummary.url);
	const status = await waitForUpload(context, uploadId, itemIndex, settings.wait, uploadSummary.status !== IN_PROGRESS);
	// The status is a later reading of the same upload (same fields): it replaces the summary's values.
	return { ...result, summary: { ...uploadSummary, ...status } };
}

// ----- source: binary ---------------------------------------------------------------------------

interface InspectedFile {
	binary: IBinaryData;
	fileName: string;
	size: number;
}

function fileError(itemIndex: number, fileName: string, problem: string) {
	return `Item ${itemIndex + 1}: the file "${fileName}" ${problem}`;
}

/** The size of base64 data once decoded. */
function decodedSize(base64: string): number {
	const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
	return Math.floor((base64.length * 3) / 4) - padding;
}

/** The first bytes of a binary, without reading (or decoding) the rest. */
async function readHead(context: IExecuteFunctions, binary: IBinaryData): Promise<Buffer> {
	if (binary.id) {
		const stream = await context.helpers.getBinaryStream(binary.id, CSV_HEAD_BYTES);
		try {
			for await (const chunk of stream) return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
			return Buffer.alloc(0);
		} finally {
			stream.destroy();
		}
	}
	return Buffer.from(binary.data.slice(0, Math.ceil(CSV_HEAD_BYTES / 3) * 4), 'base64');
}

/** Checks an item's CSV file before anything is sent: present, not empty, at most 60 MB, a usable header. */
async function inspectFile(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: UploadSettings,
): Promise<InspectedFile> {
	const node = context.getNode();
	const propertyName = String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	let binary: IBinaryData;
	try {
		binary = context.helpers.assertBinaryData(itemIndex, propertyName);
	} catch {
		const available = Object.keys(context.getInputData()[itemIndex]?.binary ?? {});
		throw new NodeOperationError(node, `Item ${itemIndex + 1}: there is no binary field "${propertyName}"`, {
			itemIndex,
			description: available.length
				? `The item's binary fields are: ${available.join(', ')}. Set Input Binary Field to the one holding the CSV file.`
				: 'The item has no binary data. Read the CSV file first (e.g. Read/Write Files from Disk, Google Drive, HTTP Request), or set Source to Input Items to build the CSV from the items themselves.',
		});
	}
	const fileName = binary.fileName || 'contacts.csv';
	const size = binary.id ? (await context.helpers.getBinaryMetadata(binary.id)).fileSize : decodedSize(binary.data ?? '');
	if (!size) {
		throw new NodeOperationError(node, fileError(itemIndex, fileName, 'is empty'), {
			itemIndex,
			description: 'Exotel needs a header row with a "number" column and at least one contact.',
		});
	}
	if (size > MAX_CSV_BYTES) {
		throw new NodeOperationError(
			node,
			fileError(itemIndex, fileName, `is ${(size / MB).toFixed(1)} MB (${size} bytes); Exotel takes CSV files up to 60 MB (${MAX_CSV_BYTES} bytes)`),
			{ itemIndex, description: 'Split the file into smaller files and upload each of them into the same list.' },
		);
	}
	const columns = csvHeaderColumns(await readHead(context, binary));
	if (!columns.includes('number')) {
		throw new NodeOperationError(node, fileError(itemIndex, fileName, 'has no "number" column in its header row'), {
			itemIndex,
			description: `The first row must name the columns, one of them "number" (E.164 phone numbers). The first row here is: ${columns
				.filter(Boolean)
				.slice(0, 10)
				.join(', ') || '(empty)'}. Rename the phone column to "number", or use Source → Input Items to map the fields.`,
		});
	}
	const extra = columns.filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column));
	if (settings.type === 'static' && extra.length) {
		throw new NodeOperationError(
			node,
			fileError(itemIndex, fileName, `has columns a static list does not take: ${extra.join(', ')}`),
			{
				itemIndex,
				description: `A static list takes only ${CSV_COLUMNS.join(', ')}. Remove or rename the other columns, or set Options → List Type to Dynamic (up to ${MAX_DYNAMIC_VARIABLES} extra columns).`,
			},
		);
	}
	if (settings.type === 'dynamic' && extra.length > MAX_DYNAMIC_VARIABLES) {
		throw new NodeOperationError(
			node,
			fileError(itemIndex, fileName, `has ${extra.length} extra columns; a dynamic list takes at most ${MAX_DYNAMIC_VARIABLES}`),
			{ itemIndex, description: `The extra columns are: ${extra.join(', ')}.` },
		);
	}
	return { binary, fileName, size };
}

/**
 * One upload per input item. Every item's file is checked first (nothing is sent when one is bad and
 * the node stops on errors); a file is then read once and copied once, into the request body.
 */
async function uploadFiles(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const itemCount = context.getInputData().length;
	const output: INodeExecutionData[] = new Array(itemCount);
	const plans: Array<{ settings: UploadSettings; file: InspectedFile } | undefined> = new Array(itemCount);

	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			const settings = readSettings(context, itemIndex);
			plans[itemIndex] = { settings, file: await inspectFile(context, itemIndex, settings) };
		} catch (error) {
			output[itemIndex] = errorOutput(context, error, itemIndex);
		}
	}

	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const plan = plans[itemIndex];
		if (!plan) continue;
		plans[itemIndex] = undefined;
		try {
			const content = await context.helpers.getBinaryDataBuffer(itemIndex, plan.file.binary);
			if (content.length === 0 || content.length > MAX_CSV_BYTES) {
				throw new NodeOperationError(
					context.getNode(),
					fileError(itemIndex, plan.file.fileName, `is ${content.length} bytes; Exotel takes 1 byte to 60 MB`),
					{ itemIndex },
				);
			}
			const json = await sendCsv(context, itemIndex, plan.settings, { content, fileName: plan.file.fileName });
			output[itemIndex] = { json, pairedItem: { item: itemIndex } };
		} catch (error) {
			output[itemIndex] = errorOutput(context, error, itemIndex);
		}
	}
	return [output];
}

// ----- source: items ----------------------------------------------------------------------------

/** A mapped value as CSV text: nothing for null/undefined, JSON for objects. */
function cellText(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value).trim();
}

type RowReader = (itemIndex: number) => CsvContactRow;

/** Reads each item's row: mapped fields straight from the item, checked number and email. */
function rowReader(context: IExecuteFunctions): RowReader {
	const node = context.getNode();
	const columns = COLUMN_PARAMETERS.map(({ name, column }) => ({ column, read: itemValueReader(context, name) }));
	return (itemIndex) => {
		const row = {} as CsvContactRow;
		for (const { column, read } of columns) row[column] = cellText(read(itemIndex));
		row.number = normalizePhoneNumber(node, itemIndex, 'Phone Number', row.number);
		if (row.email) row.email = checkEmail(node, itemIndex, 'Email', row.email);
		return row;
	};
}

/**
 * All input items as one CSV, uploaded once. Items with a bad number or email are errors of their own
 * (with continue on fail, the others are still uploaded); the upload's output item is paired with
 * every item in the CSV.
 */
async function uploadItems(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = context.getNode();
	const itemCount = context.getInputData().length;
	const entries: Array<{ position: number; item: INodeExecutionData }> = [];
	const rows: CsvContactRow[] = [];
	const included: number[] = [];
	const readRow = rowReader(context);

	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			rows.push(readRow(itemIndex));
			included.push(itemIndex);
		} catch (error) {
			entries.push({ position: itemIndex, item: errorOutput(context, error, itemIndex) });
		}
	}

	if (included.length) {
		const first = included[0];
		const pairedItem = included.map((item) => ({ item }));
		try {
			const settings = readSettings(context, first);
			const limit = settings.type === 'static' ? MAX_STATIC_CONTACTS : MAX_DYNAMIC_CONTACTS;
			if (rows.length > limit) {
				throw new NodeOperationError(node, `${rows.length} contacts are more than a ${settings.type} list takes (${limit})`, {
					itemIndex: first,
					description: 'Split the items (e.g. with Loop Over Items) into several uploads.',
				});
			}
			const content = contactsCsv(rows);
			rows.length = 0;
			if (content.length > MAX_CSV_BYTES) {
				throw new NodeOperationError(node, `The CSV of ${included.length} contacts is ${(content.length / MB).toFixed(1)} MB; Exotel takes up to 60 MB`, {
					itemIndex: first,
					description: 'Split the items (e.g. with Loop Over Items) into several uploads.',
				});
			}
			const json = await sendCsv(context, first, settings, { content, fileName: 'contacts.csv' });
			entries.push({ position: first, item: { json, pairedItem } });
		} catch (error) {
			entries.push({ position: first, item: errorOutput(context, error, first, pairedItem) });
		}
	}

	entries.sort((a, b) => a.position - b.position);
	return [entries.map((entry) => entry.item)];
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const source = this.getNodeParameter('source', 0, 'binary') as string;
	return source === 'items' ? await uploadItems(this) : await uploadFiles(this);
}
