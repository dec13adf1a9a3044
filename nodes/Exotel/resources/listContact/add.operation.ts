import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runBulk } from '../../helpers/bulk';
import { contactIdField, listLocator } from '../../helpers/fields';
import { checkSid, listSidFrom } from '../../helpers/validation';

const showOnlyForAdd = { show: { resource: ['listContact'], operation: ['add'] } };

export const description: INodeProperties[] = [
	listLocator(showOnlyForAdd, 'The list to add the contacts to'),
	contactIdField(showOnlyForAdd, 'The SID of the contact to add, one per input item, e.g. {{ $json.sid }} after Contact → Create'),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	return await runBulk.call(this, {
		noun: 'contacts',
		toRecord: (itemIndex) => {
			const listSid = listSidFrom(node, itemIndex, 'List', this.getNodeParameter('listId', itemIndex));
			const contactSid = checkSid(node, itemIndex, 'Contact ID', this.getNodeParameter('contactId', itemIndex));
			return { url: `/lists/${encodeURIComponent(listSid)}/contacts`, record: { contact_sid: contactSid } };
		},
		body: (references) => ({ contact_references: references }),
	});
}
