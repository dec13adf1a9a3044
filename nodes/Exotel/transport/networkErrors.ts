import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

/** A failure before any answer came: what the socket said, never the request (it carries credentials). */
export interface NetworkFailure {
	message: string;
	code?: string;
	timedOut: boolean;
	cancelled: boolean;
}

export function readNetworkFailure(error: unknown): NetworkFailure {
	// n8n's authenticated request helper wraps the HTTP client's error in a NodeApiError.
	const original = error instanceof NodeApiError && error.cause instanceof Error ? error.cause : error;
	const object = (original ?? {}) as {
		message?: unknown;
		code?: unknown;
		name?: unknown;
		cause?: { message?: unknown; code?: unknown };
	};
	const code = object.code ?? object.cause?.code;
	const message = String(object.cause?.message ?? object.message ?? original);
	const codeText = code === undefined ? undefined : String(code);
	return {
		message,
		code: codeText,
		timedOut: codeText === 'ECONNABORTED' || codeText === 'ETIMEDOUT' || /timeout of \d+ms exceeded/i.test(message),
		cancelled: codeText === 'ERR_CANCELED' || object.name === 'CanceledError' || object.name === 'AbortError',
	};
}

export interface RequestPlace {
	method: string;
	path: string;
	host: string;
	itemIndex?: number;
	proxyForDisplay?: string;
}

function seconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** The error for a request Exotel never answered, however many times it was tried. */
export function timeoutError(node: INode, place: RequestPlace, timeoutMs: number, attempts: number, mayRepeat: boolean): NodeApiError {
	const error = new NodeApiError(node, { message: 'timeout', code: 'ETIMEDOUT' } as JsonObject, {
		itemIndex: place.itemIndex,
		description: mayRepeat
			? `${place.method} ${place.path} got no answer within ${seconds(timeoutMs)}, ${attempts === 1 ? 'once' : `${attempts} times`}. Check Exotel's status page, the network${place.proxyForDisplay ? ` and the proxy ${place.proxyForDisplay}` : ''}. Settings → Request Options → Timeout sets how long each attempt waits.`
			: `${place.method} ${place.path} got no answer within ${seconds(timeoutMs)}. Exotel may have applied it anyway, so it was not sent again: check in Exotel (or list the records) before running it again.`,
	});
	// Set after construction: NodeApiError replaces messages of well-known codes with generic text.
	error.message = `Exotel did not answer in time (${seconds(timeoutMs)})`;
	return error;
}

/** The error for a connection that failed or broke, in words that say what to check. */
export function connectionError(node: INode, place: RequestPlace, failure: NetworkFailure, attempts: number, mayRepeat: boolean): NodeApiError {
	const via = place.proxyForDisplay ? ` through the proxy ${place.proxyForDisplay}` : '';
	let message: string;
	let description: string;
	switch (failure.code) {
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			message = `Could not reach Exotel: the host ${place.host} was not found (${failure.code})`;
			description = `Check the credential's region (Singapore is api.exotel.com, Mumbai api.in.exotel.com) or its custom base URL for typing mistakes, and that this machine has DNS and internet access${via}.`;
			break;
		case 'ECONNREFUSED':
			message = `Could not reach Exotel: ${place.proxyForDisplay ? `the proxy ${place.proxyForDisplay}` : place.host} refused the connection (ECONNREFUSED)`;
			description = place.proxyForDisplay
				? 'Check Settings → Request Options → Proxy: host, port and that the proxy is running.'
				: "Check the credential's region or custom base URL and port, and any firewall in between.";
			break;
		default:
			message = `Could not reach Exotel: ${failure.message}`;
			description = mayRepeat
				? `${place.method} ${place.path} failed ${attempts === 1 ? 'once' : `${attempts} times`}${via}. Check the credential's region or base URL and the network.`
				: `The connection broke during ${place.method} ${place.path}${via}. Exotel may have applied the request before it broke, so it was not sent again: check in Exotel (or list the records) before running it again.`;
	}
	const error = new NodeApiError(node, { message: failure.message, code: failure.code ?? '' } as JsonObject, {
		itemIndex: place.itemIndex,
		description,
	});
	// Set after construction: NodeApiError swaps the message for generic text on common codes
	// (ECONNRESET: "You can retry the request immediately"), which is wrong for a POST that may have applied.
	error.message = message;
	return error;
}

/** The error that ends a run the user stopped. */
export function cancelledError(node: INode, place: RequestPlace, sent: boolean): NodeOperationError {
	return new NodeOperationError(
		node,
		sent
			? `The execution was cancelled while ${place.method} ${place.path} waited for Exotel's answer`
			: `The execution was cancelled; ${place.method} ${place.path} was not sent`,
		{ itemIndex: place.itemIndex },
	);
}
