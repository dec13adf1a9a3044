import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItemRecords } from '../../helpers/errors';
import { getManyFields } from './fields';
import { listExoPhones } from './records';

export const description: INodeProperties[] = getManyFields;

/** The account's ExoPhones, one output item each, as Exotel gives them (snake_case). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItemRecords(this, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
		return await listExoPhones(this, itemIndex, limit);
	});
}
