import type { INodeProperties } from 'n8n-workflow';

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
