import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ECHOES, isAlreadyExists, runBulk } from '../../helpers/bulk';
import { bulkNotice } from '../../helpers/bulkNotice';
import { contactIdField, listLocator, onExistingOption } from '../../helpers/fields';
import { sidFrom } from '../../helpers/validation';

const showOnlyForAdd = { show: { resource: ['listContact'], operation: ['add'] } };

export const description: INodeProperties[] = [
	bulkNotice(showOnlyForAdd),
	listLocator(showOnlyForAdd, 'The list to add the contacts to'),
	contactIdField(showOnlyForAdd, 'The SID of the contact to add, one per input item, e.g. {{ $json.sid }} after Contact → Create'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyForAdd,
		options: [
			onExistingOption(
				'the contact is already in the list',
				'the membership as if it had been added (the contact\'s "sid" and the "list_id")',
			),
		],
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const onExisting = this.getNodeParameter('options.onExisting', 0, 'useExisting') as string;
	const listOfUrl = new Map<string, string>();
	return await runBulk.call(this, {
		noun: 'contacts',
		toRecord: (itemIndex) => {
			const listSid = sidFrom(node, itemIndex, 'List', this.getNodeParameter('listId', itemIndex), 'list');
			const contactSid = sidFrom(node, itemIndex, 'Contact ID', this.getNodeParameter('contactId', itemIndex), 'contact');
			const url = `/lists/${encodeURIComponent(listSid)}/contacts`;
			listOfUrl.set(url, listSid);
			return { url, record: { contact_sid: contactSid } };
		},
		body: (references) => ({ contact_references: references }),
		echo: ECHOES.contactSid,
		fieldAtFault: (result) => (result?.code === 404 || isAlreadyExists(result) ? 'Contact ID' : undefined),
		existing: {
			useExisting: onExisting !== 'error',
			// Exotel answers an existing member with an error and no record: the membership is what
			// adding it would have given (Exotel's record when the answer carries one).
			find: async (answers) =>
				new Map(
					answers.map(({ itemIndex, url, record, result }) => [
						itemIndex,
						typeof result.data?.sid === 'string'
							? (result.data as IDataObject)
							: { sid: record.contact_sid, list_id: listOfUrl.get(url) },
					]),
				),
		},
	});
}
