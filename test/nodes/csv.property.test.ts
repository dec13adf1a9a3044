import fc from 'fast-check';

import { CSV_COLUMNS, contactsCsv, csvHeaderColumns, escapeCsvCell } from '../../nodes/Exotel/helpers/csv';
import type { CsvContactRow } from '../../nodes/Exotel/helpers/csv';

/**
 * An RFC 4180 reader written for this test, independent of the node's: records end at CRLF (or LF)
 * outside quotes; a quoted field runs to the next lone `"`, `""` inside it being one quote. A final
 * line end does not start another record.
 */
function readCsv(text: string): string[][] {
	const records: string[][] = [];
	let record: string[] = [];
	let field = '';
	let i = 0;
	const endField = () => {
		record.push(field);
		field = '';
	};
	while (i < text.length) {
		if (field === '' && text[i] === '"') {
			i++;
			for (;;) {
				if (i >= text.length) throw new Error('unterminated quoted field');
				if (text[i] === '"') {
					if (text[i + 1] === '"') {
						field += '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				field += text[i++];
			}
			if (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') throw new Error(`text after a closing quote at ${i}`);
			continue;
		}
		const char = text[i];
		if (char === ',') {
			endField();
			i++;
		} else if (char === '\r' && text[i + 1] === '\n') {
			endField();
			records.push(record);
			record = [];
			i += 2;
		} else if (char === '\n') {
			endField();
			records.push(record);
			record = [];
			i++;
		} else if (char === '"' || char === '\r') {
			throw new Error(`bare ${JSON.stringify(char)} in an unquoted field at ${i}`);
		} else {
			field += char;
			i++;
		}
	}
	if (field !== '' || record.length) {
		endField();
		records.push(record);
	}
	return records;
}

/** Cell text that tries to break CSV: separators, quotes, line ends, formula starts, unicode. */
const hostileText = fc.oneof(
	fc.string({ unit: fc.constantFrom(',', '"', '\r', '\n', '=', '+', '-', '@', '\t', ' ', 'a', 'Z', '9', "'", 'é', '😀') }),
	fc.string({ unit: 'grapheme' }),
	fc.string(),
);

const contactRow: fc.Arbitrary<CsvContactRow> = fc
	.tuple(...CSV_COLUMNS.map(() => hostileText))
	.map((cells) => Object.fromEntries(CSV_COLUMNS.map((column, index) => [column, cells[index]])) as CsvContactRow);

describe('CSV writer: properties', () => {
	it('round trip: any rows, written and read back by an RFC 4180 reader, are the rows as typed', () => {
		fc.assert(
			fc.property(fc.array(contactRow, { maxLength: 8 }), (rows) => {
				const text = contactsCsv(rows);
				expect(text.endsWith('\r\n')).toBe(true);
				const [header, ...records] = readCsv(text);
				expect(header).toEqual([...CSV_COLUMNS]);
				expect(records).toEqual(rows.map((row) => CSV_COLUMNS.map((column) => row[column])));
			}),
			{ numRuns: 300 },
		);
	});

	it('a cell is written as typed: unquoted exactly when it has no comma, quote, CR or LF', () => {
		fc.assert(
			fc.property(hostileText, (value) => {
				const cell = escapeCsvCell(value);
				if (/[",\r\n]/.test(value)) expect(cell).toBe(`"${value.replace(/"/g, '""')}"`);
				else expect(cell).toBe(value);
			}),
			{ numRuns: 1000 },
		);
	});

	it('the header reader gives back any written header row: trimmed, lower-cased, empty cells left out', () => {
		const name = hostileText.filter((text) => !text.startsWith('\uFEFF'));
		fc.assert(
			fc.property(fc.array(name, { maxLength: 10 }), fc.boolean(), (names, trailingComma) => {
				const line = names.map(escapeCsvCell).join(',') + (trailingComma ? ',' : '');
				const expected = names.map((text) => text.trim().toLowerCase()).filter((text) => text !== '');
				expect(csvHeaderColumns(Buffer.from(`${line}\r\nx,y\r\n`, 'utf8'))).toEqual(expected);
			}),
			{ numRuns: 1000 },
		);
	});
});
