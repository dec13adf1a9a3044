import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** The list picker: search the account's lists by name, or paste a SID or a list's URI. */
export function listLocator(displayOptions: IDisplayOptions, description?: string): INodeProperties {
	return {
		displayName: 'List',
		name: 'listId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a list...',
				typeOptions: { searchListMethod: 'searchLists', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: "e.g. 5f392c92b4c9414d940e70e1ff25ad41 or the list's URI",
			},
		],
	};
}

export function contactIdField(displayOptions: IDisplayOptions, description: string): INodeProperties {
	return {
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 4440b6e1a85f489b87d76d8779956caf',
		description,
		displayOptions,
	};
}

/** Return All and Limit for a getMany, in the shape every n8n node uses. */
export function returnAllAndLimit(displayOptions: IDisplayOptions): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { ...displayOptions, show: { ...displayOptions.show, returnAll: [false] } },
		},
	];
}

export function sortByOptions(fields: Array<{ name: string; value: string }>) {
	return fields.flatMap(({ name, value }) => [
		{ name: `${name} (Ascending)`, value: `${value}:asc` },
		{ name: `${name} (Descending)`, value: `${value}:desc` },
	]);
}

/** `options.defaultCountryCode`: makes numbers without `+` E.164 (contact create and update, CSV from items). */
export const defaultCountryCodeOption: INodeProperties = {
	displayName: 'Default Country Code',
	name: 'defaultCountryCode',
	type: 'string',
	default: '',
	placeholder: 'e.g. 91',
	description:
		'Digits of the country code to give numbers written without + (9876543210 or 09876543210 become +919876543210). Empty: such numbers go to Exotel as written, and Exotel matches them to a country.',
};

/** `options.onExisting`: what an item whose record already exists gives (the creates and list add). */
export function onExistingOption(alreadyExists: string, useExistingGives: string): INodeProperties {
	return {
		displayName: 'If It Already Exists',
		name: 'onExisting',
		type: 'options',
		default: 'useExisting',
		description: `What to do when ${alreadyExists}`,
		options: [
			{
				name: 'Use Existing',
				value: 'useExisting',
				description: `The item succeeds with ${useExistingGives}, marked "existing": true`,
			},
			{
				name: 'Error',
				value: 'error',
				description: "The item fails with Exotel's 409 (code 1008)",
			},
		],
	};
}
