import type { IDataObject, INode } from 'n8n-workflow';

import { checkEmail, normalizePhoneNumber, parseCustomFields } from './validation';

/** The node's field names and Exotel's, for the fields a contact has. */
export const CONTACT_FIELD_NAMES = {
	firstName: 'first_name',
	lastName: 'last_name',
	companyName: 'company_name',
	email: 'email',
	tag: 'tag',
} as const;

/**
 * Exotel's contact body from the node's fields (create's `additionalFields`, update's `updateFields`),
 * checked the same way for both; `defaultCountryCode` is the `options.defaultCountryCode` option.
 */
export function toContactBody(
	node: INode,
	itemIndex: number,
	fields: IDataObject,
	defaultCountryCode?: unknown,
): IDataObject {
	const body: IDataObject = {};
	if (fields.number !== undefined) {
		body.number = normalizePhoneNumber(node, itemIndex, 'Phone Number', fields.number, defaultCountryCode);
	}
	for (const [name, exotelName] of Object.entries(CONTACT_FIELD_NAMES)) {
		const value = fields[name];
		if (value === undefined || value === '') continue;
		body[exotelName] = name === 'email' ? checkEmail(node, itemIndex, 'Email', value) : String(value);
	}
	if (fields.customFields !== undefined && fields.customFields !== '') {
		body.custom_field = parseCustomFields(node, itemIndex, fields.customFields);
	}
	return body;
}
