import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { contactIdField, listLocator } from '../../helpers/fields';
import type { PathSids } from '../../helpers/routing';

const showOnlyForRemove = { show: { resource: ['listContact'], operation: ['remove'] } };

export const description: INodeProperties[] = [
	listLocator(showOnlyForRemove, 'The list to remove the contact from'),
	contactIdField(showOnlyForRemove, 'The SID of the contact; it stays in the address book'),
];

/** The output of a removed membership: the contact's `sid` and the `list_id`, as List Contact → Add gives them. */
export const deleted = ({ contactId, listId }: PathSids): IDataObject => ({ deleted: true, sid: contactId, list_id: listId });
