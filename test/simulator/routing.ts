/**
 * How resources plug into the simulator: a resource module exports a ResourceFactory that returns its
 * routes (method + path pattern + handler) and, if it keeps timers or state of its own, a reset hook.
 * The core lists the factories once (see the comment at the top of core.ts).
 */
import type { ParsedBody } from './body';
import { HttpError, type Reply } from './replies';
import type { Store } from './store';

/** One API call as a route handler sees it. */
export interface ApiRequest {
	method: string;
	/** The route's `:name` segments, URI-decoded (e.g. { listSid } for '/lists/:listSid/contacts'). */
	params: Record<string, string>;
	query: URLSearchParams;
	contentType: string;
	body: ParsedBody;
}

/** Which of Exotel's APIs a route belongs to: /v2/accounts/<sid>, /v1/Accounts/<sid> or /v2_beta/Accounts/<sid>. */
export type ApiFamily = 'v2' | 'v1' | 'v2_beta';

export interface Route {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
	/** Default v2. v1 and v2_beta answer errors as RestException (see v1Replies.ts). */
	api?: ApiFamily;
	/**
	 * Path after the account (/v2/accounts/<sid> for v2); `:name` segments capture. Literal segments win
	 * over captures. v1 paths keep `.json` (`/Calls/connect.json`, `/Calls/:callSid` sees `abc.json`).
	 */
	path: string;
	/** Returns the reply, or throws HttpError for a whole-request failure. */
	handle(request: ApiRequest): Reply;
}

/** What a resource may use of the simulator. */
export interface ResourceContext {
	readonly store: Store;
	readonly accountSid: string;
	/** Live value of sim.csvProcessingMs. */
	readonly csvProcessingMs: number;
}

export interface Resource {
	routes: Route[];
	/** Called by sim.reset() and sim.stop(): clear timers and any state kept outside the Store. */
	reset?(): void;
}

export type ResourceFactory = (context: ResourceContext) => Resource;

interface Pattern {
	segments: string[];
	byMethod: Map<string, Route>;
}

export class Router {
	private readonly patterns: Pattern[] = [];

	/** caseInsensitive: literal segments match in any case (Exotel's v1 takes `Sms/` and `SMS/`). */
	constructor(
		routes: Route[],
		private readonly caseInsensitive = false,
	) {
		for (const route of routes) {
			const segments = route.path.split('/').filter(Boolean);
			let pattern = this.patterns.find((p) => p.segments.join('/') === segments.join('/'));
			if (!pattern) this.patterns.push((pattern = { segments, byMethod: new Map() }));
			if (pattern.byMethod.has(route.method)) throw new Error(`Two routes for ${route.method} ${route.path}`);
			pattern.byMethod.set(route.method, route);
		}
	}

	/** The route for method + path segments with its params; 404 for unknown paths, 405 (with Allow) for other methods. */
	find(method: string, path: string[]): { route: Route; params: Record<string, string> } {
		let best: Pattern | undefined;
		for (const p of this.patterns) {
			if (p.segments.length !== path.length) continue;
			if (!p.segments.every((s, i) => s.startsWith(':') || s === path[i] || (this.caseInsensitive && s.toLowerCase() === path[i].toLowerCase()))) {
				continue;
			}
			if (!best || moreSpecific(p.segments, best.segments)) best = p;
		}
		if (!best) throw new HttpError(404, 1000, `No resource at /${path.join('/')}`);
		const route = best.byMethod.get(method);
		if (!route) {
			const allow = Array.from(best.byMethod.keys()).join(', ');
			throw new HttpError(405, 1002, `Method ${method} not allowed here`, { Allow: allow });
		}
		const params: Record<string, string> = {};
		best.segments.forEach((s, i) => {
			if (s.startsWith(':')) params[s.slice(1)] = path[i];
		});
		return { route, params };
	}
}

/** a beats b when, at the first segment where they differ in kind, a has the literal. */
function moreSpecific(a: string[], b: string[]): boolean {
	for (let i = 0; i < a.length; i++) {
		const aParam = a[i].startsWith(':');
		const bParam = b[i].startsWith(':');
		if (aParam !== bParam) return !aParam;
	}
	return false;
}
