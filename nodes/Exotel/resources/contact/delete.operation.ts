import type { INodeProperties } from 'n8n-workflow';

import { contactIdField } from '../../helpers/fields';

export const description: INodeProperties[] = [
	contactIdField(
		{ show: { resource: ['contact'], operation: ['delete'] } },
		'The SID of the contact to delete from the address book (and from every list it is in)',
	),
];
