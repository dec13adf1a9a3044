/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Benchmark code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * One benchmark case in its own process, so that its CPU time and memory are the node's (and n8n's),
 * not the simulator's. Prints one JSON line: { wallMs, cpuMs, peakRssGrowthBytes, outputItems, errorItems }.
 */
import '../test/helpers/environment';

import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { storeBinaryFile } from '../test/helpers/binaryData';
import type { BinaryDataMode } from '../test/helpers/binaryData';
import { runExotel } from '../test/helpers/harness';
import { PerItemContactCreate, PerItemContactUpdate } from './perItemNode';
import { RequestHelperFloor } from './requestFloorNode';

interface CaseInput {
	name:
		| 'bulkCreate'
		| 'perItemCreate'
		| 'bulkUpdate'
		| 'perItemUpdate'
		| 'getManyAll'
		| 'getManyFloor'
		| 'csvFromItems'
		| 'csvFromBinary';
	count: number;
	bytes?: number;
	/** bulkUpdate, perItemUpdate: a JSON file of the contact SIDs to update (too many for an argument). */
	sidsFile?: string;
	/** csvFromBinary: where n8n keeps the file (in the item as base64, or on disk). */
	binaryMode?: BinaryDataMode;
	credentials: ICredentialDataDecryptedObject;
}

const input = JSON.parse(process.argv[2]) as CaseInput;

function phone(index: number) {
	return `+9198${String(index).padStart(8, '0')}`;
}

/**
 * A CSV file of about `bytes` bytes, as a binary item as n8n holds one in `mode`: in the item as base64,
 * or on disk (written in 1 MB pieces and stored by path, so this process never holds the file).
 */
async function csvBinaryItem(bytes: number, mode: BinaryDataMode): Promise<INodeExecutionData> {
	const header = 'number,first_name,last_name,company_name,email,tag\n';
	// Rows of ~140 bytes keep a 60 MB file under the 500,000 rows a dynamic list allows.
	const rowFor = (index: number) =>
		`${phone(index)},Firstname${String(index).padStart(8, '0')},Lastname${String(index).padStart(8, '0')},Company of contact number ${String(index % 97).padStart(3, '0')},user${String(index).padStart(8, '0')}@example.com,bench-tag-for-this-row\n`;
	const rowLength = rowFor(0).length;
	const rows = Math.floor((bytes - header.length) / rowLength);
	if (mode === 'filesystem') {
		const folder = mkdtempSync(join(tmpdir(), 'exotel-bench-'));
		const path = join(folder, 'bench.csv');
		const fd = openSync(path, 'w');
		const piece = Buffer.alloc(1024 * 1024);
		let used = piece.write(header);
		for (let index = 0; index < rows; index++) {
			if (used + rowLength > piece.length) {
				writeSync(fd, piece, 0, used);
				used = 0;
			}
			used += piece.write(rowFor(index % 1_000_000), used);
		}
		writeSync(fd, piece, 0, used);
		closeSync(fd);
		const binary = await storeBinaryFile(path, 'bench.csv');
		rmSync(folder, { recursive: true, force: true });
		return { json: {}, binary: { data: binary } };
	}
	const file = Buffer.alloc(header.length + rows * rowLength);
	let offset = file.write(header);
	for (let index = 0; index < rows; index++) offset += file.write(rowFor(index % 1_000_000), offset);
	return {
		json: {},
		binary: { data: { data: file.toString('base64'), mimeType: 'text/csv', fileName: 'bench.csv', fileSize: String(file.length) } },
	};
}

/**
 * Collects garbage until the resident size stops falling: V8 hands large freed buffers back to the
 * system after a collection, not during it, so one forced GC can leave the input's scratch buffers
 * in the baseline and understate the growth measured from it.
 */
async function settledRss(): Promise<number> {
	const gc = (global as { gc?: () => void }).gc;
	let last = process.memoryUsage().rss;
	for (let round = 0; round < 20 && gc; round++) {
		gc();
		await new Promise((resolve) => setTimeout(resolve, 50));
		const rss = process.memoryUsage().rss;
		if (rss > last - 1024 * 1024) return rss;
		last = rss;
	}
	return last;
}

