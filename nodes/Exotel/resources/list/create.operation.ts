import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ECHOES, isAlreadyExists, runBulk } from '../../helpers/bulk';
import { bulkNotice } from '../../helpers/bulkNotice';
import { onExistingOption } from '../../helpers/fields';
import { inputError } from '../../helpers/validation';
import { findListsByName } from './existing';

const showOnlyForCreate = { show: { resource: ['list'], operation: ['create'] } };

export const description: INodeProperties[] = [
	bulkNotice(showOnlyForCreate),
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. November renewals',
		description: 'Unique in the account; for a name that exists already, see the If It Already Exists option',
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyForCreate,
		options: [onExistingOption('a list with the name exists', 'the existing list (found by its exact name)')],
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const onExisting = this.getNodeParameter('options.onExisting', 0, 'useExisting') as string;
	return await runBulk.call(this, {
		noun: 'lists',
		toRecord: (itemIndex) => {
			const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
			if (!name) throw inputError(node, itemIndex, 'Name', 'is empty');
			const { tag } = this.getNodeParameter('additionalFields', itemIndex, {}) as { tag?: string };
			return { url: '/lists', record: tag ? { name, tag } : { name } };
		},
		body: (lists) => ({ lists }),
		echo: ECHOES.name,
		fieldAtFault: (result) => (isAlreadyExists(result) ? 'Name' : undefined),
		existing: {
			useExisting: onExisting !== 'error',
			find: async (answers, saved) => {
				// A name given twice in the input was created by this run: no lookup needed for it.
				const byName = new Map(saved.map((list) => [String(list.name), list]));
				const unknown = [...new Set(answers.map(({ record }) => String(record.name)))].filter((name) => !byName.has(name));
				for (const [name, list] of await findListsByName(this, unknown)) byName.set(name, list);
				const found = new Map<number, IDataObject>();
				for (const { itemIndex, record } of answers) {
					const list = byName.get(String(record.name));
					if (list) found.set(itemIndex, list);
				}
				return found;
			},
		},
	});
}
