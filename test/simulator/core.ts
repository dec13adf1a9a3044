/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * In-memory simulator of Exotel's Campaign API v2. This file is the core: the HTTP server, the request
 * log, auth, injected faults and the route table. Each API resource lives in its own file and plugs in
 * through routing.ts; answers are built with replies.ts; records live in store.ts.
 *
 * Adding a resource (e.g. campaigns) = one new file plus one line in RESOURCES below:
 *
 *   // campaigns.ts
 *   export const campaigns: ResourceFactory = ({ store, accountSid }) => {
 *     const byId = new Map<string, Campaign>();          // state of its own, cleared in reset()
 *     return {
 *       routes: [
 *         { method: 'GET', path: '/campaigns/:id', handle: (r) => envelope('GET', 200, success(byId.get(r.params.id))) },
 *         { method: 'POST', path: '/campaigns', handle: (r) => bulkReply('POST', bulkArray(r, 'campaigns').map(...)) },
 *       ],
 *       reset: () => byId.clear(),
 *     };
 *   };
 *
 * Paths are relative to /v2/accounts/<sid>; auth, the account check, 404 for unknown paths and 405
 * (with Allow) for other methods are done here. A handler returns a Reply or throws HttpError.
 * Behaviour follows Exotel's API pages and the notes on where they are wrong (shared/exotel-api/NOTES.md).
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { loggableBody, readBody, type ParsedBody } from './body';
import { campaignClockOf, campaigns, type CampaignClock } from './campaigns';
import { contacts, createContact } from './contacts';
import { MAX_CSV_FILE_BYTES, csvUploads } from './csvUploads';
import { FaultQueue, faultReply, isNetworkFault, type Fault } from './faults';
import { addMember, listContacts } from './listContacts';
import { createList, lists } from './lists';
import { RATE_LIMIT_BODY, RateLimiter, type Admission, type RateLimitOptions, type RateLimitStats } from './rateLimit';
import { HttpError, errorReply, type Reply } from './replies';
import { Router, type Resource, type ResourceContext, type ResourceFactory } from './routing';
import { Store, type ContactRecord, type ListRecord, type SimulatorState } from './store';

const RESOURCES: ResourceFactory[] = [contacts, lists, listContacts, csvUploads, campaigns];

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

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON for JSON requests, LoggedMultipart for multipart, raw string otherwise, undefined when empty. */
	body: unknown;
	bodyBytes: number;
	/** 0 while unanswered and for dropped or hung requests. */
	status: number;
	/** Date.now() when the request arrived. */
	receivedAt: number;
}

export interface SimulatorCredentials {
	apiKey: string;
	apiToken: string;
	accountSid: string;
	region: 'custom';
	baseUrl: string;
}

export class ExotelSimulator {
	readonly url: string;
	readonly credentials: SimulatorCredentials;
	readonly requests: LoggedRequest[] = [];
	readonly state: SimulatorState;
	latencyMs: number;
	csvProcessingMs: number;
	/** The most requests that were open at the same time since start or reset (client politeness). */
	maxConcurrentRequests = 0;

