import type { INodeProperties } from 'n8n-workflow';

// Filled in by the CSV upload work (issue 5).
export const description: INodeProperties[] = [];
export const customOperations = {};
