/* eslint-disable @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
import { Container } from '@n8n/di';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BinaryDataConfig, BinaryDataService, FileLocation } from 'n8n-core';
import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

/**
 * n8n keeps binary data in one of two ways a node sees: in the item as base64 ('memory', what the
 * engine does when no store is set up) or in a store under an `id` ('filesystem', n8n 2.x's default;
 * S3 and the database behave the same for a node). The tests and the benchmark run both.
 */
export type BinaryDataMode = 'memory' | 'filesystem';
export const BINARY_DATA_MODES: BinaryDataMode[] = ['memory', 'filesystem'];

let storagePath: string | undefined;

/**
 * Sets up n8n-core's BinaryDataService (a process-wide singleton) to keep binaries on disk under a
 * temporary folder, as n8n does with N8N_DEFAULT_BINARY_DATA_MODE=filesystem. Items with inline
 * base64 still work afterwards: the node reads either kind.
 */
export async function useFilesystemBinaryData(): Promise<string> {
	if (storagePath) return storagePath;
	const path = mkdtempSync(join(tmpdir(), 'n8n-exotel-binary-'));
	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.localStoragePath = path;
	await Container.get(BinaryDataService).init();
	storagePath = path;
	return path;
}

/** Removes the temporary folder of `useFilesystemBinaryData`. */
export function removeFilesystemBinaryData(): void {
	if (storagePath) rmSync(storagePath, { recursive: true, force: true });
	storagePath = undefined;
}

/** A binary as n8n's store holds it: `{ id: 'filesystem-v2:…', fileSize, … }`, the bytes on disk. */
export async function storeBinary(content: Buffer, fileName: string, mimeType = 'text/csv'): Promise<IBinaryData> {
	await useFilesystemBinaryData();
	return await Container.get(BinaryDataService).store(FileLocation.ofExecution('test-workflow', 'test-execution'), content, {
		data: '',
		mimeType,
		fileName,
	});
}

/** A file already on disk stored as n8n stores a file it reads: copied by path, never read into memory. */
export async function storeBinaryFile(path: string, fileName: string, mimeType = 'text/csv'): Promise<IBinaryData> {
	await useFilesystemBinaryData();
	return await Container.get(BinaryDataService).copyBinaryFile(
		FileLocation.ofExecution('test-workflow', 'test-execution'),
		{ data: '', mimeType, fileName },
		path,
	);
}

/** An input item carrying `content` as a binary field, kept the way `mode` keeps it. */
export async function binaryItem(
	mode: BinaryDataMode,
	content: string | Buffer,
	fileName = 'x.csv',
	property = 'data',
): Promise<INodeExecutionData> {
	const buffer = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
	const binary =
		mode === 'memory'
			? { data: buffer.toString('base64'), mimeType: 'text/csv', fileName, fileSize: String(buffer.length) }
			: await storeBinary(buffer, fileName);
	return { json: { file: fileName }, binary: { [property]: binary } };
}
