import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { MAX_CSV_BYTES, MAX_DYNAMIC_CONTACTS, MAX_STATIC_CONTACTS, contactCsvLine, contactsCsvFromLines } from '../../helpers/csv';
import type { CsvContactRow } from '../../helpers/csv';
import { errorOutput } from '../../helpers/errors';
import { itemValueReader } from '../../helpers/itemValues';
import { textContent } from '../../helpers/multipart';
import { checkEmail, normalizePhoneNumber } from '../../helpers/validation';
import { sendCsv } from './sendCsv';
import { readSettings } from './uploadSettings';

/** The columns users map with source "Input Items": parameter name, label, CSV column. */
export const COLUMN_PARAMETERS: Array<{ name: string; displayName: string; column: keyof CsvContactRow }> = [
	{ name: 'columnNumber', displayName: 'Phone Number', column: 'number' },
	{ name: 'columnFirstName', displayName: 'First Name', column: 'first_name' },
	{ name: 'columnLastName', displayName: 'Last Name', column: 'last_name' },
	{ name: 'columnCompanyName', displayName: 'Company Name', column: 'company_name' },
	{ name: 'columnEmail', displayName: 'Email', column: 'email' },
	{ name: 'columnTag', displayName: 'Tag', column: 'tag' },
];

const MB = 1024 * 1024;

/** A mapped value as CSV text: nothing for null/undefined, JSON for objects. */
function cellText(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value).trim();
}

type RowReader = (itemIndex: number) => CsvContactRow;

/**
 * Reads each item's row: mapped fields straight from the item; the number normalized (with Options →
 * Default Country Code, numbers without + become E.164) and the email checked.
 */
function rowReader(context: IExecuteFunctions): RowReader {
	const node = context.getNode();
	const columns = COLUMN_PARAMETERS.map(({ name, column }) => ({ column, read: itemValueReader(context, name) }));
	const readCountryCode = itemValueReader(context, 'options.defaultCountryCode');
	return (itemIndex) => {
		const row = {} as CsvContactRow;
		let number: unknown;
		for (const { column, read } of columns) {
			const value = read(itemIndex);
			row[column] = cellText(value);
			// The number as the item holds it: a JSON number is judged as a number, not as its text.
			if (column === 'number') number = value;
		}
		const countryCode = cellText(readCountryCode(itemIndex));
		row.number = normalizePhoneNumber(node, itemIndex, 'Phone Number', number, countryCode || undefined);
		if (row.email) row.email = checkEmail(node, itemIndex, 'Email', row.email);
		return row;
	};
}

/**
 * Source "Input Items": all input items as one CSV, uploaded once. Items with a bad number or email
 * are errors of their own (with continue on fail, the others are still uploaded); the upload's output
 * item is paired with every item in the CSV.
 */
export async function uploadItems(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = context.getNode();
	const itemCount = context.getInputData().length;
	const entries: Array<{ position: number; item: INodeExecutionData }> = [];
	// Each item's row is kept as its CSV line only: 100,000 row objects would cost more than the CSV.
	const lines: string[] = [];
	const included: number[] = [];
	const readRow = rowReader(context);

	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			lines.push(contactCsvLine(readRow(itemIndex)));
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
			if (lines.length > limit) {
				throw new NodeOperationError(node, `${lines.length} contacts are more than a ${settings.type} list takes (${limit})`, {
					itemIndex: first,
					description: 'Split the items (e.g. with Loop Over Items) into several uploads.',
				});
			}
			const csv = textContent(contactsCsvFromLines(lines));
			lines.length = 0;
			if (csv.size > MAX_CSV_BYTES) {
				throw new NodeOperationError(node, `The CSV of ${included.length} contacts is ${(csv.size / MB).toFixed(1)} MB; Exotel takes up to 60 MB`, {
					itemIndex: first,
					description: 'Split the items (e.g. with Loop Over Items) into several uploads.',
				});
			}
			const json = await sendCsv(context, first, settings, { filename: 'contacts.csv', ...csv });
			entries.push({ position: first, item: { json, pairedItem } });
		} catch (error) {
			entries.push({ position: first, item: errorOutput(context, error, first, pairedItem) });
		}
	}

	entries.sort((a, b) => a.position - b.position);
	return [entries.map((entry) => entry.item)];
}
