import { randomBytes } from 'node:crypto';

/**
 * multipart/form-data (RFC 7578) built by hand, so the node has no runtime dependency. The body is
 * one Buffer of the exact size, allocated once; each file is written straight into its place in it
 * (decoded from base64, read from a stream, or encoded from text), so the body is the only copy of a
 * file the node makes.
 */

export interface MultipartField {
	name: string;
	text: string;
}

/** Writes a file's bytes into `target` (exactly `size` bytes long) and returns how many it wrote. */
export type FileWriter = (target: Buffer) => number | Promise<number>;

export interface MultipartFile {
	name: string;
	filename: string;
	contentType: string;
	/** The file's size in bytes, known before it is read. */
	size: number;
	write: FileWriter;
}

export type MultipartPart = MultipartField | MultipartFile;

export interface MultipartBody {
	body: Buffer;
	/** `multipart/form-data; boundary=…`, to send as the request's Content-Type. */
	contentType: string;
}

/** A file part's content from a Buffer already in memory (one copy, into the body). */
export function bufferContent(content: Buffer): Pick<MultipartFile, 'size' | 'write'> {
	return { size: content.length, write: (target) => content.copy(target) };
}

/** A file part's content from text, encoded as UTF-8 straight into the body. */
export function textContent(text: string): Pick<MultipartFile, 'size' | 'write'> {
	return { size: Buffer.byteLength(text, 'utf8'), write: (target) => target.write(text, 0, 'utf8') };
}

const CRLF = '\r\n';
/** `----n8nExotelBoundary` and 32 hex digits: every boundary has the same length. */
const BOUNDARY_PREFIX = '----n8nExotelBoundary';

/** A name or file name inside a quoted header parameter, escaped as browsers do (WHATWG). */
function quoteParam(value: string): string {
	return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function isFile(part: MultipartPart): part is MultipartFile {
	return 'write' in part;
}

function newBoundary(): string {
	return `${BOUNDARY_PREFIX}${randomBytes(16).toString('hex')}`;
}

function partHead(boundary: string, part: MultipartPart): string {
	let head = `--${boundary}${CRLF}Content-Disposition: form-data; name="${quoteParam(part.name)}"`;
	if (isFile(part)) head += `; filename="${quoteParam(part.filename)}"${CRLF}Content-Type: ${part.contentType}`;
	return `${head}${CRLF}${CRLF}`;
}

interface Slot {
	part: MultipartPart;
	headAt: number;
	contentAt: number;
	contentSize: number;
}

/** Where each part's head and content go, and the body's size; the same for any boundary. */
function layout(parts: MultipartPart[], boundary: string): { slots: Slot[]; footerAt: number; size: number } {
	const footerSize = Buffer.byteLength(`--${boundary}--${CRLF}`);
	let offset = 0;
	const slots = parts.map((part) => {
		const headAt = offset;
		const contentAt = headAt + Buffer.byteLength(partHead(boundary, part), 'utf8');
		const contentSize = isFile(part) ? part.size : Buffer.byteLength(part.text, 'utf8');
		offset = contentAt + contentSize + CRLF.length;
		return { part, headAt, contentAt, contentSize };
	});
	return { slots, footerAt: offset, size: offset + footerSize };
}

/** Heads, field values, line ends and the closing line: everything but the files' bytes. */
function writeFrame(body: Buffer, slots: Slot[], footerAt: number, boundary: string) {
	for (const { part, headAt, contentAt, contentSize } of slots) {
		body.write(partHead(boundary, part), headAt, 'utf8');
		if (!isFile(part)) body.write(part.text, contentAt, 'utf8');
		body.write(CRLF, contentAt + contentSize, 'utf8');
	}
	body.write(`--${boundary}--${CRLF}`, footerAt, 'utf8');
}

/**
 * The body and Content-Type for `parts`, in order. Each file writes its `size` bytes into its place
 * (a different count is an error: the body's size was fixed by it). The boundary is random and
 * checked against the files' bytes once they are in; in the unlikely case one holds it, the frame is
 * rewritten with another boundary of the same length, in the same places.
 */
export async function buildMultipart(parts: MultipartPart[]): Promise<MultipartBody> {
	let boundary = newBoundary();
	const { slots, footerAt, size } = layout(parts, boundary);
	const body = Buffer.allocUnsafe(size);
	writeFrame(body, slots, footerAt, boundary);

	const files = slots.filter((slot) => isFile(slot.part));
	for (const { part, contentAt, contentSize } of files) {
		const written = await (part as MultipartFile).write(body.subarray(contentAt, contentAt + contentSize));
		if (written !== contentSize) {
			throw new Error(`The file "${(part as MultipartFile).filename}" gave ${written} bytes where ${contentSize} were expected`);
		}
	}

	const holdsBoundary = (candidate: string) =>
		files.some(({ contentAt, contentSize }) => body.subarray(contentAt, contentAt + contentSize).includes(candidate));
	if (holdsBoundary(boundary)) {
		do boundary = newBoundary();
		while (holdsBoundary(boundary));
		writeFrame(body, slots, footerAt, boundary);
	}
	return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
