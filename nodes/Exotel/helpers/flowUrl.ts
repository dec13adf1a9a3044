import type { INode } from 'n8n-workflow';

import { inputError } from './validation';

/** Where an account's call flows live: Exotel serves them from the account's own region. */
const FLOW_HOSTS: Record<string, string> = { singapore: 'my.exotel.com', mumbai: 'my.in.exotel.com' };

export interface FlowUrlOptions {
	/** The credential's region (`singapore`, `mumbai`, `custom`); anything but Mumbai uses my.exotel.com. */
	region?: unknown;
	/** Whether a full URL must be one of Exotel's flow URLs (`…/exoml/…`), not just any http(s) URL. */
	exotelFlowOnly?: boolean;
}

/**
 * The flow URL Exotel dials into: from an App ID `http://<host>/<sid>/exoml/start_voice/<app_id>`
 * (the host by region), or a full URL as given once checked.
 */
export function flowUrl(node: INode, itemIndex: number, appId: unknown, accountSid: string, options: FlowUrlOptions = {}): string {
	const text = String(appId ?? '').trim();
	if (/^https?:\/\//i.test(text)) {
		let url: URL | undefined;
		try {
			url = new URL(text);
		} catch {
			url = undefined;
		}
		if (!url) throw inputError(node, itemIndex, 'App ID', `"${text}" is not an http(s) URL`);
		if (options.exotelFlowOnly && !/\/exoml\/start(_voice)?\/[^/]+\/?$/.test(url.pathname)) {
			throw inputError(
				node,
				itemIndex,
				'App ID',
				`"${text}" is not a flow URL`,
				'A flow URL looks like http://my.exotel.com/ACCOUNT_SID/exoml/start_voice/APP_ID; or give the App ID alone.',
			);
		}
		return text;
	}
	if (!/^[A-Za-z0-9_-]+$/.test(text)) {
		throw inputError(
			node,
			itemIndex,
			'App ID',
			text ? `"${text}" is neither an App ID nor a flow URL` : 'is empty',
			"Use the App ID from Exotel's dashboard, e.g. 926.",
		);
	}
	const host = FLOW_HOSTS[String(options.region ?? '')] ?? FLOW_HOSTS.singapore;
	return `http://${host}/${encodeURIComponent(accountSid)}/exoml/start_voice/${text}`;
}
