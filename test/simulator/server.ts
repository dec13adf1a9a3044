/**
 * In-memory simulator of Exotel's Campaign API v2 (contacts, lists, list membership, CSV uploads).
 * Behaviour follows Exotel's API pages and the notes on where they are wrong (shared/exotel-api/NOTES.md).
 * Plain node:http, all state in Maps/arrays, fault injection for client resilience tests.
 */
import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { MultipartCollector, boundaryFromContentType, type CollectedFile } from './multipart';

// ---------------------------------------------------------------------------------------------
// Public types

export interface SimulatorOptions {
	apiKey?: string;
	apiToken?: string;
	accountSid?: string;
	port?: number;
	/** Delay before an upload goes from in-progress to its terminal status. */
	csvProcessingMs?: number;
	/** Added to every response. */
	latencyMs?: number;
	/** false keeps only sizes in the request log (benchmarks with big uploads). */
	logBodies?: boolean;
}

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

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON for JSON requests, LoggedMultipart for multipart, raw string otherwise, undefined when empty. */
	body: unknown;
	bodyBytes: number;
	/** 0 while unanswered and for dropped requests. */
	status: number;
}

export interface FaultMatch {
	method?: string;
	/** Matched against the path after /v2/accounts/<sid> (e.g. '/contacts'): string = exact, RegExp = test(). */
	path?: string | RegExp;
}

export type Fault =
	| { kind: 'status'; status: number; retryAfter?: number; body?: 'envelope' | 'v1' | 'html'; match?: FaultMatch; times?: number }
	| { kind: 'drop'; match?: FaultMatch; times?: number }
	| { kind: 'latency'; ms: number; match?: FaultMatch; times?: number };

export interface ContactRecord {
	sid: string;
	date_created: string;
	date_updated: string;
	account_sid: string;
	number: string;
	first_name: string | null;
	last_name: string | null;
	company_name: string | null;
	email: string | null;
	tag: string | null;
	custom_field: Record<string, unknown> | null;
	uri: string;
}

export interface ListRecord {
	sid: string;
	date_created: string;
	date_updated: string;
	account_sid: string;
	name: string;
	uri: string;
	tag: string | null;
	contact_count: number;
}

/** Membership data as Exotel returns it: `sid` is the contact sid. */
export interface MembershipRecord {
	sid: string;
	date_created: string;
	date_updated: string;
	account_sid: string;
	list_id: string;
	uri: string;
}

export interface UploadStats {
	duplicate: number | null;
	total: number | null;
	success: number | null;
	failed: number | null;
}

export interface UploadRecord {
	upload_id: string;
	list_sid: string;
	url: string;
	accountSid: string;
	date_created: string;
	date_updated: string;
	status: string;
	stats: UploadStats;
	type: 'static' | 'dynamic';
	list_name: string;
	file_name: string | null;
	file_size: number;
	rows: number;
}

export interface SimulatorState {
	contacts: Map<string, ContactRecord>;
	lists: Map<string, ListRecord>;
	uploads: Map<string, UploadRecord>;
	/** list sid → (contact sid → membership), insertion ordered. */
	members: Map<string, Map<string, MembershipRecord>>;
}

export interface SimulatorCredentials {
	apiKey: string;
	apiToken: string;
	accountSid: string;
	region: 'custom';
	baseUrl: string;
}

// ---------------------------------------------------------------------------------------------
// Constants and helpers

export const MAX_BULK_ITEMS = 5000;
export const MAX_CSV_FILE_BYTES = 60 * 1024 * 1024;
const MAX_RAW_BODY_BYTES = 64 * 1024 * 1024;
const CONTACT_PAGE_CAP = 20;
const LIST_PAGE_CAP = 100;
const STATIC_ROW_LIMIT = 100_000;
const DYNAMIC_ROW_LIMIT = 500_000;
const MAX_DYNAMIC_VARIABLES = 5;
const CSV_COLUMNS = ['number', 'first_name', 'last_name', 'company_name', 'email', 'tag'] as const;
const CONTACT_STRING_FIELDS = ['first_name', 'last_name', 'company_name', 'email', 'tag'] as const;

const NUMBER_RE = /^(?:\+[1-9]\d{7,14}|0\d{7,14})$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const ERROR_MESSAGES: Record<number, string> = {
	1000: 'Not found',
	1001: 'Mandatory parameter missing',
	1002: 'Invalid parameter',
	1003: 'Authorization failed',
	1007: 'Invalid request body',
	1008: 'Duplicate resource',
	1010: 'Authentication failed',
	1011: 'Unsupported content type',
	1100: 'Internal error',
};

export function newSid(): string {
	return randomUUID().replace(/-/g, '');
}

export function isValidNumber(n: unknown): n is string {
	return typeof n === 'string' && NUMBER_RE.test(n);
}

interface ErrorData {
	code: number;
	message: string;
	description: string;
}

interface Entry {
	code: number;
	status: 'success' | 'failure';
	error_data: ErrorData | null;
	data: unknown;
}

interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string;
}

type ParsedBody =
	| { kind: 'empty' }
	| { kind: 'json'; value: unknown }
	| { kind: 'invalid-json'; raw: string }
	| { kind: 'text'; raw: string }
	| { kind: 'multipart'; fields: Record<string, string>; files: CollectedFile[]; tooLarge: boolean }
	| { kind: 'malformed-multipart'; reason: string }
	| { kind: 'too-large' };

interface Ctx {
	method: string;
	segments: string[];
	query: URLSearchParams;
	contentType: string;
	body: ParsedBody;
}

class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: number,
		readonly description: string,
		readonly headers: Record<string, string> = {},
	) {
		super(description);
	}
}

function success(data: unknown): Entry {
	return { code: 200, status: 'success', error_data: null, data };
}

