import type { INodeProperties } from 'n8n-workflow';

import { listLocator, returnAllAndLimit } from '../../helpers/fields';

const showOnlyForGetMany = { show: { resource: ['listContact'], operation: ['getMany'] } };

export const description: INodeProperties[] = [
	listLocator(showOnlyForGetMany),
	...returnAllAndLimit(showOnlyForGetMany),
];
