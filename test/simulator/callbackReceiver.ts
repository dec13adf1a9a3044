/* eslint-disable @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/** A throwaway HTTP server that records the callbacks the simulator POSTs (for the simulator's own tests). */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './body';
import { formParamsOf, type FormParams } from './v1Replies';

export interface Received {
	path: string;
	contentType: string;
	/** Form and multipart bodies read into nested values; JSON as parsed. */
	body: FormParams | unknown;
}

export class CallbackReceiver {
	readonly received: Received[] = [];
	/** Statuses to answer, in order; 200 once used up. */
	readonly statuses: number[] = [];
	private constructor(
		private readonly server: http.Server,
		readonly url: string,
	) {}

	static async start(): Promise<CallbackReceiver> {
		const holder: { self?: CallbackReceiver } = {};
		const server = http.createServer((req, res) => {
			void readBody(req, 1024 * 1024).then(({ parsed }) => {
				const contentType = req.headers['content-type'] ?? '';
				const body = parsed.kind === 'json' ? parsed.value : formParamsOf(parsed);
				holder.self?.received.push({ path: req.url ?? '', contentType, body });
				res.writeHead(holder.self?.statuses.shift() ?? 200).end();
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const self = (holder.self = new CallbackReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`));
		return self;
	}

	clear(): void {
		this.received.length = 0;
		this.statuses.length = 0;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
