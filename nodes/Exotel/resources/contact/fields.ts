import type { INodeProperties } from 'n8n-workflow';

import { isAlreadyExists } from '../../helpers/bulk';
import type { ExotelResult } from '../../transport/types';

/** The optional fields of a contact, shared by create (Additional Fields) and update (Update Fields). */
export const contactFieldOptions: INodeProperties[] = [
	{ displayName: 'Company Name', name: 'companyName', type: 'string', default: '' },
	{
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'json',
		default: '{}',
		description: 'Any key/value pairs to keep on the contact, as a JSON object, e.g. {"plan": "gold"}',
	},
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{ displayName: 'Tag', name: 'tag', type: 'string', default: '', description: 'A label to group contacts by' },
];

/** Exotel's contact fields and the node's names for them, to say which field a rejection is about. */
const FIELD_NAMES: Array<[RegExp, string]> = [
	[/\bnumber\b/i, 'Phone Number'],
	[/\bemail\b/i, 'Email'],
	[/\bfirst_name\b/i, 'First Name'],
	[/\blast_name\b/i, 'Last Name'],
	[/\bcompany_name\b/i, 'Company Name'],
	[/\btag\b/i, 'Tag'],
	[/\bcustom_field\b/i, 'Custom Fields'],
	[/\bsid\b|\bcontact\b.*not found/i, 'Contact ID'],
];

/** The field a rejected contact is about: its number when it exists (409), else what Exotel's text names. */
export function contactFieldAtFault(result: ExotelResult | undefined): string | undefined {
	if (isAlreadyExists(result)) return 'Phone Number';
	const text = `${result?.error_data?.description ?? ''} ${result?.error_data?.message ?? ''}`;
	return FIELD_NAMES.find(([pattern]) => pattern.test(text))?.[1];
}
