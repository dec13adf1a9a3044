/**
 * Streaming multipart/form-data parser (RFC 7578 / RFC 2046), Buffer based, no dependencies.
 * Chunks can split delimiters, headers or CRLFs anywhere; binary part content is passed through untouched.
 */

export class MultipartError extends Error {}

export interface PartInfo {
	name: string;
	filename?: string;
	contentType?: string;
	headers: Record<string, string>;
}

export interface PartHandlers {
	onPartBegin(part: PartInfo): void;
	onPartData(chunk: Buffer): void;
	onPartEnd(): void;
}

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;
const MAX_HEADER_BYTES = 16 * 1024;
const EMPTY = Buffer.alloc(0);
const HEADER_END = Buffer.from('\r\n\r\n');

/** Returns the boundary of a `multipart/form-data` Content-Type, or undefined when absent or not form-data. */
export function boundaryFromContentType(contentType: string | undefined): string | undefined {
	if (!contentType) return undefined;
	const [mediaType, ...rest] = contentType.split(';');
	if (mediaType.trim().toLowerCase() !== 'multipart/form-data') return undefined;
	const params = parseParams(';' + rest.join(';'));
	const boundary = params.boundary;
	if (!boundary || boundary.length > 70) return undefined;
	return boundary;
}

/** Parses `; a=b; c="d; e"` parameter lists; keys lower-cased; RFC 5987 `key*` values decoded and preferred. */
export function parseParams(input: string): Record<string, string> {
	const out: Record<string, string> = {};
	const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	let m: RegExpExecArray | null;
	const extended: Record<string, string> = {};
	while ((m = re.exec(input)) !== null) {
		const key = m[1].toLowerCase();
		const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3].trim();
		if (key.endsWith('*')) {
			const ext = /^([^']*)'[^']*'(.*)$/.exec(value);
			try {
				extended[key.slice(0, -1)] = ext ? decodeURIComponent(ext[2]) : value;
			} catch {
				extended[key.slice(0, -1)] = value;
			}
		} else {
			out[key] = value;
		}
	}
	return { ...out, ...extended };
}

type State = 'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'done';

export class MultipartParser {
	private readonly delimiter: Buffer;
	// A virtual CRLF lets the first boundary (which has no leading CRLF) match the same delimiter as the others.
	private buf: Buffer = Buffer.from('\r\n');
	private state: State = 'preamble';

	constructor(
		boundary: string,
		private readonly handlers: PartHandlers,
	) {
		this.delimiter = Buffer.from('\r\n--' + boundary, 'latin1');
	}

	get finished(): boolean {
		return this.state === 'done';
	}

	write(chunk: Buffer): void {
		if (this.state === 'done') return; // epilogue is ignored
		this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
		this.process();
	}

	end(): void {
		if (this.state !== 'done') throw new MultipartError('unexpected end of multipart body (no closing boundary)');
	}

	private process(): void {
		const delim = this.delimiter;
		for (;;) {
			switch (this.state) {
				case 'preamble': {
					const i = this.buf.indexOf(delim);
					if (i < 0) {
						this.keepTail(delim.length - 1);
						return;
					}
					this.buf = this.buf.subarray(i + delim.length);
					this.state = 'afterDelimiter';
					break;
				}
				case 'afterDelimiter': {
					const b = this.buf;
					if (b.length < 2) return;
					if (b[0] === DASH && b[1] === DASH) {
						this.state = 'done';
						this.buf = EMPTY;
						return;
					}
					// RFC 2046 allows linear whitespace ("transport padding") before the CRLF.
					let j = 0;
					while (j < b.length && (b[j] === 0x20 || b[j] === 0x09)) j++;
					if (j > 1024) throw new MultipartError('malformed boundary line');
					if (b.length < j + 2) return;
					if (b[j] !== CR || b[j + 1] !== LF) throw new MultipartError('malformed boundary line');
					this.buf = b.subarray(j + 2);
					this.state = 'headers';
					break;
				}
				case 'headers': {
					const b = this.buf;
					if (b.length < 2) return;
					let headerText: string;
					if (b[0] === CR && b[1] === LF) {
						headerText = ''; // part without headers
						this.buf = b.subarray(2);
					} else {
						const i = b.indexOf(HEADER_END);
						if (i < 0) {
							if (b.length > MAX_HEADER_BYTES) throw new MultipartError('part headers too large');
							return;
						}
						headerText = b.subarray(0, i).toString('utf8');
						this.buf = b.subarray(i + 4);
					}
					this.handlers.onPartBegin(parsePartHeaders(headerText));
					this.state = 'body';
					break;
				}
				case 'body': {
					const i = this.buf.indexOf(delim);
					if (i < 0) {
						// Everything except a possible partial delimiter at the end is safe to hand over.
						const keep = delim.length - 1;
						if (this.buf.length > keep) {
							this.handlers.onPartData(this.buf.subarray(0, this.buf.length - keep));
							this.buf = this.buf.subarray(this.buf.length - keep);
						}
						return;
					}
					if (i > 0) this.handlers.onPartData(this.buf.subarray(0, i));
					this.handlers.onPartEnd();
					this.buf = this.buf.subarray(i + delim.length);
					this.state = 'afterDelimiter';
					break;
				}
				case 'done':
					this.buf = EMPTY;
					return;
			}
		}
	}

	private keepTail(n: number): void {
		if (this.buf.length > n) this.buf = this.buf.subarray(this.buf.length - n);
	}
}

function parsePartHeaders(text: string): PartInfo {
	const headers: Record<string, string> = {};
	for (const line of text.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	const disposition = headers['content-disposition'];
	if (!disposition) throw new MultipartError('part without Content-Disposition');
	const [type, ...rest] = disposition.split(';');
	if (type.trim().toLowerCase() !== 'form-data') throw new MultipartError('part disposition is not form-data');
	const params = parseParams(';' + rest.join(';'));
	if (params.name === undefined) throw new MultipartError('part without a name');
	return {
		name: params.name,
		filename: params.filename,
		contentType: headers['content-type'],
		headers,
	};
}

export interface CollectedFile {
	name: string;
	filename?: string;
	contentType?: string;
	size: number;
	/** Absent when the file went over the size limit. */
	content?: Buffer;
}

export interface CollectedForm {
	fields: Record<string, string>;
	/** Every text field in body order, repeated names kept (fields keeps the last of each). */
	pairs: Array<[string, string]>;
	files: CollectedFile[];
	/** A file part went over maxFileBytes, or a text field over maxFieldBytes. */
	tooLarge: boolean;
}

/**
 * Feeds a body into MultipartParser and gathers text fields (parts without filename) and files
 * (parts with one). Over-limit content is counted but not kept, so the body can still be drained.
 */
export class MultipartCollector {
	private readonly parser: MultipartParser;
	private readonly form: CollectedForm = { fields: {}, pairs: [], files: [] as CollectedFile[], tooLarge: false };
	private current: { info: PartInfo; chunks: Buffer[]; size: number; over: boolean } | undefined;
	private error: MultipartError | undefined;

	constructor(
		boundary: string,
		private readonly maxFileBytes: number,
		private readonly maxFieldBytes = 1024 * 1024,
	) {
		this.parser = new MultipartParser(boundary, {
			onPartBegin: (info) => {
				this.current = { info, chunks: [], size: 0, over: false };
			},
			onPartData: (chunk) => {
				const cur = this.current;
				if (!cur) return;
				cur.size += chunk.length;
				const limit = cur.info.filename !== undefined ? this.maxFileBytes : this.maxFieldBytes;
				if (cur.size > limit) {
					cur.over = true;
					cur.chunks = [];
					this.form.tooLarge = true;
				}
				if (!cur.over) cur.chunks.push(chunk);
			},
			onPartEnd: () => {
				const cur = this.current;
				if (!cur) return;
				this.current = undefined;
				if (cur.info.filename !== undefined) {
					this.form.files.push({
						name: cur.info.name,
						filename: cur.info.filename,
						contentType: cur.info.contentType,
						size: cur.size,
						content: cur.over ? undefined : Buffer.concat(cur.chunks),
					});
				} else if (!cur.over) {
					const value = Buffer.concat(cur.chunks).toString('utf8');
					this.form.fields[cur.info.name] = value;
					this.form.pairs.push([cur.info.name, value]);
				}
			},
		});
	}

	write(chunk: Buffer): void {
		if (this.error) return; // keep draining after an error
		try {
			this.parser.write(chunk);
		} catch (e) {
			this.error = e instanceof MultipartError ? e : new MultipartError(String(e));
		}
	}

	/** Throws MultipartError when the body was malformed or truncated. */
	finish(): CollectedForm {
		if (this.error) throw this.error;
		this.parser.end();
		return this.form;
	}
}
