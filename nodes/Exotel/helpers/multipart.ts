import { randomBytes } from 'node:crypto';

/**
 * multipart/form-data (RFC 7578) built by hand with Buffer.concat, so the node has no runtime
 * dependency: the only copy of a file it makes is the one inside the finished body.
 */

export interface MultipartField {
	name: string;
	text: string;
}

export interface MultipartFile {
	name: string;
	filename: string;
	contentType: string;
	content: Buffer;
}

export type MultipartPart = MultipartField | MultipartFile;

export interface MultipartBody {
	body: Buffer;
	/** `multipart/form-data; boundary=…`, to send as the request's Content-Type. */
	contentType: string;
}

const CRLF = '\r\n';

/** A name or file name inside a quoted header parameter, escaped as browsers do (WHATWG). */
function quoteParam(value: string): string {
	return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function isFile(part: MultipartPart): part is MultipartFile {
	return 'content' in part;
}

function newBoundary(): string {
	return `----n8nExotelBoundary${randomBytes(16).toString('hex')}`;
}

/**
 * The body and Content-Type for `parts`, in order. File contents are referenced, not copied, until
 * the single Buffer.concat that makes the body. The boundary is random and checked against the file
 * contents, so no part can end early.
 */
export function buildMultipart(parts: MultipartPart[]): MultipartBody {
	let boundary = newBoundary();
	while (parts.some((part) => isFile(part) && part.content.includes(boundary))) boundary = newBoundary();

	const chunks: Buffer[] = [];
	for (const part of parts) {
		let head = `--${boundary}${CRLF}Content-Disposition: form-data; name="${quoteParam(part.name)}"`;
		if (isFile(part)) {
			head += `; filename="${quoteParam(part.filename)}"${CRLF}Content-Type: ${part.contentType}`;
		}
		chunks.push(Buffer.from(`${head}${CRLF}${CRLF}`, 'utf8'));
		chunks.push(isFile(part) ? part.content : Buffer.from(part.text, 'utf8'));
		chunks.push(Buffer.from(CRLF, 'utf8'));
	}
	chunks.push(Buffer.from(`--${boundary}--${CRLF}`, 'utf8'));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
