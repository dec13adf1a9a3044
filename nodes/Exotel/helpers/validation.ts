import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, INodeParameterResourceLocator } from 'n8n-workflow';

/** E.164: `+`, a country code that does not start with 0, 8 to 15 digits in all. */
const E164 = /^\+[1-9]\d{7,14}$/;
/** An Indian-style landline with its STD code: a leading 0, then 8 to 15 digits in all. */
const LANDLINE = /^0\d{7,14}$/;
/** Separators people type into phone numbers and that Exotel does not want. */
const NUMBER_SEPARATORS = /[\s\-().]/g;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A list's URI, e.g. `/v2/accounts/acme/lists/<sid>`, as Exotel returns it in `uri`. */
const LIST_URI = /\/lists\/([^/?#\s]+)\/?(?:[?#].*)?$/;

export function inputError(node: INode, itemIndex: number, field: string, problem: string, hint?: string) {
	return new NodeOperationError(node, `Item ${itemIndex + 1}: ${field} ${problem}`, {
		itemIndex,
		description: hint,
	});
}

/** A phone number as Exotel wants it: separators removed, then E.164 or a landline with STD code. */
export function normalizePhoneNumber(node: INode, itemIndex: number, field: string, value: unknown): string {
	const raw = value === undefined || value === null ? '' : String(value).trim();
	if (!raw) {
		throw inputError(node, itemIndex, field, 'is empty', 'Every contact needs a phone number, e.g. +919876543210.');
	}
	const number = raw.replace(NUMBER_SEPARATORS, '');
	if (!E164.test(number) && !LANDLINE.test(number)) {
		throw inputError(
			node,
			itemIndex,
			field,
			`"${raw}" is not a phone number Exotel accepts`,
			'Use E.164 (a + and the country code, 8 to 15 digits, e.g. +919876543210) or a landline with its STD code (e.g. 08012345678).',
		);
	}
	return number;
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

/** A record SID for a URL path: present, and free of characters that would change the path. */
export function checkSid(node: INode, itemIndex: number, field: string, value: unknown): string {
	const sid = value === undefined || value === null ? '' : String(value).trim();
	if (!sid) throw inputError(node, itemIndex, field, 'is empty');
	if (/[/?#\s]/.test(sid)) {
		throw inputError(node, itemIndex, field, `"${sid}" is not a SID: it contains "/", "?", "#" or a space`);
	}
	return sid;
}

/** A list SID from the list picker, a pasted SID, or a list's `uri`. */
export function listSidFrom(
	node: INode,
	itemIndex: number,
	field: string,
	value: INodeParameterResourceLocator | string | unknown,
): string {
	const raw =
		value !== null && typeof value === 'object' && 'value' in (value as IDataObject)
			? (value as INodeParameterResourceLocator).value
			: value;
	const text = raw === undefined || raw === null ? '' : String(raw).trim();
	const fromUri = LIST_URI.exec(text);
	return checkSid(node, itemIndex, field, fromUri ? fromUri[1] : text);
}
