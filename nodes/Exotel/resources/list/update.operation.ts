import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ECHOES, isAlreadyExists, runBulk } from '../../helpers/bulk';
import { bulkNotice } from '../../helpers/bulkNotice';
import { listLocator } from '../../helpers/fields';
import { inputError, sidFrom } from '../../helpers/validation';

const showOnlyForUpdate = { show: { resource: ['list'], operation: ['update'] } };

export const description: INodeProperties[] = [
	bulkNotice(showOnlyForUpdate),
	listLocator(showOnlyForUpdate, 'The list to update, one per input item; all are sent together'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showOnlyForUpdate,
		options: [
			{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'The new name, unique in the account' },
			{ displayName: 'Tag', name: 'tag', type: 'string', default: '' },
		],
	},
];

/** Updates every input item's list with bulk `PUT /lists`: one output item per input item, in order. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	return await runBulk.call(this, {
		noun: 'lists',
		method: 'PUT',
		toRecord: (itemIndex) => {
			const sid = sidFrom(node, itemIndex, 'List', this.getNodeParameter('listId', itemIndex), 'list');
			const { name, tag } = this.getNodeParameter('updateFields', itemIndex, {}) as { name?: string; tag?: string };
			const list: IDataObject = {};
			if (name !== undefined) {
				if (!String(name).trim()) throw inputError(node, itemIndex, 'Name', 'is empty');
				list.name = String(name).trim();
			}
			if (tag !== undefined) list.tag = tag;
			if (Object.keys(list).length === 0) {
				throw inputError(node, itemIndex, 'Update Fields', 'is empty', 'Add a new name or tag.');
			}
			return { url: '/lists', record: { sid, ...list } };
		},
		body: (lists) => ({ lists }),
		echo: ECHOES.sid,
		fieldAtFault: (result) => {
			if (isAlreadyExists(result)) return 'Name';
			if (result?.code === 404) return 'List';
			return undefined;
		},
	});
}
