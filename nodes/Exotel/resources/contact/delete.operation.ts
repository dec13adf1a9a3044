import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { contactIdField } from '../../helpers/fields';
import type { PathSids } from '../../helpers/routing';

export const description: INodeProperties[] = [
	contactIdField(
		{ show: { resource: ['contact'], operation: ['delete'] } },
		'The SID of the contact to delete from the address book (and from every list it is in)',
	),
];

/** The output of a deleted contact. */
export const deleted = ({ contactId }: PathSids): IDataObject => ({ deleted: true, sid: contactId });
