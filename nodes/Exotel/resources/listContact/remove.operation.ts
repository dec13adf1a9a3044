import type { INodeProperties } from 'n8n-workflow';

import { contactIdField, listLocator } from '../../helpers/fields';

const showOnlyForRemove = { show: { resource: ['listContact'], operation: ['remove'] } };

export const description: INodeProperties[] = [
	listLocator(showOnlyForRemove, 'The list to remove the contact from'),
	contactIdField(showOnlyForRemove, 'The SID of the contact; it stays in the address book'),
];
