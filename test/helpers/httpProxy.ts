/* eslint-disable @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
	method: string;
	/** The absolute URL the client asked the proxy for. */
	url: string;
	proxyAuthorization?: string;
}

/**
 * A forward HTTP proxy on 127.0.0.1, as a corporate proxy would be: it takes absolute-URI requests,
 * relays them to the target and records what passed through. With `credentials`, a request without
 * the matching Proxy-Authorization gets 407.
 */
export class TestHttpProxy {
	readonly requests: ProxiedRequest[] = [];

	private constructor(
		private readonly server: http.Server,
		readonly port: number,
	) {}

	static async start(credentials?: { username: string; password: string }): Promise<TestHttpProxy> {
		const expected = credentials
			? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
			: undefined;
		// The handler needs the instance, which needs the port: bind late through a holder.
		const holder: { proxy?: TestHttpProxy } = {};
		const server = http.createServer((req, res) => {
			const proxyAuthorization = req.headers['proxy-authorization'];
			holder.proxy?.requests.push({ method: req.method ?? 'GET', url: req.url ?? '', proxyAuthorization });
			if (expected && proxyAuthorization !== expected) {
				res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"' }).end();
				return;
			}
			const target = new URL(req.url ?? '');
			const headers = { ...req.headers };
			delete headers['proxy-authorization'];
			delete headers['proxy-connection'];
			const upstream = http.request(
				{ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers },
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
				},
			);
			upstream.on('error', () => res.writeHead(502).end());
			req.pipe(upstream);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const proxy = new TestHttpProxy(server, (server.address() as AddressInfo).port);
		holder.proxy = proxy;
		return proxy;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
