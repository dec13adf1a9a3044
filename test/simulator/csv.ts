/** CSV (RFC 4180) parsing for the simulator's uploads. */

export class CsvError extends Error {}

/**
 * Calls onRow for each record (blank lines skipped). Quoted fields, "" escapes, embedded commas and
 * newlines, CRLF/LF/CR line ends and a UTF-8 BOM are handled. Return false from onRow to stop.
 */
export function parseCsv(text: string, onRow: (fields: string[]) => boolean | void): void {
	parseCsvFrom(text, 0, onRow, Infinity);
}

/**
 * Resumable form of parseCsv: parses at most maxRows records starting at offset `start`
 * and returns the offset to resume from, or -1 when the text is exhausted (or onRow returned false).
 */
export function parseCsvFrom(text: string, start: number, onRow: (fields: string[]) => boolean | void, maxRows: number): number {
	const n = text.length;
	let i = start === 0 && n > 0 && text.charCodeAt(0) === 0xfeff ? 1 : start;
	let emitted = 0;
	while (i < n) {
		if (emitted >= maxRows) return i;
		const row: string[] = [];
		let anyQuoted = false;
		for (;;) {
			let value: string;
			if (text.charCodeAt(i) === 0x22) {
				anyQuoted = true;
				i++;
				value = '';
				for (;;) {
					const q = text.indexOf('"', i);
					if (q < 0) throw new CsvError('unterminated quoted field');
					value += text.slice(i, q);
					if (text.charCodeAt(q + 1) === 0x22) {
						value += '"';
						i = q + 2;
					} else {
						i = q + 1;
						break;
					}
				}
			} else {
				let j = i;
				while (j < n) {
					const c = text.charCodeAt(j);
					if (c === 0x2c || c === 0x0d || c === 0x0a) break;
					j++;
				}
				value = text.slice(i, j);
				i = j;
			}
			row.push(value);
			const c = i < n ? text.charCodeAt(i) : -1;
			if (c === 0x2c) {
				i++;
				continue;
			}
			if (c === 0x0d) {
				i++;
				if (text.charCodeAt(i) === 0x0a) i++;
			} else if (c === 0x0a) {
				i++;
			} else if (c !== -1) {
				throw new CsvError(`unexpected character after a closing quote at offset ${i}`);
			}
			break;
		}
		if (row.length === 1 && row[0] === '' && !anyQuoted) continue;
		emitted++;
		if (onRow(row) === false) return -1;
	}
	return -1;
}