function failure(code: number, errorCode: number, description: string): Entry {
	return {
		code,
		status: 'failure',
		error_data: { code: errorCode, message: ERROR_MESSAGES[errorCode] ?? 'Error', description },
		data: null,
	};
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// toISOString is surprisingly costly in bulk imports; reuse the string within the same millisecond.
let lastMs = -1;
let lastIso = '';
function nowIso(): string {
	const ms = Date.now();
	if (ms !== lastMs) {
		lastMs = ms;
		lastIso = new Date(ms).toISOString();
	}
	return lastIso;
}

function isJsonContentType(ct: string): boolean {
	return /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(ct);
}

/** Null sorts after every string (like SQL NULLS LAST for ascending). */
function compareNullable(a: string | null, b: string | null): number {
	if (a === b) return 0;
	if (a === null) return 1;
	if (b === null) return -1;
	return a < b ? -1 : 1;
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180)

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

// ---------------------------------------------------------------------------------------------
// The simulator

interface PendingUpload {
	text: string;
	columns: string[];
	timer: NodeJS.Timeout;
	terminalStatus: string;
}

export class ExotelSimulator {
	readonly url: string;
	readonly credentials: SimulatorCredentials;
	readonly requests: LoggedRequest[] = [];
	readonly state: SimulatorState = {
		contacts: new Map(),
		lists: new Map(),
		uploads: new Map(),
		members: new Map(),
	};
	latencyMs: number;
	csvProcessingMs: number;
	/** The most requests that were open at the same time since start or reset (client politeness). */
	maxConcurrentRequests = 0;

	private openRequests = 0;
	private readonly apiKey: string;
	private readonly apiToken: string;
	private readonly accountSid: string;
	private readonly logBodies: boolean;
	private readonly sockets = new Set<Socket>();
	private readonly responseTimers = new Set<NodeJS.Timeout>();
	private readonly pendingUploads = new Map<string, PendingUpload>();
	private faults: Array<Fault & { remaining: number }> = [];
	private nextUploadStatus: string | undefined;
	/** contact sid → list sids, insertion ordered, for show_list and deletes. */
	private readonly contactLists = new Map<string, Set<string>>();
	/** list name → list sid (names are unique, case-sensitive). */
	private readonly listNames = new Map<string, string>();
	/** Sorted/filtered views, rebuilt only after a mutation, so paging stays O(page). */
	private contactViews = new Map<string, ContactRecord[]>();
	private listViews = new Map<string, ListRecord[]>();
	private seedCounter = 0;

	private constructor(
		private readonly server: http.Server,
		options: Required<SimulatorOptions>,
		port: number,
	) {
		this.apiKey = options.apiKey;
		this.apiToken = options.apiToken;
		this.accountSid = options.accountSid;
		this.logBodies = options.logBodies;
		this.latencyMs = options.latencyMs;
		this.csvProcessingMs = options.csvProcessingMs;
		this.url = `http://127.0.0.1:${port}`;
		this.credentials = {
			apiKey: this.apiKey,
			apiToken: this.apiToken,
			accountSid: this.accountSid,
			region: 'custom',
			baseUrl: this.url,
		};
	}

	static async start(options: SimulatorOptions = {}): Promise<ExotelSimulator> {
		const opts: Required<SimulatorOptions> = {
			apiKey: options.apiKey ?? 'sim-api-key',
			apiToken: options.apiToken ?? 'sim-api-token-s3cr3t',
			accountSid: options.accountSid ?? 'simaccount1',
			port: options.port ?? 0,
			csvProcessingMs: options.csvProcessingMs ?? 1000,
			latencyMs: options.latencyMs ?? 0,
			logBodies: options.logBodies ?? true,
		};
		// The handler needs the instance, which needs the port: bind late through a holder.
		let sim: ExotelSimulator | undefined;
		const server = http.createServer((req, res) => {
			if (sim) sim.handle(req, res);
			else res.destroy();
		});
		server.keepAliveTimeout = 5000;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(opts.port, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
		const port = (server.address() as AddressInfo).port;
		sim = new ExotelSimulator(server, opts, port);
		const s = sim;
		server.on('connection', (socket: Socket) => {
			s.sockets.add(socket);
			socket.on('close', () => s.sockets.delete(socket));
		});
		return sim;
	}

	// ----- test helpers ------------------------------------------------------------------------

	injectFault(fault: Fault): void {
		this.faults.push({ ...fault, remaining: fault.times ?? 1 });
	}

	failNextUpload(status = 'failed'): void {
		this.nextUploadStatus = status;
	}

	seedContacts(count: number, opts: { listSid?: string; numberPrefix?: string } = {}): ContactRecord[] {
		if (opts.listSid !== undefined && !this.state.lists.has(opts.listSid)) {
			throw new Error(`seedContacts: unknown list ${opts.listSid}`);
		}
		const prefix = opts.numberPrefix ?? '+9190';
		const out: ContactRecord[] = [];
		for (let k = 0; k < count; k++) {
			this.seedCounter++;
			const contact = this.createContact({ number: prefix + String(this.seedCounter).padStart(8, '0') });
			if (opts.listSid !== undefined) this.addMember(opts.listSid, contact.sid);
			out.push(contact);
		}
		return out;
	}

	seedList(name: string, tag?: string): ListRecord {
		if (this.listNames.has(name)) throw new Error(`seedList: list '${name}' already exists`);
		return this.createList(name, tag ?? null);
	}

	listMembers(listSid: string): string[] {
		return Array.from(this.state.members.get(listSid)?.keys() ?? []);
	}

	reset(): void {
		for (const p of this.pendingUploads.values()) clearTimeout(p.timer);
		this.pendingUploads.clear();
		this.state.contacts.clear();
		this.state.lists.clear();
		this.state.uploads.clear();
		this.state.members.clear();
		this.contactLists.clear();
		this.listNames.clear();
		this.faults = [];
		this.nextUploadStatus = undefined;
		this.requests.length = 0;
		this.maxConcurrentRequests = this.openRequests;
		this.invalidate();
	}

	async stop(): Promise<void> {
		for (const p of this.pendingUploads.values()) clearTimeout(p.timer);
		this.pendingUploads.clear();
		for (const t of this.responseTimers) clearTimeout(t);
		this.responseTimers.clear();
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		for (const s of this.sockets) s.destroy();
		this.sockets.clear();
		await closed;
	}

	// ----- request pipeline --------------------------------------------------------------------

	private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
		const method = (req.method ?? 'GET').toUpperCase();
		const url = new URL(req.url ?? '/', 'http://localhost');
		const query: Record<string, string> = {};
		for (const [k, v] of url.searchParams) query[k] = v;
		const log: LoggedRequest = {
			method,
			path: url.pathname,
			query,
			headers: { ...req.headers },
			body: undefined,
			bodyBytes: 0,
			status: 0,
		};
		this.requests.push(log);
		this.openRequests++;
		this.maxConcurrentRequests = Math.max(this.maxConcurrentRequests, this.openRequests);
		res.once('close', () => this.openRequests--);

		const fault = this.takeFault(method, this.relativePath(url.pathname));
		if (fault?.kind === 'drop') {
			req.socket.destroy();
			return;
		}

		void this.readBody(req).then(({ parsed, bytes }) => {
			log.bodyBytes = bytes;
			log.body = this.loggableBody(parsed);
			const delay = this.latencyMs + (fault?.kind === 'latency' ? fault.ms : 0);
			let reply: Reply;
			if (fault?.kind === 'status') {
				reply = this.faultReply(fault, method);
			} else {
				try {
					reply = this.dispatch(req, method, url, parsed);
				} catch (e) {
					reply =
						e instanceof HttpError
							? this.errorReply(method, e.status, e.code, e.description, e.headers)
							: this.errorReply(method, 500, 1100, e instanceof Error ? e.message : String(e));
				}
			}
			this.send(res, log, reply, delay);
		});
	}

	private relativePath(path: string): string {
		const m = /^\/v2\/accounts\/[^/]+(\/.*)?$/i.exec(path);
		return m ? (m[1] ?? '') : path;
	}

	private takeFault(method: string, relPath: string): Fault | undefined {
		const idx = this.faults.findIndex((f) => {
			const m = f.match;
			if (!m) return true;
			if (m.method && m.method.toUpperCase() !== method) return false;
			if (m.path !== undefined) {
				if (typeof m.path === 'string' ? m.path !== relPath : !m.path.test(relPath)) return false;
			}
			return true;
		});
		if (idx < 0) return undefined;
		const f = this.faults[idx];
		f.remaining--;
		if (f.remaining <= 0) this.faults.splice(idx, 1);
		return f;
	}

	private readBody(req: http.IncomingMessage): Promise<{ parsed: ParsedBody; bytes: number }> {
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
				const collector = new MultipartCollector(boundary, MAX_CSV_FILE_BYTES);
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

	private loggableBody(parsed: ParsedBody): unknown {
		switch (parsed.kind) {
			case 'empty':
			case 'too-large':
				return undefined;
			case 'json':
				return this.logBodies ? parsed.value : undefined;
			case 'invalid-json':
			case 'text':
				return this.logBodies ? parsed.raw : undefined;
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
						...(this.logBodies && f.content ? { content: f.content } : {}),
					})),
				};
				return body;
			}
		}
	}

	private send(res: http.ServerResponse, log: LoggedRequest, reply: Reply, delay: number): void {
		log.status = reply.status;
		const write = () => {
			if (res.destroyed || res.writableEnded) return;
			res.writeHead(reply.status, { 'Content-Length': Buffer.byteLength(reply.body), ...reply.headers });
			res.end(reply.body);
		};
		if (delay > 0) {
			const t = setTimeout(() => {
				this.responseTimers.delete(t);
				write();
			}, delay);
			this.responseTimers.add(t);
		} else {
			write();
		}
	}

	// ----- envelopes ---------------------------------------------------------------------------

	private envelope(method: string, httpCode: number, response: unknown, metadata?: Record<string, number>): Reply {
		const env: Record<string, unknown> = { request_id: newSid(), method, http_code: httpCode };
		if (metadata) env.metadata = metadata;
		env.response = response;
		return { status: httpCode, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(env) };
	}

	private errorReply(method: string, status: number, code: number, description: string, headers: Record<string, string> = {}): Reply {
		const reply = this.envelope(method, status, failure(status, code, description));
		Object.assign(reply.headers, headers);
		return reply;
	}

	private faultReply(fault: Extract<Fault, { kind: 'status' }>, method: string): Reply {
		const status = fault.status;
		const headers: Record<string, string> = {};
		if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
		const text = status === 429 ? 'Too many requests' : (http.STATUS_CODES[status] ?? 'Error');
		const kind = fault.body ?? 'envelope';
		if (kind === 'html') {
			const body = `<html><body><h1>${status} ${http.STATUS_CODES[status] ?? 'Error'}</h1></body></html>`;
			return { status, headers: { ...headers, 'Content-Type': 'text/html' }, body };
		}
		if (kind === 'v1') {
			const body = JSON.stringify({ RestException: { Status: status, Message: text } });
			return { status, headers: { ...headers, 'Content-Type': 'application/json' }, body };
		}
		let code: number;
		if (status === 429) code = 429;
		else if (status >= 500) code = 1100;
		else code = ({ 400: 1002, 401: 1010, 403: 1003, 404: 1000, 415: 1011 } as Record<number, number>)[status] ?? 1002;
		const reply = this.envelope(method, status, {
			code: status,
			status: 'failure',
			data: null,
			error_data: { code, message: status === 429 ? text : (ERROR_MESSAGES[code] ?? text), description: `Simulated ${status}` },
		});
		Object.assign(reply.headers, headers);
		return reply;
	}

	private bulkReply(method: string, entries: Entry[]): Reply {
		let ok = 0;
		for (const e of entries) if (e.status === 'success') ok++;
		return this.envelope(method, 207, entries, { total: entries.length, success: ok, failed: entries.length - ok });
	}

	private pageReply(method: string, all: readonly unknown[], offset: number, limit: number, map?: (item: unknown) => unknown): Reply {
		const page = all.slice(offset, offset + limit);
		const entries = page.map((item) => success(map ? map(item) : item));
		return this.envelope(method, 200, entries, { count: entries.length, offset, limit, total: all.length });
	}

	// ----- routing -----------------------------------------------------------------------------

	private dispatch(req: http.IncomingMessage, method: string, url: URL, body: ParsedBody): Reply {
		if (!this.authenticated(req.headers.authorization)) throw new HttpError(401, 1010, 'Invalid API key or token');
		const m = /^\/v2\/accounts\/([^/]+)(\/.*)?$/i.exec(url.pathname);
		if (!m) throw new HttpError(404, 1000, `No resource at ${url.pathname}`);
		if (decodeURIComponent(m[1]) !== this.accountSid) {
			throw new HttpError(403, 1003, 'The credentials are not valid for this account');
		}
		const segments = (m[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
		const ctx: Ctx = { method, segments, query: url.searchParams, contentType: req.headers['content-type'] ?? '', body };
		return this.route(ctx);
	}

	private authenticated(header: string | undefined): boolean {
		const m = header ? /^Basic\s+(\S+)\s*$/i.exec(header) : null;
		if (!m) return false;
		const decoded = Buffer.from(m[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon < 0) return false;
		return decoded.slice(0, colon) === this.apiKey && decoded.slice(colon + 1) === this.apiToken;
	}

	private route(ctx: Ctx): Reply {
		const s = ctx.segments;
		const allow = (...methods: string[]) => {
			if (!methods.includes(ctx.method)) {
				throw new HttpError(405, 1002, `Method ${ctx.method} not allowed here`, { Allow: methods.join(', ') });
			}
		};
		if (s[0] === 'contacts') {
			if (s.length === 1) {
				allow('GET', 'POST', 'PUT');
				if (ctx.method === 'GET') return this.getContacts(ctx);
				if (ctx.method === 'POST') return this.createContacts(ctx);
				return this.updateContactsBulk(ctx);
			}
			if (s.length === 2 && s[1] === 'csv-upload') {
				allow('POST');
				return this.csvUpload(ctx);
			}
			if (s.length === 2) {
				allow('GET', 'PUT', 'DELETE');
				if (ctx.method === 'GET') return this.envelope('GET', 200, success(this.requireContact(s[1])));
				if (ctx.method === 'PUT') return this.updateContact(ctx, s[1]);
				return this.deleteContact(s[1]);
			}
		}
		if (s[0] === 'lists') {
			if (s.length === 1) {
				allow('GET', 'POST', 'PUT');
				if (ctx.method === 'GET') return this.getLists(ctx);
				if (ctx.method === 'POST') return this.createLists(ctx);
				return this.updateListsBulk(ctx);
			}
			if (s.length === 2) {
				allow('GET', 'PUT', 'DELETE');
				if (ctx.method === 'GET') return this.envelope('GET', 200, success(this.requireList(s[1])));
				if (ctx.method === 'PUT') return this.updateList(ctx, s[1]);
				return this.deleteList(s[1]);
			}
			if (s.length === 3 && s[2] === 'contacts') {
				allow('GET', 'POST');
				if (ctx.method === 'GET') return this.getListContacts(ctx, s[1]);
				return this.addListContacts(ctx, s[1]);
			}
			if (s.length === 4 && s[2] === 'contacts') {
				allow('DELETE');
				return this.removeListContact(s[1], s[3]);
			}
		}
		if (s[0] === 'csv-status' && s.length === 2) {
			allow('GET');
			const up = this.state.uploads.get(s[1]);
			if (!up) throw new HttpError(404, 1000, `Upload ${s[1]} not found`);
			return this.envelope('GET', 200, success(uploadStatusData(up)));
		}
		throw new HttpError(404, 1000, `No resource at /${s.join('/')}`);
	}

	// ----- request parsing helpers -------------------------------------------------------------

	private jsonObject(ctx: Ctx): Record<string, unknown> {
		if (ctx.body.kind === 'too-large') throw new HttpError(413, 1002, 'Request body too large');
		if (!isJsonContentType(ctx.contentType)) {
			throw new HttpError(415, 1011, `Content-Type must be application/json, got '${ctx.contentType || 'none'}'`);
		}
		if (ctx.body.kind !== 'json' || !isObject(ctx.body.value)) throw new HttpError(400, 1007, 'Body must be a JSON object');
		return ctx.body.value;
	}

	private bulkArray(ctx: Ctx, key: string): unknown[] {
		const obj = this.jsonObject(ctx);
		const arr = obj[key];
		if (!Array.isArray(arr)) throw new HttpError(400, 1007, `Body must have a '${key}' array`);
		if (arr.length === 0) throw new HttpError(400, 1002, `'${key}' must not be empty`);
		if (arr.length > MAX_BULK_ITEMS) {
			throw new HttpError(400, 1002, `At most ${MAX_BULK_ITEMS} ${key} per request, got ${arr.length}`);
		}
		return arr;
	}

	private paging(ctx: Ctx, cap: number): { offset: number; limit: number } {
		const rawOffset = ctx.query.get('offset');
		const rawLimit = ctx.query.get('limit');
		let offset = 0;
		let limit = 20;
		if (rawOffset !== null && rawOffset !== '') {
			if (!/^\d+$/.test(rawOffset)) throw new HttpError(400, 1002, `Invalid offset '${rawOffset}'`);
			offset = Number(rawOffset);
		}
		if (rawLimit !== null && rawLimit !== '') {
			// limit=0 is rejected so a client can never page forever on empty pages.
			if (!/^\d+$/.test(rawLimit) || Number(rawLimit) === 0) throw new HttpError(400, 1002, `Invalid limit '${rawLimit}'`);
			limit = Math.min(Number(rawLimit), cap);
		}
		return { offset, limit };
	}

	private sortSpec(ctx: Ctx, fields: readonly string[]): { field: string; desc: boolean } {
		const raw = ctx.query.get('sort_by');
		if (raw === null || raw === '') return { field: 'date_created', desc: false };
		const [field, dir = 'asc', extra] = raw.split(':');
		if (!fields.includes(field) || !['asc', 'desc'].includes(dir.toLowerCase()) || extra !== undefined) {
			throw new HttpError(400, 1002, `Invalid sort_by '${raw}'; use one of ${fields.join(', ')} with :asc or :desc`);
		}
		return { field, desc: dir.toLowerCase() === 'desc' };
	}

	/**
	 * Validates contact fields. partial=false requires number. Returns the field values to set, or a failure entry.
	 */
	private contactFields(input: Record<string, unknown>, partial: boolean): Partial<ContactRecord> | Entry {
		const out: Partial<ContactRecord> = {};
		const num = input.number;
		if (num === undefined || num === null || num === '') {
			if (!partial) return failure(400, 1001, 'number is mandatory');
		} else if (!isValidNumber(num)) {
			return failure(400, 1002, `Invalid number '${String(num)}': use E.164 (+919XXXXXXXXX) or a landline with STD code (0XXXXXXXXXX)`);
		} else {
			out.number = num;
		}
		for (const f of CONTACT_STRING_FIELDS) {
			if (!(f in input)) continue;
			const v = input[f];
			if (v === null || v === '') {
				out[f] = null;
				continue;
			}
			if (typeof v !== 'string') return failure(400, 1002, `${f} must be a string`);
			if (f === 'email' && !EMAIL_RE.test(v)) return failure(400, 1002, `Invalid email '${v}'`);
			out[f] = v;
		}
		if ('custom_field' in input) {
			const cf = input.custom_field;
			if (cf !== null && !isObject(cf)) return failure(400, 1002, 'custom_field must be a JSON object');
			out.custom_field = cf;
		}
		return out;
	}

	// ----- contacts ----------------------------------------------------------------------------

	private createContact(fields: Partial<ContactRecord> & { number: string }): ContactRecord {
		const sid = newSid();
		const now = nowIso();
		const c: ContactRecord = {
			sid,
			date_created: now,
			date_updated: now,
			account_sid: this.accountSid,
			number: fields.number,
			first_name: fields.first_name ?? null,
			last_name: fields.last_name ?? null,
			company_name: fields.company_name ?? null,
			email: fields.email ?? null,
			tag: fields.tag ?? null,
			custom_field: fields.custom_field ?? null,
			uri: `/v2/accounts/${this.accountSid}/contacts/${sid}`,
		};
		this.state.contacts.set(sid, c);
		this.invalidate();
		return c;
	}

	private requireContact(sid: string): ContactRecord {
		const c = this.state.contacts.get(sid);
		if (!c) throw new HttpError(404, 1000, `Contact ${sid} not found`);
		return c;
	}

	private createContacts(ctx: Ctx): Reply {
		const items = this.bulkArray(ctx, 'contacts');
		const entries = items.map((item): Entry => {
			if (!isObject(item)) return failure(400, 1002, 'Each contact must be a JSON object');
			const fields = this.contactFields(item, false);
			if ('status' in fields) return fields as Entry;
			return success(this.createContact(fields as Partial<ContactRecord> & { number: string }));
		});
		return this.bulkReply('POST', entries);
	}

	private applyContactUpdate(c: ContactRecord, fields: Partial<ContactRecord>): void {
		Object.assign(c, fields, { date_updated: nowIso() });
		this.invalidate();
	}

	private updateContact(ctx: Ctx, sid: string): Reply {
		const c = this.requireContact(sid);
		const fields = this.contactFields(this.jsonObject(ctx), true);
		if ('status' in fields) {
			const e = fields as Entry;
			throw new HttpError(e.code, e.error_data?.code ?? 1002, e.error_data?.description ?? '');
		}
		this.applyContactUpdate(c, fields as Partial<ContactRecord>);
		return this.envelope('PUT', 200, success(c));
	}

	private updateContactsBulk(ctx: Ctx): Reply {
		const items = this.bulkArray(ctx, 'contacts');
		const entries = items.map((item): Entry => {
			if (!isObject(item)) return failure(400, 1002, 'Each contact must be a JSON object');
			if (typeof item.sid !== 'string' || item.sid === '') return failure(400, 1001, 'sid is mandatory');
			const c = this.state.contacts.get(item.sid);
			if (!c) return failure(404, 1000, `Contact ${item.sid} not found`);
			const fields = this.contactFields(item, true);
			if ('status' in fields) return fields as Entry;
			this.applyContactUpdate(c, fields as Partial<ContactRecord>);
			return success(c);
		});
		return this.bulkReply('PUT', entries);
	}

	private deleteContact(sid: string): Reply {
		const c = this.requireContact(sid);
		const snapshot = JSON.stringify(c); // data as it was, serialized before we touch it
		for (const listSid of this.contactLists.get(sid) ?? []) this.removeMember(listSid, sid);
		this.contactLists.delete(sid);
		this.state.contacts.delete(sid);
		this.invalidate();
		return this.envelope('DELETE', 200, success(JSON.parse(snapshot) as unknown));
	}

	private getContacts(ctx: Ctx): Reply {
		const { offset, limit } = this.paging(ctx, CONTACT_PAGE_CAP);
		const sort = this.sortSpec(ctx, ['date_created', 'number', 'first_name', 'last_name']);
		const listSids = (ctx.query.get('list_sids') ?? '')
			.split(',')
			.map((x) => x.trim())
			.filter(Boolean);
		const view = this.contactView(sort.field, sort.desc, listSids);
		const showList = ctx.query.get('filter') === 'show_list';
		return this.pageReply(
			'GET',
			view,
			offset,
			limit,
			showList
				? (item) => {
						const c = item as ContactRecord;
						const lists = Array.from(this.contactLists.get(c.sid) ?? []).map((ls) => ({
							sid: ls,
							name: this.state.lists.get(ls)?.name ?? null,
						}));
						return { ...c, lists };
					}
				: undefined,
		);
	}

	private contactView(field: string, desc: boolean, listSids: string[]): ContactRecord[] {
		const key = `${field}:${desc ? 'desc' : 'asc'}|${listSids.join(',')}`;
		const cached = this.contactViews.get(key);
		if (cached) return cached;
		let view = Array.from(this.state.contacts.values()); // insertion order == date_created order
		if (listSids.length) {
			const wanted = new Set<string>();
			for (const ls of listSids) for (const cs of this.state.members.get(ls)?.keys() ?? []) wanted.add(cs);
			view = view.filter((c) => wanted.has(c.sid));
		}
		if (field === 'date_created') {
			if (desc) view.reverse();
		} else {
			const f = field as 'number' | 'first_name' | 'last_name';
			view.sort((a, b) => (desc ? -1 : 1) * compareNullable(a[f], b[f]));
		}
		this.contactViews.set(key, view);
		return view;
	}

	// ----- lists -------------------------------------------------------------------------------

	private createList(name: string, tag: string | null): ListRecord {
		const sid = newSid();
		const now = nowIso();
		const l: ListRecord = {
			sid,
			date_created: now,
			date_updated: now,
			account_sid: this.accountSid,
			name,
			uri: `/v2/accounts/${this.accountSid}/lists/${sid}`,
			tag,
			contact_count: 0,
		};
		this.state.lists.set(sid, l);
		this.state.members.set(sid, new Map());
		this.listNames.set(name, sid);
		this.invalidate();
		return l;
	}

	private requireList(sid: string): ListRecord {
		const l = this.state.lists.get(sid);
		if (!l) throw new HttpError(404, 1000, `List ${sid} not found`);
		return l;
	}

	private listFields(item: Record<string, unknown>, needName: boolean): { name?: string; tag?: string | null } | Entry {
		const out: { name?: string; tag?: string | null } = {};
		if (item.name === undefined || item.name === null || item.name === '') {
			if (needName) return failure(400, 1001, 'name is mandatory');
		} else if (typeof item.name !== 'string') {
			return failure(400, 1002, 'name must be a string');
		} else {
			out.name = item.name;
		}
		if ('tag' in item) {
			if (item.tag !== null && typeof item.tag !== 'string') return failure(400, 1002, 'tag must be a string');
			out.tag = item.tag === '' ? null : item.tag;
		}
		return out;
	}

	private duplicateName(name: string): Entry {
		return failure(409, 1008, `A list named '${name}' already exists`);
	}

	/** Renames/retags a list, or returns a failure entry; shared by the single and bulk PUT. */
	private applyListUpdate(l: ListRecord, item: Record<string, unknown>): Entry {
		const fields = this.listFields(item, false);
		if ('status' in fields) return fields as Entry;
		const { name, tag } = fields as { name?: string; tag?: string | null };
		if (name !== undefined && name !== l.name) {
			if (this.listNames.has(name)) return this.duplicateName(name);
			this.listNames.delete(l.name);
			this.listNames.set(name, l.sid);
			l.name = name;
		}
		if (tag !== undefined) l.tag = tag;
		l.date_updated = nowIso();
		this.invalidate();
		return success(l);
	}

	private createLists(ctx: Ctx): Reply {
		const items = this.bulkArray(ctx, 'lists');
		const entries = items.map((item): Entry => {
			if (!isObject(item)) return failure(400, 1002, 'Each list must be a JSON object');
			const fields = this.listFields(item, true);
			if ('status' in fields) return fields as Entry;
			const { name, tag } = fields as { name: string; tag?: string | null };
			if (this.listNames.has(name)) return this.duplicateName(name);
			return success(this.createList(name, tag ?? null));
		});
		return this.bulkReply('POST', entries);
	}

	private updateListsBulk(ctx: Ctx): Reply {
		const items = this.bulkArray(ctx, 'lists');
		const entries = items.map((item): Entry => {
			if (!isObject(item)) return failure(400, 1002, 'Each list must be a JSON object');
			if (typeof item.sid !== 'string' || item.sid === '') return failure(400, 1001, 'sid is mandatory');
			const l = this.state.lists.get(item.sid);
			if (!l) return failure(404, 1000, `List ${item.sid} not found`);
			return this.applyListUpdate(l, item);
		});
		return this.bulkReply('PUT', entries);
	}

	private updateList(ctx: Ctx, sid: string): Reply {
		const l = this.requireList(sid);
		const e = this.applyListUpdate(l, this.jsonObject(ctx));
		if (e.status === 'failure') throw new HttpError(e.code, e.error_data?.code ?? 1002, e.error_data?.description ?? '');
		return this.envelope('PUT', 200, e);
	}

	private deleteList(sid: string): Reply {
		const l = this.requireList(sid);
		const snapshot = JSON.parse(JSON.stringify(l)) as unknown;
		for (const cs of this.state.members.get(sid)?.keys() ?? []) this.contactLists.get(cs)?.delete(sid);
		this.state.members.delete(sid);
		this.state.lists.delete(sid);
		this.listNames.delete(l.name);
		this.invalidate();
		return this.envelope('DELETE', 200, success(snapshot));
	}

	private getLists(ctx: Ctx): Reply {
		const { offset, limit } = this.paging(ctx, LIST_PAGE_CAP);
		const sort = this.sortSpec(ctx, ['date_created', 'name']);
		const name = (ctx.query.get('name') ?? '').toLowerCase();
		const key = `${sort.field}:${sort.desc}|${name}`;
		let view = this.listViews.get(key);
		if (!view) {
			view = Array.from(this.state.lists.values());
			if (name) view = view.filter((l) => l.name.toLowerCase().includes(name));
			if (sort.field === 'name') view.sort((a, b) => (sort.desc ? -1 : 1) * compareNullable(a.name, b.name));
			else if (sort.desc) view.reverse();
			this.listViews.set(key, view);
		}
		return this.pageReply('GET', view, offset, limit);
	}

	// ----- membership --------------------------------------------------------------------------

	/** Returns the membership, or undefined when the contact already is a member. */
	private addMember(listSid: string, contactSid: string): MembershipRecord | undefined {
		const members = this.state.members.get(listSid);
		const list = this.state.lists.get(listSid);
		if (!members || !list) throw new Error(`unknown list ${listSid}`);
		if (members.has(contactSid)) return undefined;
		const now = nowIso();
		const m: MembershipRecord = {
			sid: contactSid,
			date_created: now,
			date_updated: now,
			account_sid: this.accountSid,
			list_id: listSid,
			uri: `/v2/accounts/${this.accountSid}/contacts/${contactSid}`,
		};
		members.set(contactSid, m);
		let sets = this.contactLists.get(contactSid);
		if (!sets) this.contactLists.set(contactSid, (sets = new Set()));
		sets.add(listSid);
		list.contact_count = members.size;
		this.invalidate();
		return m;
	}

	private removeMember(listSid: string, contactSid: string): MembershipRecord | undefined {
		const members = this.state.members.get(listSid);
		const m = members?.get(contactSid);
		if (!members || !m) return undefined;
		members.delete(contactSid);
		this.contactLists.get(contactSid)?.delete(listSid);
		const list = this.state.lists.get(listSid);
		if (list) list.contact_count = members.size;
		this.invalidate();
		return m;
	}

	private addListContacts(ctx: Ctx, listSid: string): Reply {
		this.requireList(listSid);
		const items = this.bulkArray(ctx, 'contact_references');
		const entries = items.map((item): Entry => {
			if (!isObject(item)) return failure(400, 1002, 'Each contact reference must be a JSON object');
			const cs = item.contact_sid;
			if (typeof cs !== 'string' || cs === '') return failure(400, 1001, 'contact_sid is mandatory');
			if (!this.state.contacts.has(cs)) return failure(404, 1000, `Contact ${cs} not found`);
			const m = this.addMember(listSid, cs);
			if (!m) return failure(409, 1008, `Contact ${cs} is already in list ${listSid}`);
			return success(m);
		});
		return this.bulkReply('POST', entries);
	}

	private getListContacts(ctx: Ctx, listSid: string): Reply {
		this.requireList(listSid);
		const { offset, limit } = this.paging(ctx, CONTACT_PAGE_CAP);
		const key = `members|${listSid}`;
		let view = this.contactViews.get(key);
		if (!view) {
			view = [];
			for (const cs of this.state.members.get(listSid)?.keys() ?? []) {
				const c = this.state.contacts.get(cs);
				if (c) view.push(c);
			}
			this.contactViews.set(key, view);
		}
		return this.pageReply('GET', view, offset, limit);
	}

	private removeListContact(listSid: string, contactSid: string): Reply {
		this.requireList(listSid);
		const m = this.removeMember(listSid, contactSid);
		if (!m) throw new HttpError(404, 1000, `Contact ${contactSid} is not in list ${listSid}`);
		m.date_updated = nowIso();
		return this.envelope('DELETE', 200, success(m));
	}

	private invalidate(): void {
		if (this.contactViews.size) this.contactViews = new Map();
		if (this.listViews.size) this.listViews = new Map();
	}

	// ----- CSV upload --------------------------------------------------------------------------

	private csvUpload(ctx: Ctx): Reply {
		const body = ctx.body;
		if (!boundaryFromContentType(ctx.contentType)) {
			throw new HttpError(415, 1011, `Content-Type must be multipart/form-data with a boundary, got '${ctx.contentType || 'none'}'`);
		}
		if (body.kind === 'malformed-multipart') throw new HttpError(400, 1007, `Malformed multipart body: ${body.reason}`);
		if (body.kind !== 'multipart') throw new HttpError(400, 1007, 'Empty multipart body');
		if (body.tooLarge) throw new HttpError(413, 1002, `file_name exceeds ${MAX_CSV_FILE_BYTES} bytes (60 MB)`);
		const listName = body.fields.list_name;
		if (listName === undefined || listName.trim() === '') throw new HttpError(400, 1001, 'list_name is mandatory');
		const type = body.fields.type ?? 'static';
		if (type !== 'static' && type !== 'dynamic') throw new HttpError(400, 1002, `Invalid type '${type}': use static or dynamic`);
		const filePart = body.files.find((f) => f.name === 'file_name');
		let content: Buffer;
		if (filePart?.content) content = filePart.content;
		else if (body.fields.file_name !== undefined) content = Buffer.from(body.fields.file_name, 'utf8');
		else throw new HttpError(400, 1001, 'file_name (the CSV file part) is mandatory');

		const text = content.toString('utf8');
		let columns: string[] | undefined;
		let rows = 0;
		try {
			parseCsv(text, (fields) => {
				if (!columns) columns = fields.map((h) => h.trim().toLowerCase());
				else rows++;
			});
		} catch (e) {
			throw new HttpError(400, 1002, `Malformed CSV: ${e instanceof Error ? e.message : String(e)}`);
		}
		if (!columns || !columns.includes('number')) throw new HttpError(400, 1002, 'number column is mandatory');
		if (new Set(columns).size !== columns.length) throw new HttpError(400, 1002, 'Duplicate column in CSV header');
		const extra = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
		if (type === 'static' && extra.length) {
			throw new HttpError(400, 1002, `Unknown column(s) ${extra.join(', ')}; allowed: ${CSV_COLUMNS.join(', ')}`);
		}
		if (type === 'dynamic' && extra.length > MAX_DYNAMIC_VARIABLES) {
			throw new HttpError(400, 1002, `At most ${MAX_DYNAMIC_VARIABLES} variable columns in a dynamic list, got ${extra.length}`);
		}
		const rowLimit = type === 'static' ? STATIC_ROW_LIMIT : DYNAMIC_ROW_LIMIT;
		if (rows > rowLimit) throw new HttpError(400, 1002, `A ${type} list holds at most ${rowLimit} contacts, the file has ${rows}`);

		const listSid = this.listNames.get(listName);
		const list = listSid ? this.requireList(listSid) : this.createList(listName, null);
		const uploadId = newSid();
		const now = nowIso();
		const up: UploadRecord = {
			upload_id: uploadId,
			list_sid: list.sid,
			url: `/v2/accounts/${this.accountSid}/csv-status/${uploadId}`,
			accountSid: this.accountSid,
			date_created: now,
			date_updated: now,
			status: 'in-progress',
			stats: { duplicate: null, total: null, success: null, failed: null },
			type,
			list_name: listName,
			file_name: filePart?.filename ?? null,
			file_size: content.length,
			rows,
		};
		this.state.uploads.set(uploadId, up);
		const terminalStatus = this.nextUploadStatus ?? 'completed';
		this.nextUploadStatus = undefined;
		const timer = setTimeout(() => this.processUpload(uploadId), this.csvProcessingMs);
		timer.unref();
		this.pendingUploads.set(uploadId, { text, columns, timer, terminalStatus });

		const summary = {
			upload_id: up.upload_id,
			list_sid: up.list_sid,
			url: up.url,
			accountSid: up.accountSid,
			date_created: up.date_created,
			date_updated: up.date_updated,
			status: up.status,
			Stats: { ...up.stats },
		};
		return this.envelope('POST', 200, success({ list: { ...list }, summary }));
	}

	/**
	 * Imports the CSV in batches across event-loop turns so a 500,000-row upload does not stall
	 * other requests (status polls keep answering in-progress meanwhile).
	 */
	private processUpload(uploadId: string): void {
		const pending = this.pendingUploads.get(uploadId);
		const up = this.state.uploads.get(uploadId);
		if (!pending || !up) return;
		const { columns } = pending;
		const numberIdx = columns.indexOf('number');
		// Column roles computed once: a contact field name, or a custom_field variable.
		const roles = columns.map((col) => ((CONTACT_STRING_FIELDS as readonly string[]).includes(col) ? 'field' : col === 'number' ? 'number' : 'custom'));
		const stats = { duplicate: 0, total: 0, success: 0, failed: 0 };
		const seen = new Set<string>();
		let header = true;
		let pos = 0;
		const onRow = (fields: string[]): void => {
			if (header) {
				header = false;
				return;
			}
			stats.total++;
			const number = (fields[numberIdx] ?? '').trim();
			if (fields.length > columns.length || !isValidNumber(number)) {
				stats.failed++;
				return;
			}
			if (seen.has(number)) {
				stats.duplicate++;
				return;
			}
			seen.add(number);
			const c: Partial<ContactRecord> & { number: string } = { number };
			let custom: Record<string, string> | null = null;
			for (let k = 0; k < columns.length; k++) {
				const role = roles[k];
				if (role === 'number') continue;
				const v = (fields[k] ?? '').trim();
				if (role === 'field') c[columns[k] as (typeof CONTACT_STRING_FIELDS)[number]] = v === '' ? null : v;
				else (custom ??= {})[columns[k]] = v;
			}
			if (c.email && !EMAIL_RE.test(c.email)) {
				stats.failed++;
				return;
			}
			c.custom_field = custom;
			const contact = this.createContact(c);
			if (this.state.lists.has(up.list_sid)) this.addMember(up.list_sid, contact.sid);
			stats.success++;
		};
		const step = (): void => {
			if (this.pendingUploads.get(uploadId) !== pending) return; // reset() or stop() happened
			pos = parseCsvFrom(pending.text, pos, onRow, 20_000);
			if (pos >= 0) {
				pending.timer = setTimeout(step, 0);
				pending.timer.unref();
				return;
			}
			this.pendingUploads.delete(uploadId); // drops the CSV text
			up.stats = stats;
			up.status = this.state.lists.has(up.list_sid) ? pending.terminalStatus : 'failed';
			up.date_updated = nowIso();
		};
		step();
	}
}

function uploadStatusData(up: UploadRecord): Record<string, unknown> {
	return {
		upload_id: up.upload_id,
		list_sid: up.list_sid,
		url: up.url,
		accountSid: up.accountSid,
		date_created: up.date_created,
		date_updated: up.date_updated,
		status: up.status,
		stats: { ...up.stats },
	};
}
