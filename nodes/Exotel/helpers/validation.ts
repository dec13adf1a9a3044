import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, INodeParameterResourceLocator } from 'n8n-workflow';

import { InvalidCountryCode, InvalidPhoneNumber, phoneNumberToSend } from './phoneNumber';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * An error in an item's input, naming the item (1-based, as n8n shows it) and the field. The field is
 * also kept in the error's context, where error items read it (`details.field`).
 */
export function inputError(node: INode, itemIndex: number, field: string, problem: string, hint?: string) {
	const error = new NodeOperationError(node, `Item ${itemIndex + 1}: ${field} ${problem}`, {
		itemIndex,
		description: hint,
	});
	error.context.field = field;
	return error;
}

/** A value as an error message shows it: text trimmed, numbers as written, anything else as JSON. */
function valueText(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
	try {
		return JSON.stringify(value) ?? typeof value;
	} catch {
		return typeof value;
	}
}

/**
 * A phone number as Exotel takes it (rules in `phoneNumber.ts`), or an error naming the item and the
 * field; `defaultCountryCode` (digits, e.g. `91`) turns numbers without `+` into E.164. `value` may be
 * a JSON number, as a sheet column gives it.
 */
export function normalizePhoneNumber(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
	defaultCountryCode?: unknown,
): string {
	try {
		return phoneNumberToSend(value, defaultCountryCode);
	} catch (error) {
		if (error instanceof InvalidCountryCode) {
			throw inputError(node, itemIndex, 'Default Country Code', `"${valueText(defaultCountryCode)}" ${error.reason}`);
		}
		if (error instanceof InvalidPhoneNumber) {
			const raw = valueText(value);
			if (!raw) throw inputError(node, itemIndex, field, 'is empty', error.hint);
			throw inputError(node, itemIndex, field, `"${raw}" is not a phone number: ${error.reason}`, error.hint);
		}
		throw inputError(node, itemIndex, field, `could not be checked: ${(error as Error).message}`);
	}
}

export function checkEmail(node: INode, itemIndex: number, field: string, value: unknown): string {
	const email = String(value ?? '').trim();
	if (!EMAIL.test(email)) {
		throw inputError(node, itemIndex, field, `"${email}" is not an email address`);
	}
	return email;
}

/** Custom fields as Exotel stores them: a JSON object, given as an object or as JSON text. */
export function parseCustomFields(node: INode, itemIndex: number, value: unknown): IDataObject {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw inputError(node, itemIndex, 'Custom Fields', 'is not valid JSON', 'Write a JSON object, e.g. {"plan": "gold"}.');
		}
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw inputError(node, itemIndex, 'Custom Fields', 'must be a JSON object', 'Write a JSON object, e.g. {"plan": "gold"}.');
	}
	return parsed as IDataObject;
}

/** The records a user can name by ID; each is read by `sidFrom`. */
export type IdResource = 'contact' | 'list' | 'campaign' | 'upload' | 'call' | 'sms' | 'exoPhone';

/**
 * What each resource is called in messages, and the collection segment(s) its URIs put before the
 * SID: v2 (`/v2/accounts/<account>/lists/<sid>`), v1 (`/v1/Accounts/<account>/Calls/<sid>`, also
 * `Calls.json/<sid>` and `Calls/<sid>.json`), or a CSV upload's status URL (`/csv-status/<id>`).
 */
const ID_RESOURCES: Record<IdResource, { a: 'a' | 'an'; name: string; uri: string; collection: string; v1?: true }> = {
	contact: { a: 'a', name: 'contact ID', uri: 'URI', collection: 'contacts' },
	list: { a: 'a', name: 'list ID', uri: 'URI', collection: 'lists' },
	campaign: { a: 'a', name: 'campaign ID', uri: 'URI', collection: 'campaigns' },
	upload: { a: 'an', name: 'upload ID', uri: 'status URL', collection: 'csv-status' },
	call: { a: 'a', name: 'call SID', uri: 'URI', collection: 'Calls', v1: true },
	sms: { a: 'an', name: 'SMS SID', uri: 'URI', collection: 'Messages', v1: true },
	exoPhone: { a: 'an', name: 'ExoPhone ID', uri: 'URI', collection: 'IncomingPhoneNumbers', v1: true },
};

