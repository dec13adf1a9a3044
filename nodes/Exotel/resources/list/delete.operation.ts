import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { listLocator } from '../../helpers/fields';
import type { PathSids } from '../../helpers/routing';

export const description: INodeProperties[] = [
	listLocator(
		{ show: { resource: ['list'], operation: ['delete'] } },
		'The list to delete; its contacts stay in the address book',
	),
];

/** The output of a deleted list. */
export const deleted = ({ listId }: PathSids): IDataObject => ({ deleted: true, sid: listId });
