/**
 * CSV for Exotel's contact upload: writing (RFC 4180) and reading the header row of a file the user
 * supplies, from its first bytes only. Values are written exactly as typed: the file goes to Exotel's
 * importer, not to a spreadsheet, and a contact sent as JSON is stored as typed too.
 */

/** The columns Exotel reads from a contacts CSV, in the order this node writes them. */
export const CSV_COLUMNS = ['number', 'first_name', 'last_name', 'company_name', 'email', 'tag'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export type CsvContactRow = Record<CsvColumn, string>;

/** Exotel's limits for one upload. */
export const MAX_CSV_BYTES = 60 * 1024 * 1024;
export const MAX_STATIC_CONTACTS = 100_000;
export const MAX_DYNAMIC_CONTACTS = 500_000;
/** Variable columns (beyond the six contact columns) a dynamic list may have. */
export const MAX_DYNAMIC_VARIABLES = 5;

/** How much of a file is read to find its header row. */
export const CSV_HEAD_BYTES = 64 * 1024;

const NEEDS_QUOTES = /[",\r\n]/;
const CRLF = '\r\n';

/** One cell as RFC 4180 wants it: quoted when it holds a comma, a quote, CR or LF, quotes doubled. */
export function escapeCsvCell(value: string): string {
	return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One contact as a CSV line (no line end). */
export function contactCsvLine(row: CsvContactRow): string {
	return CSV_COLUMNS.map((column) => escapeCsvCell(row[column] ?? '')).join(',');
}

/**
 * A contacts CSV from its lines: the header row, then one line per contact (contactCsvLine), CRLF line
 * ends (no BOM: Exotel would read it as part of the first column's name). Text, so that the multipart
 * body encodes it as UTF-8 straight into place.
 */
export function contactsCsvFromLines(lines: string[]): string {
	return `${CSV_COLUMNS.join(',')}${CRLF}${lines.length ? lines.join(CRLF) + CRLF : ''}`;
}

/** A contacts CSV from rows (see contactsCsvFromLines). */
export function contactsCsv(rows: CsvContactRow[]): string {
	return contactsCsvFromLines(rows.map(contactCsvLine));
}

/**
 * The column names of a CSV's header row, trimmed and lower-cased, from the file's first bytes (a
 * UTF-8 byte order mark is skipped). Quoted names are read per RFC 4180. Empty cells are left out:
 * Excel writes one for every trailing comma, and a column without a name holds nothing to import.
 * When `head` ends before the header row does, what is there is returned: the caller decides whether
 * `head` was the whole file.
 */
export function csvHeaderColumns(head: Buffer): string[] {
	let text = head.toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	const columns: string[] = [];
	let cell = '';
	let quoted = false;
	let i = 0;
	while (i < text.length) {
		const char = text[i];
		if (quoted) {
			if (char === '"') {
				if (text[i + 1] === '"') {
					cell += '"';
					i += 2;
					continue;
				}
				quoted = false;
			} else {
				cell += char;
			}
			i++;
			continue;
		}
		if (char === '"' && cell.trim() === '') {
			quoted = true;
			cell = '';
		} else if (char === ',') {
			columns.push(cell);
			cell = '';
		} else if (char === '\r' || char === '\n') {
			break;
		} else {
			cell += char;
		}
		i++;
	}
	columns.push(cell);
	return columns.map((column) => column.trim().toLowerCase()).filter((column) => column !== '');
}