	private openRequests = 0;
	private readonly apiKey: string;
	private readonly apiToken: string;
	private readonly accountSid: string;
	private readonly logBodies: boolean;
	private readonly store: Store;
	private readonly resources: Resource[];
	private readonly router: Router;
	private readonly faults = new FaultQueue();
	private readonly rateLimiter = new RateLimiter();
	private readonly sockets = new Set<Socket>();
	/** Answers held back by 'hang' faults, closed by reset() and stop(). */
	private readonly hung = new Set<http.ServerResponse>();
	private readonly responseTimers = new Set<NodeJS.Timeout>();
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
		this.store = new Store(this.accountSid);
		this.state = this.store.state;
		// Read on each use: tests change it on a running simulator.
		const csvProcessingMs = () => this.csvProcessingMs;
		const context: ResourceContext = {
			store: this.store,
			accountSid: this.accountSid,
			get csvProcessingMs() {
				return csvProcessingMs();
			},
		};
		this.resources = RESOURCES.map((factory) => factory(context));
		this.router = new Router(this.resources.flatMap((r) => r.routes));
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
		const holder: { sim?: ExotelSimulator } = {};
		const server = http.createServer((req, res) => {
			if (holder.sim) holder.sim.handle(req, res);
			else res.destroy();
		});
		// Long enough that a client whose event loop stalls (a big upload built synchronously on a busy
		// machine) does not reuse a socket the server closed a moment earlier (ECONNRESET).
		server.keepAliveTimeout = 65_000;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(opts.port, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
		const port = (server.address() as AddressInfo).port;
		const sim = new ExotelSimulator(server, opts, port);
		holder.sim = sim;
		server.on('connection', (socket: Socket) => {
			sim.sockets.add(socket);
			socket.on('close', () => sim.sockets.delete(socket));
		});
		return sim;
	}

	// ----- test helpers ------------------------------------------------------------------------

	injectFault(fault: Fault): void {
		this.faults.add(fault);
	}

	/** At most `limit` requests per window per account, 429 past it (see rateLimit.ts); undefined turns it off. */
	setRateLimit(options: RateLimitOptions | undefined): void {
		this.rateLimiter.set(options);
	}

	/** Requests the rate limit let through and answered 429, since start or reset(). */
	get rateLimitStats(): RateLimitStats {
		return { ...this.rateLimiter.stats };
	}

	/** Campaign speed, virtual time, answer shapes and callback settings (see campaigns.ts); reset() restores defaults. */
	get campaignClock(): CampaignClock {
		return campaignClockOf(this.store);
	}

	failNextUpload(status = 'failed'): void {
		this.store.nextUploadStatus = status;
	}

	seedContacts(count: number, opts: { listSid?: string; numberPrefix?: string } = {}): ContactRecord[] {
		if (opts.listSid !== undefined && !this.state.lists.has(opts.listSid)) {
			throw new Error(`seedContacts: unknown list ${opts.listSid}`);
		}
		const prefix = opts.numberPrefix ?? '+9190';
		const out: ContactRecord[] = [];
		for (let k = 0; k < count; k++) {
			let number: string;
			do number = prefix + String(++this.seedCounter).padStart(8, '0');
			while (this.store.contactNumbers.has(number)); // an account holds a number once
			const contact = createContact(this.store, { number });
			if (opts.listSid !== undefined) addMember(this.store, opts.listSid, contact.sid);
			out.push(contact);
		}
		return out;
	}

	seedList(name: string, tag?: string): ListRecord {
		if (this.store.listNames.has(name)) throw new Error(`seedList: list '${name}' already exists`);
		return createList(this.store, name, tag ?? null);
	}

	listMembers(listSid: string): string[] {
		return Array.from(this.state.members.get(listSid)?.keys() ?? []);
	}

	/** Clears records, faults, the rate limit and its stats, the request log, and closes hung requests. */
	reset(): void {
		for (const r of this.resources) r.reset?.();
		this.store.clear();
		this.faults.clear();
		this.rateLimiter.reset();
		this.closeHung();
		this.requests.length = 0;
		this.maxConcurrentRequests = this.openRequests;
	}

	async stop(): Promise<void> {
		for (const r of this.resources) r.reset?.();
		for (const t of this.responseTimers) clearTimeout(t);
		this.responseTimers.clear();
		this.closeHung();
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		for (const s of this.sockets) s.destroy();
		this.sockets.clear();
		await closed;
	}

	private closeHung(): void {
		for (const res of this.hung) res.socket?.destroy();
		this.hung.clear();
	}

	// ----- request pipeline --------------------------------------------------------------------

