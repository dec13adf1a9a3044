import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

export const description: INodeProperties[] = [];

export const customOperations: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> = {};
