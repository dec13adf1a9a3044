import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../helpers/validation';
import type { PollOptions } from '../../helpers/polling';
import { checkCsvPollOptions } from './status';

export interface UploadSettings {
	listName: string;
	type: 'static' | 'dynamic';
	/** Set when the node waits for Exotel to finish the import. */
	wait?: PollOptions;
}

/**
 * Whether and how an item's upload waits. Version 1.1 has a top-level toggle with its interval and
 * max wait under it; version 1 kept all three in Options, and workflows saved with it still wait as
 * they were told to (n8n keeps only the parameters a node version shows, so each version reads its own).
 */
function readWait(context: IExecuteFunctions, itemIndex: number, options: IDataObject): PollOptions | undefined {
	if (options.waitForCompletion === true) return checkCsvPollOptions(context, itemIndex, options);
	if (context.getNodeParameter('waitForCompletion', itemIndex, false) !== true) return undefined;
	return checkCsvPollOptions(context, itemIndex, {
		pollInterval: context.getNodeParameter('pollInterval', itemIndex, undefined),
		timeout: context.getNodeParameter('timeout', itemIndex, undefined),
	});
}

/** An item's upload settings, checked: list name, list type, waiting. */
export function readSettings(context: IExecuteFunctions, itemIndex: number): UploadSettings {
	const node = context.getNode();
	const listName = String(context.getNodeParameter('listName', itemIndex, '') ?? '').trim();
	if (!listName) throw inputError(node, itemIndex, 'List Name', 'is empty', 'Give the name of the list to upload the contacts into.');
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const type = String(options.type ?? 'static');
	if (type !== 'static' && type !== 'dynamic') {
		throw inputError(node, itemIndex, 'List Type', `"${type}" is not static or dynamic`);
	}
	return { listName, type, wait: readWait(context, itemIndex, options) };
}
