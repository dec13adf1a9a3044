import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, INodeParameterResourceLocator } from 'n8n-workflow';

import { InvalidCountryCode, InvalidPhoneNumber, normalizePhoneNumber as normalizeNumber } from './phoneNumber';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A list's URI, e.g. `/v2/accounts/acme/lists/<sid>`, as Exotel returns it in `uri`. */
const LIST_URI = /\/lists\/([^/?#\s]+)\/?(?:[?#].*)?$/;

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

/**
 * A phone number as Exotel takes it (rules in `phoneNumber.ts`), or an error naming the item and the
 * field; `defaultCountryCode` (digits, e.g. `91`) turns numbers without `+` into E.164.
 */
export function normalizePhoneNumber(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
	defaultCountryCode?: unknown,
): string {
	const raw = value === undefined || value === null ? '' : String(value).trim();
	try {
		return normalizeNumber(raw, defaultCountryCode === undefined || defaultCountryCode === null ? undefined : String(defaultCountryCode));
	} catch (error) {
		if (error instanceof InvalidCountryCode) {
			throw inputError(node, itemIndex, 'Default Country Code', `"${String(defaultCountryCode)}" ${error.reason}`);
		}
		if (error instanceof InvalidPhoneNumber) {
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
