/* eslint-disable @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/** Reading request bodies (JSON, text, multipart) and the form they take in the request log. */
import type * as http from 'node:http';
import { MultipartCollector, boundaryFromContentType, type CollectedFile } from './multipart';

const MAX_RAW_BODY_BYTES = 64 * 1024 * 1024;

export interface LoggedFile {
	name: string;
	filename?: string;
	contentType?: string;
	size: number;
	content?: Buffer;
}

export interface LoggedMultipart {
	fields: Record<string, string>;
	files: LoggedFile[];
}

export type ParsedBody =
	| { kind: 'empty' }
	| { kind: 'json'; value: unknown }
	| { kind: 'invalid-json'; raw: string }
	| { kind: 'text'; raw: string }
	| { kind: 'multipart'; fields: Record<string, string>; pairs: Array<[string, string]>; files: CollectedFile[]; tooLarge: boolean }
	| { kind: 'malformed-multipart'; reason: string }
	| { kind: 'too-large' };

export function isJsonContentType(ct: string): boolean {
	return /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(ct);
}

/** Reads the whole body; multipart file parts larger than maxFileBytes are cut and flagged tooLarge. */
export function readBody(req: http.IncomingMessage, maxFileBytes: number): Promise<{ parsed: ParsedBody; bytes: number }> {
	return new Promise((resolve) => {
		const ct = req.headers['content-type'] ?? '';
		const boundary = boundaryFromContentType(ct);
		let bytes = 0;
		let done = false;
		const finish = (parsed: () => ParsedBody) => {
			if (done) return;
			done = true;
			resolve({ parsed: parsed(), bytes });
		};
		req.on('error', () => finish(() => ({ kind: 'empty' })));
		if (boundary) {
			const collector = new MultipartCollector(boundary, maxFileBytes);
			req.on('data', (chunk: Buffer) => {
				bytes += chunk.length;
				collector.write(chunk);
			});
			req.on('end', () =>
				finish(() => {
					try {
						return { kind: 'multipart', ...collector.finish() };
					} catch (e) {
						return { kind: 'malformed-multipart', reason: e instanceof Error ? e.message : String(e) };
					}
				}),
			);
			return;
		}
		const chunks: Buffer[] = [];
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			bytes += chunk.length;
			if (bytes > MAX_RAW_BODY_BYTES) {
				tooLarge = true;
				chunks.length = 0;
			}
			if (!tooLarge) chunks.push(chunk);
		});
		req.on('end', () =>
			finish(() => {
				if (tooLarge) return { kind: 'too-large' };
				if (bytes === 0) return { kind: 'empty' };
				const raw = Buffer.concat(chunks).toString('utf8');
				if (isJsonContentType(ct)) {
					try {
						return { kind: 'json', value: JSON.parse(raw) as unknown };
					} catch {
						return { kind: 'invalid-json', raw };
					}
				}
				return { kind: 'text', raw };
			}),
		);
	});
}

/** The body as the request log keeps it; logBodies=false keeps only multipart field values and sizes. */
export function loggableBody(parsed: ParsedBody, logBodies: boolean): unknown {
	switch (parsed.kind) {
		case 'empty':
		case 'too-large':
			return undefined;
		case 'json':
			return logBodies ? parsed.value : undefined;
		case 'invalid-json':
		case 'text':
			return logBodies ? parsed.raw : undefined;
		case 'malformed-multipart':
			return undefined;
		case 'multipart': {
			const body: LoggedMultipart = {
				fields: { ...parsed.fields },
				files: parsed.files.map((f) => ({
					name: f.name,
					filename: f.filename,
					contentType: f.contentType,
					size: f.size,
					...(logBodies && f.content ? { content: f.content } : {}),
				})),
			};
			return body;
		}
	}
}
