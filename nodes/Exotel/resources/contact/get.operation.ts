import type { INodeProperties } from 'n8n-workflow';

import { contactIdField } from '../../helpers/fields';

export const description: INodeProperties[] = [
	contactIdField(
		{ show: { resource: ['contact'], operation: ['get'] } },
		'The SID of the contact, e.g. from the output of Create',
	),
];