async function main() {
	let items: IDataObject[] | INodeExecutionData[] = [{}];
	let parameters: INodeParameters = {};
	let nodeType;
	switch (input.name) {
		case 'bulkCreate':
		case 'perItemCreate':
			items = Array.from({ length: input.count }, (_, index) => ({ phone: phone(index), first_name: `F${index}` }));
			parameters =
				input.name === 'bulkCreate'
					? { resource: 'contact', operation: 'create', number: '={{ $json.phone }}', additionalFields: { firstName: '={{ $json.first_name }}' } }
					: { number: '={{ $json.phone }}' };
			if (input.name === 'perItemCreate') nodeType = new PerItemContactCreate();
			break;
		case 'bulkUpdate':
		case 'perItemUpdate': {
			const sids = (JSON.parse(readFileSync(String(input.sidsFile), 'utf8')) as string[]).slice(0, input.count);
			items = sids.map((sid, index) => ({ sid, tag: `retagged-${index % 10}` }));
			parameters =
				input.name === 'bulkUpdate'
					? { resource: 'contact', operation: 'update', contactId: '={{ $json.sid }}', updateFields: { tag: '={{ $json.tag }}' } }
					: { contactId: '={{ $json.sid }}', tag: '={{ $json.tag }}' };
			if (input.name === 'perItemUpdate') nodeType = new PerItemContactUpdate();
			break;
		}
		case 'getManyAll':
			parameters = { resource: 'contact', operation: 'getMany', returnAll: true };
			break;
		case 'getManyFloor':
			parameters = { records: input.count };
			nodeType = new RequestHelperFloor();
			break;
		case 'csvFromItems':
			items = Array.from({ length: input.count }, (_, index) => ({
				number: phone(index),
				first_name: `First${index}`,
				last_name: `Last, "${index}"`,
				company_name: `Company ${index % 97}`,
				email: `user${index}@example.com`,
				tag: 'bench',
			}));
			parameters = { resource: 'csvUpload', operation: 'upload', listName: 'bench-items', source: 'items', waitForCompletion: true, pollInterval: 0.2 };
			break;
		case 'csvFromBinary':
			items = [await csvBinaryItem(input.bytes ?? 60 * 1024 * 1024, input.binaryMode ?? 'memory')];
			parameters = { resource: 'csvUpload', operation: 'upload', listName: 'bench-binary', source: 'binary', waitForCompletion: true, pollInterval: 0.2, options: { type: 'dynamic' } };
			break;
	}

	// One small request first: the first request of a process loads n8n's request and authentication code
	// (about 6 MB), which is no part of what an upload costs in memory.
	if (input.name.startsWith('csv')) {
		await runExotel({ credentials: input.credentials, parameters: { resource: 'list', operation: 'getMany', returnAll: false, limit: 1 }, items: [{ json: {} }], onError: 'continueRegularOutput' });
	}
	(global as { gc?: () => void }).gc?.();
	const baselineRss = input.name.startsWith('csv') ? await settledRss() : process.memoryUsage().rss;
	let peakRss = baselineRss;
	const sampler = setInterval(() => {
		peakRss = Math.max(peakRss, process.memoryUsage().rss);
	}, 2);
	const cpuBefore = process.cpuUsage();
	const startedAtEpochMs = Date.now();
	const started = performance.now();
	const result = await runExotel({ credentials: input.credentials, parameters, items, nodeType, onError: 'continueRegularOutput' });
	const wallMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	clearInterval(sampler);
	peakRss = Math.max(peakRss, process.memoryUsage().rss);
	const errors = result.output.filter((item) => item.json.error !== undefined);
	process.stdout.write(
		`${JSON.stringify({
			wallMs,
			startedAtEpochMs,
			cpuMs: (cpu.user + cpu.system) / 1000,
			peakRssGrowthBytes: peakRss - baselineRss,
			outputItems: result.output.length,
			errorItems: errors.length,
			firstError: errors[0]?.json.error ?? result.error?.message,
		})}\n`,
	);
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack}\n`);
	process.exit(1);
});
