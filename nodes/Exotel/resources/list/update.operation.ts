import type { IDataObject, IExecuteSingleFunctions, INodeProperties } from 'n8n-workflow';

import { listLocator } from '../../helpers/fields';
import { inputError } from '../../helpers/validation';

const showOnlyForUpdate = { show: { resource: ['list'], operation: ['update'] } };

export const description: INodeProperties[] = [
	listLocator(showOnlyForUpdate),
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

export function body(context: IExecuteSingleFunctions, itemIndex: number): IDataObject {
	const { name, tag } = context.getNodeParameter('updateFields', {}) as { name?: string; tag?: string };
	const list: IDataObject = {};
	if (name !== undefined) {
		if (!String(name).trim()) throw inputError(context.getNode(), itemIndex, 'Name', 'is empty');
		list.name = String(name).trim();
	}
	if (tag !== undefined) list.tag = tag;
	if (Object.keys(list).length === 0) {
		throw inputError(context.getNode(), itemIndex, 'Update Fields', 'is empty', 'Add a new name or tag.');
	}
	return list;
}
