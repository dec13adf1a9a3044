/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * In-memory simulator of Exotel's APIs: Campaign API v2 (/v2/accounts/<sid>), v1 calls, SMS and numbers
 * (/v1/Accounts/<sid>) and v2_beta ExoPhones (/v2_beta/Accounts/<sid>). This file is the core: the HTTP
 * server, the request log, auth, injected faults, the rate limit and the route tables. Each API resource
 * lives in its own file and plugs in through routing.ts; v2 answers are built with replies.ts, v1 and
 * v2_beta ones with v1Replies.ts; v2 records live in store.ts.
 *
 * v1 and v2_beta share v2's Basic auth (wrong key or token → 401) and account check (other account → 403);
 * their errors are RestException bodies. A v1 path without `.json` is routed as if it had it and answered
 * in XML.
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
 * Paths are relative to the account root of the route's `api` (v2 by default); auth, the account check, 404 for unknown paths and 405
 * (with Allow) for other methods are done here. A handler returns a Reply or throws HttpError.
 * Behaviour follows Exotel's API pages and the notes on where they are wrong (shared/exotel-api/NOTES.md).
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { loggableBody, readBody, type ParsedBody } from './body';
import { campaignClockOf, campaigns, type CampaignClock } from './campaigns';
import { contacts, createContact } from './contacts';
import { MAX_CSV_FILE_BYTES, csvUploads } from './csvUploads';
import { FaultQueue, faultReply, isNetworkFault, rewriteBulkReply, type Fault } from './faults';
import { addMember, listContacts } from './listContacts';
import { createList, lists } from './lists';
import { RATE_LIMIT_BODY, RateLimiter, type Admission, type RateLimitOptions, type RateLimitStats } from './rateLimit';
import { HttpError, errorReply, type Reply } from './replies';
import { Router, type ApiFamily, type Resource, type ResourceContext, type ResourceFactory } from './routing';
import { RestError, restException, toXmlReply } from './v1Replies';
import { exoPhones, exoPhonesOf, type ExoPhoneRecord, type ExoPhoneSettings } from './exoPhones';
import { numbers, numbersSettingsOf, type NumberSettings } from './numbers';
import { callClockOf, calls, type CallClock, type SeedCallsOptions } from './calls';
import { sms, smsClockOf, type SmsClock } from './sms';
import { Store, type ContactRecord, type ListRecord, type SimulatorState } from './store';

const RESOURCES: ResourceFactory[] = [contacts, lists, listContacts, csvUploads, campaigns, exoPhones, numbers, calls, sms];

/** What the rate limit counts separately with `perFamily` (Exotel limits voice, SMS and the rest apart). */
export type RateFamily = 'campaigns' | 'contacts' | 'voice' | 'sms' | 'numbers';

interface Located {
	api: ApiFamily;
	account: string;
	/** The path after the account root, which routes and faults match against. */
	rel: string;
}

/** The API, account and relative path of a request path; undefined outside the three account roots. */
function locate(path: string): Located | undefined {
	const m = /^\/(v2|v1|v2_beta)\/accounts\/([^/]+)(\/.*)?$/i.exec(path);
	if (!m) return undefined;
	return { api: m[1].toLowerCase() as ApiFamily, account: m[2], rel: m[3] ?? '' };
}