/**
 * The characters of every SID and ID Exotel gives (32 hex digits for contacts, lists, campaigns and
 * calls; letters and digits for ExoPhones and uploads), plus `_` and `-`. Nothing here can change a
 * URL path: no `/`, `.`, `%`, `?`, `#` or space.
 */
const SID = /^[A-Za-z0-9_-]{1,128}$/;

/** A value for an error message: quoted, and cut short so that a pasted page does not fill the error. */
function shown(text: string): string {
	return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/** The value of a resource locator (`{ __rl, mode, value }`), or the value itself. */
export function locatorValue(value: unknown): unknown {
	return value !== null && typeof value === 'object' && 'value' in (value as IDataObject)
		? (value as INodeParameterResourceLocator).value
		: value;
}

/**
 * The path segments of a URI or URL (scheme, host, query and fragment dropped), each percent-decoded
 * once; undefined when a segment is not valid percent-encoding.
 */
function uriSegments(text: string): string[] | undefined {
	const path = text.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').replace(/[?#].*$/s, '');
	const segments: string[] = [];
	for (const raw of path.split('/')) {
		try {
			segments.push(decodeURIComponent(raw));
		} catch {
			return undefined;
		}
	}
	// `/lists/<sid>/` is the same record as `/lists/<sid>`.
	while (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
	return segments;
}

/**
 * The SID of a record for a URL path, from a resource locator, a plain SID or ID, or a URI/URL of that
 * resource as Exotel gives it (the SID is its last segment). Anything else is an error naming the item
 * and the field, before any request: an ID has only letters, digits, `_` and `-`, so `.`, `..` and
 * `/`, percent-encoded or not, never reach a path; a URI must be of this resource and hold no dot
 * segment at all.
 */
export function sidFrom(node: INode, itemIndex: number, field: string, value: unknown, resource: IdResource): string {
	const { a, name, uri, collection, v1 } = ID_RESOURCES[resource];
	const raw = locatorValue(value);
	if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number') {
		throw inputError(node, itemIndex, field, `${shown(valueText(raw))} is not ${a} ${name}: it is not text`);
	}
	const text = raw === undefined || raw === null ? '' : String(raw).trim();
	if (!text) throw inputError(node, itemIndex, field, 'is empty');
	if (SID.test(text)) return text;
	if (!text.includes('/')) {
		throw inputError(
			node,
			itemIndex,
			field,
			`${shown(text)} is not ${a} ${name}: an ID has only letters, digits, "_" and "-"`,
			`Paste the ${name} (e.g. 4440b6e1a85f489b87d76d8779956caf) or its ${uri}.`,
		);
	}
	const segments = uriSegments(text);
	const notUri = (why: string) =>
		inputError(node, itemIndex, field, `${shown(text)} is not ${a} ${name} or ${uri}: ${why}`, `Paste the ${name} or its ${uri} as Exotel gives it.`);
	if (!segments) throw notUri('it has a malformed %-escape');
	if (segments.some((segment) => /^\s*\.{1,2}\s*$/.test(segment) || /[/\\%]/.test(segment))) {
		throw notUri('it has a "." or ".." segment, or an encoded "/", "\\" or "%"');
	}
	const parent = segments.length < 2 ? '' : segments[segments.length - 2].toLowerCase();
	if (parent !== collection.toLowerCase() && !(v1 && parent === `${collection.toLowerCase()}.json`)) {
		throw notUri(`it does not end in …/${collection}/<id>`);
	}
	let sid = segments[segments.length - 1];
	// v1 URIs also come as `Calls/<sid>.json`.
	if (v1 && /\.json$/i.test(sid)) sid = sid.slice(0, -'.json'.length);
	if (!SID.test(sid)) throw notUri(`its last segment ${shown(sid)} has characters other than letters, digits, "_" and "-"`);
	return sid;
}

/** An http(s) URL as typed, or an error naming the item and the field. */
export function urlField(node: INode, itemIndex: number, field: string, value: unknown): string {
	const text = String(value).trim();
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw inputError(node, itemIndex, field, `"${text}" is not an http(s) URL`);
	}
	return text;
}

export function wholeNumber(node: INode, itemIndex: number, field: string, value: unknown, min: number, max = Infinity): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < min || number > max) {
		const range = max === Infinity ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
		throw inputError(node, itemIndex, field, `must be ${range}, got "${String(value)}"`);
	}
	return number;
}
