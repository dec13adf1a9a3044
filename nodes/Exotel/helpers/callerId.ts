import type { IDisplayOptions, INode, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';

import { inputError, locatorValue } from './validation';

export interface CallerIdFieldOptions {
	/** Parameter name (`callerId`, SMS `from`). */
	name?: string;
	displayName?: string;
	description?: string;
	required?: boolean;
	/** Left out inside a collection, whose own display options apply. */
	displayOptions?: IDisplayOptions;
}

/**
 * A caller ID (or SMS sender) field: pick one of the account's ExoPhones, or type a number or an
 * expression. Workflows saved before the picker hold a plain string here: callerIdFrom reads both.
 */
export function callerIdField(options: CallerIdFieldOptions = {}): INodeProperties {
	return {
		displayName: options.displayName ?? 'Caller ID',
		name: options.name ?? 'callerId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? true,
		description: options.description ?? 'The ExoPhone the called number sees',
		...(options.displayOptions ? { displayOptions: options.displayOptions } : {}),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an ExoPhone...',
				typeOptions: { searchListMethod: 'searchExoPhones', searchable: true },
			},
			{
				displayName: 'Number',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 08047112345',
			},
		],
	};
}

/** The caller ID an item gives, from the picker, a typed number, an expression or a plain string; never empty. */
export function callerIdFrom(
	node: INode,
	itemIndex: number,
	value: INodeParameterResourceLocator | unknown,
	field = 'Caller ID',
): string {
	const raw = locatorValue(value);
	const callerId = raw === undefined || raw === null ? '' : String(raw).trim();
	if (!callerId) throw inputError(node, itemIndex, field, 'is empty', 'Pick one of your ExoPhones, or type its number.');
	if (/[\r\n]/.test(callerId)) throw inputError(node, itemIndex, field, `"${callerId}" is not an ExoPhone: it spans several lines`);
	return callerId;
}
