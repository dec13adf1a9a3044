import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';

import type { ExotelContext } from './context';

/**
 * n8n's loader adds a *Request Options* collection (Settings → Request Options) to every declarative
 * node. RoutingNode applies it only to the requests it sends itself, and this node sends every request
 * through its transport, so the transport reads it for all of them, custom operations included.
 */
export interface UserRequestOptions {
	proxy?: IHttpRequestOptions['proxy'];
	/** What the user set in Request Options → Timeout (ms); undefined means the node's own defaults. */
	timeoutMs?: number;
	skipSslCertificateValidation?: boolean;
	/** The proxy as the user may see it: the password replaced (for error messages). */
	proxyForDisplay?: string;
}

interface RawRequestOptions {
	proxy?: string;
	timeout?: number;
	allowUnauthorizedCerts?: boolean;
}

function rawRequestOptions(context: ExotelContext): RawRequestOptions {
	try {
		// IExecuteFunctions takes an item index; the per-item and load-options contexts do not.
		const value =
			'getInputData' in context && !('getItemIndex' in context)
				? context.getNodeParameter('requestOptions', 0, {})
				: (context.getNodeParameter as (name: string, fallback: unknown) => unknown)('requestOptions', {});
		return (value ?? {}) as RawRequestOptions;
	} catch {
		// A node loaded without n8n's loader (some older hosts) has no such parameter.
		return {};
	}
}

/**
 * A proxy as written, its password hidden, for error messages: `http://user:***@proxy.local:3128`,
 * also without a scheme (`user:***@proxy.local:3128`). The credentials end at the last `@`, so a
 * password holding `@`, `/`, `:`, `#` or `%`-escapes is hidden whole; credentials without a `:` (a
 * token as the user name) are hidden whole too.
 */
export function redactProxy(proxy: string): string {
	const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(proxy)?.[0] ?? '';
	const rest = proxy.slice(scheme.length);
	const at = rest.lastIndexOf('@');
	if (at < 0) return proxy;
	const credentials = rest.slice(0, at);
	const colon = credentials.indexOf(':');
	return `${scheme}${colon < 0 ? '***' : `${credentials.slice(0, colon)}:***`}@${rest.slice(at + 1)}`;
}

export function parseProxy(node: INode, proxy: string): IHttpRequestOptions['proxy'] {
	let url: URL;
	try {
		url = new URL(proxy.includes('://') ? proxy : `http://${proxy}`);
	} catch {
		throw new NodeOperationError(node, `Request Options → Proxy is not a URL: ${redactProxy(proxy)}`, {
			description: 'Write it as http://host:port, or http://user:password@host:port.',
		});
	}
	const protocol = url.protocol.replace(/:$/, '');
	const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
	const result: IDataObject = { host: url.hostname, port, protocol };
	if (url.username) {
		result.auth = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
	}
	return result as unknown as IHttpRequestOptions['proxy'];
}

/** Request Options as the transport applies them, read once per context. */
export function userRequestOptions(context: ExotelContext): UserRequestOptions {
	const raw = rawRequestOptions(context);
	const options: UserRequestOptions = {};
	if (typeof raw.proxy === 'string' && raw.proxy.trim() !== '') {
		options.proxy = parseProxy(context.getNode(), raw.proxy.trim());
		options.proxyForDisplay = redactProxy(raw.proxy.trim());
	}
	if (typeof raw.timeout === 'number' && raw.timeout > 0) options.timeoutMs = raw.timeout;
	if (raw.allowUnauthorizedCerts === true) options.skipSslCertificateValidation = true;
	return options;
}
