import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { MAX_RECORDS_PER_REQUEST } from './bulk';

/** 5000 → "5,000" (written out rather than toLocaleString, whose result depends on the ICU build). */
const withThousands = (count: number) => String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The one wording of the notice every bulk operation shows (Contact and List Create/Update, List Contact Add). */
export const BULK_NOTICE_TEXT = `All input items go to Exotel together, up to ${withThousands(MAX_RECORDS_PER_REQUEST)} in one request: 1,000 items cost one request of your Exotel rate limit, not 1,000.`;

export function bulkNotice(displayOptions: IDisplayOptions): INodeProperties {
	return { displayName: BULK_NOTICE_TEXT, name: 'bulkNotice', type: 'notice', default: '', displayOptions };
}
