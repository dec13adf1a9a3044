import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { collectCursorPages, v2BetaListShape } from '../../helpers/cursorPagination';

/** The v2_beta list of the account's ExoPhones (`incoming_phone_numbers`), paged by Exotel's cursor. */
export async function listExoPhones(context: IExecuteFunctions, itemIndex: number, maxRecords = Infinity): Promise<IDataObject[]> {
	return await collectCursorPages(
		context,
		{ method: 'GET', url: '/IncomingPhoneNumbers', api: 'v2_beta', itemIndex },
		v2BetaListShape('incoming_phone_numbers'),
		maxRecords,
	);
}
