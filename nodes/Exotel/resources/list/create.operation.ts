import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runBulk } from '../../helpers/bulk';
import { inputError } from '../../helpers/validation';

const showOnlyForCreate = { show: { resource: ['list'], operation: ['create'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. November renewals',
		description: 'Must be unique in the account; a name that exists already is rejected for that item',
		displayOptions: showOnlyForCreate,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showOnlyForCreate,
		options: [{ displayName: 'Tag', name: 'tag', type: 'string', default: '' }],
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	return await runBulk.call(this, {
		noun: 'lists',
		toRecord: (itemIndex) => {
			const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
			if (!name) throw inputError(node, itemIndex, 'Name', 'is empty');
			const { tag } = this.getNodeParameter('additionalFields', itemIndex, {}) as { tag?: string };
			return { url: '/lists', record: tag ? { name, tag } : { name } };
		},
		body: (lists) => ({ lists }),
	});
}