	/**
	 * Order: log → drop/hang faults (connection level) → rate limit (429 before auth, as a gateway) →
	 * other faults → auth, account, route. Every answer waits latencyMs (+ a latency/slow fault's ms).
	 */
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
			receivedAt: Date.now(),
		};
		this.requests.push(log);
		this.openRequests++;
		this.maxConcurrentRequests = Math.max(this.maxConcurrentRequests, this.openRequests);
		res.once('close', () => {
			this.openRequests--;
			this.hung.delete(res);
		});

		const relPath = relativePath(url.pathname);
		let fault = this.faults.peek(method, relPath);
		let admission: Admission | undefined;
		if (fault && isNetworkFault(fault)) {
			this.faults.take(fault);
		} else {
			admission = this.rateLimiter.admit(accountOf(url.pathname), log.receivedAt);
			if (admission?.throttled) fault = undefined; // stays queued for a request that gets through
			else if (fault) this.faults.take(fault);
		}
		if (fault?.kind === 'drop') {
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'hang') this.hung.add(res);

		void readBody(req, MAX_CSV_FILE_BYTES).then(({ parsed, bytes }) => {
			log.bodyBytes = bytes;
			log.body = loggableBody(parsed, this.logBodies);
			if (fault?.kind === 'hang') {
				if (fault.apply) this.answer(req, method, url, parsed);
				return;
			}
			const delay = this.latencyMs + (fault?.kind === 'latency' || fault?.kind === 'slow' ? fault.ms : 0);
			let reply: Reply;
			if (admission?.throttled) {
				reply = { status: 429, headers: { 'Content-Type': 'application/json' }, body: RATE_LIMIT_BODY };
			} else if (fault?.kind === 'status') {
				reply = faultReply(fault, method);
			} else {
				reply = this.answer(req, method, url, parsed);
			}
			if (admission) Object.assign(reply.headers, admission.headers);
			this.send(res, log, reply, delay);
		});
	}

	/** The API's answer: the route's reply, or the error envelope for what it threw. */
	private answer(req: http.IncomingMessage, method: string, url: URL, parsed: ParsedBody): Reply {
		try {
			return this.dispatch(req, method, url, parsed);
		} catch (e) {
			return e instanceof HttpError
				? errorReply(method, e.status, e.code, e.description, e.headers)
				: errorReply(method, 500, 1100, e instanceof Error ? e.message : String(e));
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

	private dispatch(req: http.IncomingMessage, method: string, url: URL, body: ParsedBody): Reply {
		if (!this.authenticated(req.headers.authorization)) throw new HttpError(401, 1010, 'Invalid API key or token');
		const m = /^\/v2\/accounts\/([^/]+)(\/.*)?$/i.exec(url.pathname);
		if (!m) throw new HttpError(404, 1000, `No resource at ${url.pathname}`);
		if (decodeURIComponent(m[1]) !== this.accountSid) {
			throw new HttpError(403, 1003, 'The credentials are not valid for this account');
		}
		const segments = (m[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
		const { route, params } = this.router.find(method, segments);
		return route.handle({ method, params, query: url.searchParams, contentType: req.headers['content-type'] ?? '', body });
	}

	private authenticated(header: string | undefined): boolean {
		const m = header ? /^Basic\s+(\S+)\s*$/i.exec(header) : null;
		if (!m) return false;
		const decoded = Buffer.from(m[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon < 0) return false;
		return decoded.slice(0, colon) === this.apiKey && decoded.slice(colon + 1) === this.apiToken;
	}
}

/** The account a request is for (the rate limit counts per account); '' outside /v2/accounts/<sid>. */
function accountOf(path: string): string {
	const m = /^\/v2\/accounts\/([^/]+)/i.exec(path);
	return m ? m[1] : '';
}

/** The path after /v2/accounts/<sid>, which faults match against. */
function relativePath(path: string): string {
	const m = /^\/v2\/accounts\/[^/]+(\/.*)?$/i.exec(path);
	return m ? (m[1] ?? '') : path;
}