function familyOf(loc: Located | undefined): RateFamily {
	if (!loc) return 'contacts';
	if (loc.api === 'v2') return /^\/campaigns(\/|$)/i.test(loc.rel) ? 'campaigns' : 'contacts';
	if (loc.api === 'v2_beta') return 'numbers';
	if (/^\/calls([./]|$)/i.test(loc.rel)) return 'voice';
	if (/^\/sms([./]|$)/i.test(loc.rel)) return 'sms';
	return 'numbers';
}

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
	private readonly routers: Record<ApiFamily, Router>;
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
		const routes = this.resources.flatMap((r) => r.routes);
		this.routers = {
			v2: new Router(routes.filter((r) => (r.api ?? 'v2') === 'v2')),
			v1: new Router(routes.filter((r) => r.api === 'v1'), true),
			v2_beta: new Router(routes.filter((r) => r.api === 'v2_beta'), true),
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

	/** Adds n ExoPhones to the account (CallerId of calls, From of SMS; listed by IncomingPhoneNumbers). */
	seedExoPhones(n: number, opts: { region?: string; sms?: boolean } = {}): ExoPhoneRecord[] {
		return exoPhonesOf(this.store).seed(n, opts);
	}

	/** The account's ExoPhones, sender IDs and ExoPhone list settings (see exoPhones.ts). */
	get exoPhones(): ExoPhoneSettings {
		return exoPhonesOf(this.store);
	}

	/** v1 calls: virtual time, phase lengths, answer and callback settings (see calls.ts); reset() restores defaults. */
	get callClock(): CallClock {
		return callClockOf(this.store);
	}

	/** Adds n finished calls spread over the past days (GET Calls.json history); returns their sids. */
	seedCalls(n: number, opts: SeedCallsOptions = {}): string[] {
		return callClockOf(this.store).seed(n, opts);
	}

	/** v1 SMS: lifecycle speed, virtual time, bulk shapes, answer and callback settings (see sms.ts); reset() restores defaults. */
	get smsClock(): SmsClock {
		return smsClockOf(this.store);
	}

	/** Number metadata settings (see numbers.ts). */
	get numberSettings(): NumberSettings {
		return numbersSettingsOf(this.store);
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

		const loc = locate(url.pathname);
		const relPath = loc ? loc.rel : url.pathname;
		const family = familyOf(loc);
		let fault = this.faults.peek(method, relPath);
		let admission: Admission | undefined;
		if (fault && isNetworkFault(fault)) {
			this.faults.take(fault);
		} else {
			admission = this.rateLimiter.admit(loc?.account ?? '', family, log.receivedAt);
			if (admission?.throttled) fault = undefined; // stays queued for a request that gets through
			else if (fault) this.faults.take(fault);
		}
		if (fault?.kind === 'drop' && !fault.apply) {
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'hang') this.hung.add(res);

		void readBody(req, MAX_CSV_FILE_BYTES).then(({ parsed, bytes }) => {
			log.bodyBytes = bytes;
			log.body = loggableBody(parsed, this.logBodies);
			if (fault?.kind === 'hang' || fault?.kind === 'drop') {
				// drop with apply: the work is done, then the connection is cut before any answer.
				if (fault.apply) this.answer(req, method, url, parsed);
				if (fault.kind === 'drop') req.socket.destroy();
				return;
			}
			const delay = this.latencyMs + (fault?.kind === 'latency' || fault?.kind === 'slow' ? fault.ms : 0);
			let reply: Reply;
			if (admission?.throttled) {
				reply = this.throttledReply(family, method);
			} else if (fault?.kind === 'status') {
				if (fault.apply) this.answer(req, method, url, parsed);
				reply = faultReply(fault, method, loc && loc.api !== 'v2' ? 'v1' : 'envelope');
			} else {
				reply = this.answer(req, method, url, parsed);
				if (fault?.kind === 'bulkAnswer') reply = rewriteBulkReply(fault, reply);
			}
			if (admission) Object.assign(reply.headers, admission.headers);
			this.send(res, log, reply, delay);
		});
	}

	/**
	 * A throttled request's answer: Exotel's v1 429 body; for SMS with `smsThrottle: 503` the 503 with
	 * Code 40405, else 429 with 40402 (POST) or 40403 (GET).
	 */
	private throttledReply(family: RateFamily, method: string): Reply {
		const headers = { 'Content-Type': 'application/json' };
		if (family !== 'sms') return { status: 429, headers, body: RATE_LIMIT_BODY };
		if (this.rateLimiter.current?.smsThrottle === 503) return restException(503, 'Service unavailable: SMS throughput exceeded, try later', 40405);
		return restException(429, 'Too many requests', method === 'GET' ? 40403 : 40402);
	}

	/** The API's answer: the route's reply, or the error body for what it threw (envelope or RestException). */
	private answer(req: http.IncomingMessage, method: string, url: URL, parsed: ParsedBody): Reply {
		const loc = locate(url.pathname);
		const api = loc?.api ?? 'v2';
		const last = url.pathname.split('/').pop() ?? '';
		const xml = api === 'v1' && loc !== undefined && loc.rel !== '' && !/\.json$/i.test(last);
		let reply: Reply;
		try {
			reply = this.dispatch(req, method, url, parsed, xml);
		} catch (e) {
			if (api === 'v2') {
				return e instanceof HttpError
					? errorReply(method, e.status, e.code, e.description, e.headers)
					: errorReply(method, 500, 1100, e instanceof Error ? e.message : String(e));
			}
			reply =
				e instanceof HttpError
					? restException(e.status, e.description, e instanceof RestError ? e.restCode : undefined, e.headers)
					: restException(500, e instanceof Error ? e.message : String(e));
		}
		return xml ? toXmlReply(reply) : reply;
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

	private dispatch(req: http.IncomingMessage, method: string, url: URL, body: ParsedBody, xml: boolean): Reply {
		if (!this.authenticated(req.headers.authorization)) throw new HttpError(401, 1010, 'Invalid API key or token');
		const loc = locate(url.pathname);
		if (!loc) throw new HttpError(404, 1000, `No resource at ${url.pathname}`);
		if (decodeURIComponent(loc.account) !== this.accountSid) {
			throw new HttpError(403, 1003, 'The credentials are not valid for this account');
		}
		const segments = loc.rel.split('/').filter(Boolean).map(decodeURIComponent);
		if (xml) segments[segments.length - 1] += '.json';
		const { route, params } = this.routers[loc.api].find(method, segments);
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

