import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit } from '../../helpers/fields';

export const exoPhoneLocator: INodeProperties = {
	displayName: 'ExoPhone',
	name: 'exoPhoneId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: "One of the account's ExoPhones (virtual numbers)",
	displayOptions: { show: { resource: ['exoPhone'], operation: ['get'] } },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an ExoPhone...',
			typeOptions: { searchListMethod: 'searchExoPhones', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: "e.g. the ExoPhone's SID, or its number +918047112345",
		},
	],
};

export const getManyFields: INodeProperties[] = returnAllAndLimit({
	show: { resource: ['exoPhone'], operation: ['getMany'] },
});
