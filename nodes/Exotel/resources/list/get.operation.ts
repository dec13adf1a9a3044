import type { INodeProperties } from 'n8n-workflow';

import { listLocator } from '../../helpers/fields';

export const description: INodeProperties[] = [
	listLocator({ show: { resource: ['list'], operation: ['get'] } }),
];
