/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Benchmark code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules and child processes */
/**
 * Call history benchmark: Call → Get Many (Return All) over 10,000 calls, beside the floor (the same
 * cursor pages through n8n's request helper and nothing else). bench/run.ts calls benchCallHistory;
 * each case runs in its own process (this file, given a JSON argument), so its CPU time is the node's.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import type { ExotelSimulator } from '../test/simulator/server';

const CALLS = 10_000;
const PAGE_SIZE = 100;

interface CallCase {
	name: 'callsGetMany' | 'callsFloor';
	credentials: ICredentialDataDecryptedObject;
}

interface CallCaseResult {
	wallMs: number;
	cpuMs: number;
	outputItems: number;
	errorItems: number;
	firstError?: string;
}

/**
 * The floor for call history: `GET Calls.json` at 100 a page, following `Metadata.NextPageUri`'s query,
 * through n8n's authenticated request helper with nothing else (no pacing, retries, answer checks or error items).
 */
class CallHistoryFloor implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Call history floor',
		name: 'exotel',
		group: ['output'],
		version: 1,
		usableAsTool: true,
		description: 'GET Calls.json page after page through helpers.httpRequestWithAuthentication',
		defaults: { name: 'Floor' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'exotelApi', required: true }],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('exotelApi');
		const url = `${String(credentials.baseUrl)}/v1/Accounts/${String(credentials.accountSid)}/Calls.json`;
		const output: INodeExecutionData[] = [];
		let qs: IDataObject = { PageSize: PAGE_SIZE };
		for (;;) {
			const page = (await this.helpers.httpRequestWithAuthentication.call(this, 'exotelApi', {
				method: 'GET',
				url,
				qs,
				json: true,
			})) as { Calls?: IDataObject[]; Metadata?: { NextPageUri?: string | null } };
			for (const call of page.Calls ?? []) output.push({ json: call, pairedItem: { item: 0 } });
			const next = page.Metadata?.NextPageUri;
			if (!next || !page.Calls?.length) break;
			qs = { ...qs, ...Object.fromEntries(new URL(next, 'http://exotel.invalid').searchParams) };
		}
		return [output];
	}
}

async function runCallCase(input: CallCase): Promise<CallCaseResult> {
	const { runExotel } = await import('../test/helpers/harness');
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const result = await runExotel({
		credentials: input.credentials,
		parameters: input.name === 'callsGetMany' ? { resource: 'call', operation: 'getMany', returnAll: true, options: { simplify: false } } : {},
		nodeType: input.name === 'callsFloor' ? new CallHistoryFloor() : undefined,
		onError: 'continueRegularOutput',
	});
	const wallMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	const errors = result.output.filter((item) => item.json.error !== undefined);
	return {
		wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		outputItems: result.output.length,
		errorItems: errors.length,
		firstError: (errors[0]?.json.error as string | undefined) ?? result.error?.message,
	};
}

function inChildProcess(name: CallCase['name'], credentials: ICredentialDataDecryptedObject): Promise<CallCaseResult> {
	const argument = JSON.stringify({ name, credentials });
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			['-r', 'ts-node/register/transpile-only', join(__dirname, 'calls.ts'), argument],
			{ maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } },
			(error, stdout, stderr) => {
				if (error) return reject(new Error(`${name} failed: ${stderr || error.message}`));
				const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as CallCaseResult;
				if (result.errorItems > 0 || result.outputItems !== CALLS) {
					return reject(new Error(`${name}: ${result.outputItems} calls, ${result.errorItems} errors, e.g. ${result.firstError}`));
				}
				resolve(result);
			},
		);
	});
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Get Many of 10,000 calls (the last 20 days, inside Exotel's default month): the requests it takes
 * (ceil(N/100)) and its own time a page beside the floor, as medians of three alternating runs.
 */
export async function benchCallHistory(sim: ExotelSimulator, latencyMs: number): Promise<{ rows: string[][]; notes: string[] }> {
	sim.reset();
	sim.seedCalls(CALLS, { days: 20 });
	const pagesOf = () => sim.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/Calls.json')).length;
	const nodeRuns: Array<CallCaseResult & { pages: number }> = [];
	const floorRuns: Array<CallCaseResult & { pages: number }> = [];
	for (let round = 0; round < 3; round++) {
		sim.requests.length = 0;
		floorRuns.push({ ...(await inChildProcess('callsFloor', { ...sim.credentials })), pages: pagesOf() });
		sim.requests.length = 0;
		nodeRuns.push({ ...(await inChildProcess('callsGetMany', { ...sim.credentials })), pages: pagesOf() });
	}
	const expected = Math.ceil(CALLS / PAGE_SIZE);
	const pages = nodeRuns[0].pages;
	const perPage = (run: CallCaseResult & { pages: number }) => (run.wallMs - run.pages * latencyMs) / run.pages;
	const nodePerPage = median(nodeRuns.map(perPage));
	const floorPerPage = median(floorRuns.map(perPage));
	const nodeCpu = median(nodeRuns.map((run) => run.cpuMs));
	const floorCpu = median(floorRuns.map((run) => run.cpuMs));
	return {
		rows: [
			[
				'call getMany returnAll 10,000 (cursor pages)',
				`${pages} requests (expected ceil(10000/100) = ${expected}: ${pages === expected ? 'exact' : 'MISMATCH'}; floor ${floorRuns[0].pages})`,
				`a page beyond the ${latencyMs} ms latency: node ${nodePerPage.toFixed(2)} ms, floor ${floorPerPage.toFixed(2)} ms; the node's own: ${(nodePerPage - floorPerPage).toFixed(2)} ms wall, ${((nodeCpu - floorCpu) / pages).toFixed(2)} ms CPU a page`,
				`node CPU ${(nodeCpu / 1000).toFixed(2)} s vs floor ${(floorCpu / 1000).toFixed(2)} s (medians of 3 alternating runs)`,
			],
		],
		notes: [
			"Call history floor: the same GET Calls.json pages (100 a page, following Metadata.NextPageUri) from a node that calls n8n's helpers.httpRequestWithAuthentication in a loop with nothing else.",
		],
	};
}

if (require.main === module) {
	void (async () => {
		await import('../test/helpers/environment');
		const result = await runCallCase(JSON.parse(process.argv[2]) as CallCase);
		process.stdout.write(`${JSON.stringify(result)}\n`);
	})().catch((error) => {
		process.stderr.write(`${(error as Error).stack}\n`);
		process.exit(1);
	});
}
