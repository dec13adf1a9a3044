/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Benchmark code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules and child processes */
/**
 * `npm run bench`: drives the node through n8n's engine against the simulator with a fixed latency per
 * request and prints one table (also written to bench/results.md). Each case runs in its own process
 * so its CPU time and memory are the node's; the simulator runs here and counts the requests.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

import { ExotelSimulator } from '../test/simulator/server';
import { benchCallHistory } from './calls';
import { recoveryAfterStorm, sharedWindow, sharedWindowModel } from './governor';
import { benchSms } from './sms';

const LATENCY_MS = 20;
/** Exotel's documented rate limit for its APIs. */
const RATE_LIMIT_PER_MINUTE = 200;
const MB = 1024 * 1024;

interface CaseResult {
	wallMs: number;
	startedAtEpochMs: number;
	cpuMs: number;
	peakRssGrowthBytes: number;
	outputItems: number;
	errorItems: number;
	firstError?: string;
}

function runCase(sim: ExotelSimulator, name: string, count: number, extra: object = {}): Promise<CaseResult> {
	const argument = JSON.stringify({ name, count, credentials: sim.credentials, ...extra });
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			['--expose-gc', '--max-old-space-size=8192', '-r', 'ts-node/register/transpile-only', join(__dirname, 'case.ts'), argument],
			{ maxBuffer: 64 * MB, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } },
			(error, stdout, stderr) => {
				if (error) return reject(new Error(`${name} failed: ${stderr || error.message}`));
				const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as CaseResult;
				if (result.errorItems > 0) return reject(new Error(`${name}: ${result.errorItems} items failed, e.g. ${result.firstError}`));
				resolve(result);
			},
		);
	});
}

function countRequests(sim: ExotelSimulator, method: string, pathEnd: string) {
	return sim.requests.filter((request) => request.method === method && request.path.endsWith(pathEnd)).length;
}

/** Wall time if the node kept under Exotel's rate limit: the requests cannot go faster than the limit allows. */
function atRateLimit(requests: number, wallMs: number) {
	const limitedMs = Math.max(0, requests - 1) * (60_000 / RATE_LIMIT_PER_MINUTE);
	return Math.max(limitedMs, wallMs);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const duration = (ms: number) => (ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : seconds(ms));

async function main() {
	const sim = await ExotelSimulator.start({ latencyMs: LATENCY_MS, logBodies: false, csvProcessingMs: 1000 });
	const rows: string[][] = [];
	const notes: string[] = [];
	const row = (...cells: string[]) => {
		rows.push(cells);
		process.stdout.write(`${cells.join(' | ')}\n`);
	};

	// `npm run bench -- --governor` runs only the rate governor's cases and keeps the other rows.
	const onlyGovernor = process.argv.includes('--governor');
	try {
		await governorCases(sim, row, notes);
		if (onlyGovernor) return;

		// Contact create: bulk, and the per-item baseline measured at 1,000.
		sim.reset();
		const perItem = await runCase(sim, 'perItemCreate', 1000);
		const perItemRequests = countRequests(sim, 'POST', '/contacts');
		const perItemMsPerItem = perItem.wallMs / 1000;
		for (const count of [1000, 10_000, 50_000]) {
			sim.reset();
			const bulk = await runCase(sim, 'bulkCreate', count);
			const requests = countRequests(sim, 'POST', '/contacts');
			const baselineRequests = count === 1000 ? perItemRequests : count;
			const baselineWall = count === 1000 ? perItem.wallMs : perItemMsPerItem * count;
			const measured = count === 1000 ? 'measured' : 'extrapolated';
			row(
				`contact create ${count.toLocaleString('en')}`,
				`${requests} requests (per-item: ${baselineRequests}, ${measured}); ratio ${(baselineRequests / requests).toFixed(0)}x fewer`,
				`wall ${seconds(bulk.wallMs)} (per-item ${seconds(baselineWall)}, ${(baselineWall / bulk.wallMs).toFixed(0)}x longer), node CPU ${seconds(bulk.cpuMs)}`,
				`at ${RATE_LIMIT_PER_MINUTE}/min: ${duration(atRateLimit(requests, bulk.wallMs))} vs per-item ${duration(atRateLimit(baselineRequests, baselineWall))}`,
			);
		}
		notes.push(
			`Per-item baseline: a declarative node with one POST /contacts per item (n8n's RoutingNode, as the HTTP Request node or a plain declarative operation sends), ${perItemRequests} requests for 1,000 items in ${seconds(perItem.wallMs)}; RoutingNode sends them all at once, which a real account answers with 429s past ${RATE_LIMIT_PER_MINUTE} a minute.`,
		);

		// Get Many, Return All, over 10,000 contacts.
		sim.reset();
		sim.seedContacts(10_000);
		const getMany = await runCase(sim, 'getManyAll', 10_000);
		const pages = countRequests(sim, 'GET', '/contacts');
		const expectedPages = Math.ceil(10_000 / 20);
		const overheadPerPage = (getMany.wallMs - pages * LATENCY_MS) / pages;
		row(
			'contact getMany returnAll 10,000',
			`${pages} requests (expected ceil(10000/20) = ${expectedPages}: ${pages === expectedPages ? 'exact' : 'MISMATCH'}); ${getMany.outputItems} items`,
			`wall ${seconds(getMany.wallMs)}, node CPU ${seconds(getMany.cpuMs)}; overhead per page beyond the ${LATENCY_MS} ms latency: ${overheadPerPage.toFixed(1)} ms`,
			`at ${RATE_LIMIT_PER_MINUTE}/min: ${duration(atRateLimit(pages, getMany.wallMs))}`,
		);

		// Get Many over 4,000 contacts: the node's own time a page, beside the floor (the same pages
		// through n8n's request helper and nothing else), in the same run.
		sim.reset();
		sim.seedContacts(4_000);
		const perPage = (result: CaseResult, requests: number) => (result.wallMs - requests * LATENCY_MS) / requests;
		const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
		// Floor and node alternate, three runs each, and the medians are compared: one run of either is
		// easily a few ms a page off on a shared machine.
		const floorRuns: CaseResult[] = [];
		const nodeRuns: CaseResult[] = [];
		let floorPages = 0;
		let nodePages = 0;
		for (let round = 0; round < 3; round++) {
			sim.requests.length = 0;
			floorRuns.push(await runCase(sim, 'getManyFloor', 4_000));
			floorPages = countRequests(sim, 'GET', '/contacts');
			sim.requests.length = 0;
			nodeRuns.push(await runCase(sim, 'getManyAll', 4_000));
			nodePages = countRequests(sim, 'GET', '/contacts');
		}
		const nodePerPage = median(nodeRuns.map((run) => perPage(run, nodePages)));
		const floorPerPage = median(floorRuns.map((run) => perPage(run, floorPages)));
		const nodeRun = { cpuMs: median(nodeRuns.map((run) => run.cpuMs)) };
		const floorRun = { cpuMs: median(floorRuns.map((run) => run.cpuMs)) };
		// The goal (the node's own time under 2 ms a page where the floor is 1.2 ms) as what it means on
		// any machine: at most 0.8 ms a page beyond the floor, in wall time and in CPU time.
		const beyondWall = nodePerPage - floorPerPage;
		const beyondCpu = (nodeRun.cpuMs - floorRun.cpuMs) / nodePages;
		const met = beyondWall < 0.8 && beyondCpu < 0.8;
		row(
			'contact getMany returnAll 4,000: the node beside the floor',
			`${nodePages} requests (floor ${floorPages}; expected ceil(4000/20) = 200: ${nodePages === 200 ? 'exact' : 'MISMATCH'})`,
			`a page beyond the ${LATENCY_MS} ms latency: node ${nodePerPage.toFixed(2)} ms, floor ${floorPerPage.toFixed(2)} ms; the node's own: ${beyondWall.toFixed(2)} ms wall, ${beyondCpu.toFixed(2)} ms CPU a page (goal under 0.8 ms beyond the floor, i.e. 2 ms with a 1.2 ms floor: ${met ? 'met' : 'NOT MET'})`,
			`node CPU ${seconds(nodeRun.cpuMs)} vs floor ${seconds(floorRun.cpuMs)} (medians of 3 alternating runs)`,
		);
		notes.push(
			'Floor: the same GET /contacts pages from a node that calls n8n\'s helpers.httpRequestWithAuthentication in a loop with nothing else (no envelope reading, pacing, retries or error items).',
		);


		// Call history: Get Many of 10,000 calls beside its floor (bench/calls.ts).
		const callHistory = await benchCallHistory(sim, LATENCY_MS);
		for (const cells of callHistory.rows) row(...cells);
		notes.push(...callHistory.notes);

		// Contact update of 10,000: bulk PUT /contacts beside one PUT /contacts/<sid> per item. The per-item
		// way is measured at 1,000 and scaled, as for create: RoutingNode starts every item's request at
		// once, and at 10,000 the simulator's host drops some of those connections.
		const updateCount = 10_000;
		const perItemUpdateCount = 1000;
		sim.reset();
		const sidsFile = join(tmpdir(), `exotel-bench-sids-${process.pid}.json`);
		writeFileSync(sidsFile, JSON.stringify(sim.seedContacts(updateCount).map((contact) => contact.sid)));
		const puts = () => sim.requests.filter((request) => request.method === 'PUT').length;
		const bulkUpdate = await runCase(sim, 'bulkUpdate', updateCount, { sidsFile });
		const bulkUpdateRequests = puts();
		sim.requests.length = 0;
		const perItemUpdate = await runCase(sim, 'perItemUpdate', perItemUpdateCount, { sidsFile });
		const perItemUpdateRequests = puts() * (updateCount / perItemUpdateCount);
		const perItemUpdateWall = perItemUpdate.wallMs * (updateCount / perItemUpdateCount);
		rmSync(sidsFile, { force: true });
		row(
			`contact update ${updateCount.toLocaleString('en')}: bulk vs per item`,
			`${bulkUpdateRequests} requests (per-item: ${perItemUpdateRequests}, extrapolated from ${perItemUpdateCount.toLocaleString('en')} measured); ratio ${(perItemUpdateRequests / bulkUpdateRequests).toFixed(0)}x fewer`,
			`wall ${seconds(bulkUpdate.wallMs)} (per-item ${seconds(perItemUpdateWall)}, ${(perItemUpdateWall / bulkUpdate.wallMs).toFixed(0)}x longer), node CPU ${seconds(bulkUpdate.cpuMs)}`,
			`at ${RATE_LIMIT_PER_MINUTE}/min: ${duration(atRateLimit(bulkUpdateRequests, bulkUpdate.wallMs))} vs per-item ${duration(atRateLimit(perItemUpdateRequests, perItemUpdateWall))}`,
		);
		notes.push(
			`Contact update per-item baseline: one PUT /contacts/<sid> per item from a declarative node, ${perItemUpdateCount.toLocaleString('en')} items in ${seconds(perItemUpdate.wallMs)}, scaled to ${updateCount.toLocaleString('en')}.`,
		);

		// CSV upload from 100,000 items and from a 60 MB file.
		sim.reset();
		const arrival = watchFirstUpload(sim);
		const fromItems = await runCase(sim, 'csvFromItems', 100_000);
		const itemsUpload = sim.requests.find((request) => request.path.endsWith('/csv-upload'));
		row(
			'csv upload from 100,000 items (wait for completion)',
			`${countRequests(sim, 'POST', '/csv-upload')} upload + ${countRequests(sim, 'GET', '')} status and list requests; CSV ${((itemsUpload?.bodyBytes ?? 0) / MB).toFixed(1)} MB`,
			`CSV built and sent ${seconds((await arrival) - fromItems.startedAtEpochMs)} after start; completed in ${seconds(fromItems.wallMs)}; node CPU ${seconds(fromItems.cpuMs)}`,
			`peak RSS growth ${(fromItems.peakRssGrowthBytes / MB).toFixed(0)} MB (${(fromItems.peakRssGrowthBytes / (itemsUpload?.bodyBytes ?? 1)).toFixed(2)}x the CSV)`,
		);

		// The same 60 MB file kept both ways n8n keeps binaries: in the item (memory) and on disk
		// (filesystem, n8n 2.x's default; S3 and database are read the same way by the node).
		const fileBytes = 60 * MB - 1024;
		for (const binaryMode of ['memory', 'filesystem'] as const) {
			sim.reset();
			const binaryArrival = watchFirstUpload(sim);
			const fromBinary = await runCase(sim, 'csvFromBinary', 1, { bytes: fileBytes, binaryMode });
			const growthRatio = fromBinary.peakRssGrowthBytes / fileBytes;
			row(
				`csv upload of a 60 MB file, binary data in ${binaryMode} (wait for completion)`,
				`${countRequests(sim, 'POST', '/csv-upload')} upload + ${countRequests(sim, 'GET', '')} status and list requests`,
				`sent ${seconds((await binaryArrival) - fromBinary.startedAtEpochMs)} after start; completed in ${seconds(fromBinary.wallMs)}; node CPU ${seconds(fromBinary.cpuMs)}`,
				`peak RSS growth ${(fromBinary.peakRssGrowthBytes / MB).toFixed(0)} MB = ${growthRatio.toFixed(2)}x the file (goal < 1.1x): ${growthRatio < 1.1 ? 'met' : 'NOT MET'}`,
			);
		}

		await benchSms(sim, row, notes);
	} finally {
		await sim.stop();
		if (onlyGovernor) mergeResults(rows, notes);
	}
	if (onlyGovernor) return;

	const table = [
		'| case | requests | time | rate limit / memory |',
		'|---|---|---|---|',
		...rows.map((cells) => `| ${cells.join(' | ')} |`),
	].join('\n');
	const report = `# Benchmark\n\nRun ${new Date().toISOString()} on Node ${process.version}, ${LATENCY_MS} ms simulated latency per request, n8n-core's WorkflowExecute driving the node against the simulator.\n\n${table}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n- "at ${RATE_LIMIT_PER_MINUTE}/min": how long the same requests take on a real account that keeps under Exotel's documented ${RATE_LIMIT_PER_MINUTE} requests a minute (requests spaced ${60_000 / RATE_LIMIT_PER_MINUTE} ms apart, or the measured time if longer).\n- Peak RSS growth: the case process's resident memory sampled every 2 ms, peak minus the level after building the input and a forced GC (for the CSV cases, GCs until the level stops falling; a file on disk is stored by path, so the case process never holds it).\n`;
	// The Exotel Trigger's figures need real n8n (minutes, not seconds): `npm run bench:trigger`
	// (bench/trigger.ts) writes them to results-trigger.md, kept here as their own section.
	const triggerFile = join(__dirname, 'results-trigger.md');
	const triggerSection = existsSync(triggerFile) ? `\n${readFileSync(triggerFile, 'utf8')}` : '\n## Exotel Trigger\n\nNot measured in this run: `npm run bench:trigger` (real n8n).\n';
	writeFileSync(join(__dirname, 'results.md'), report + triggerSection);
	process.stdout.write(`\n${report}`);
}

/**
 * The rate governor: how long its budget takes to recover after a 429 storm (fake clock), and three
 * processes, each with its own governor, reading through one 200-a-minute window.
 */
async function governorCases(sim: ExotelSimulator, row: (...cells: string[]) => void, notes: string[]) {
	// Return All of 10,000 contacts through a 200-a-minute window, the node paced by its governor
	// (credential budget 200/min, no rate-limit headers): the ideal is 500 requests in 2.5 minutes.
	sim.reset();
	sim.latencyMs = LATENCY_MS;
	sim.seedContacts(10_000);
	sim.setRateLimit({ limit: RATE_LIMIT_PER_MINUTE, windowMs: 60_000 });
	const limited = await runCase(sim, 'getManyAll', 10_000, {
		credentials: { ...sim.credentials, requestsPerMinute: RATE_LIMIT_PER_MINUTE },
	});
	const { accepted, throttled } = sim.rateLimitStats;
	const idealLimitedMs = (500 / RATE_LIMIT_PER_MINUTE) * 60_000;
	sim.setRateLimit(undefined);
	row(
		`contact getMany returnAll 10,000 through a ${RATE_LIMIT_PER_MINUTE}/min window`,
		`${accepted + throttled} requests: ${accepted} answered, ${throttled} answered 429 (ideal: 500 and 0); ${limited.outputItems} items`,
		`wall ${duration(limited.wallMs)} (ideal ${duration(idealLimitedMs)}: ${(limited.wallMs / idealLimitedMs).toFixed(2)}x)`,
		'window: 200 requests a minute, 429 without Retry-After or X-RateLimit headers for the rest of it',
	);

	for (const [pattern, minutes] of [
		['solid', 5],
		['gaps', 5],
	] as const) {
		const figures = await recoveryAfterStorm(RATE_LIMIT_PER_MINUTE, minutes, pattern);
		row(
			`governor recovery after a ${minutes}-minute 429 storm (${pattern === 'solid' ? 'every request refused' : 'refused in the first 30 s of each minute'})`,
			`${figures.throttledAnswers} answers of 429 to 5 requests at a time`,
			`budget ${RATE_LIMIT_PER_MINUTE}/min → ${Math.round(figures.afterStorm)}/min when the storm ends; back to ${RATE_LIMIT_PER_MINUTE}/min ${figures.minutesToFull} min later`,
			'fake clock: the governor alone, driven as the transport drives it',
		);
	}
	notes.push(
		'Governor recovery: another app holds the account\'s whole window while this process sends 5 requests at a time. A refused stretch lowers the budget to what the window let this process through (to half at most when this process was not using its whole budget or nothing got through), and each minute without a 429 gives back a tenth of the credential\'s figure.',
	);

	const processes = 3;
	const pages = 200;
	for (const retryAfter of [false, true]) {
		sim.reset();
		sim.latencyMs = LATENCY_MS;
		sim.seedContacts(pages * 20);
		const shared = await sharedWindow(sim, async (credentials) => await runCase(sim, 'getManyAll', pages * 20, { credentials }), {
			processes,
			limit: RATE_LIMIT_PER_MINUTE,
			pages,
			retryAfter,
		});
		row(
			`${processes} processes (each its own governor) share one ${RATE_LIMIT_PER_MINUTE}/min window, each Get Many of ${pages * 20} contacts${retryAfter ? ', 429 with Retry-After' : ''}`,
			`${shared.accepted + shared.throttled} requests: ${shared.accepted} answered, ${shared.throttled} answered 429 (ideal: ${processes * pages} and 0)`,
			`wall ${duration(shared.wallMs)} (ideal ${duration(((processes * pages) / RATE_LIMIT_PER_MINUTE) * 60_000)}: ${(shared.wallMs / (((processes * pages) / RATE_LIMIT_PER_MINUTE) * 60_000)).toFixed(2)}x); each process ${shared.perProcessWallMs.map((ms) => duration(ms)).join(', ')}`,
			`window: ${RATE_LIMIT_PER_MINUTE} requests a minute for the account, ${retryAfter ? 'Retry-After on 429s' : '429 without Retry-After or X-RateLimit headers'}; each credential says ${RATE_LIMIT_PER_MINUTE}/min`,
		);
	}
	for (const retryAfter of [false, true]) {
		const model = await sharedWindowModel({ processes, limit: RATE_LIMIT_PER_MINUTE, windows: 30, retryAfter });
		row(
			`${processes} governors share one ${RATE_LIMIT_PER_MINUTE}/min window for 30 minutes of work${retryAfter ? ', 429 with Retry-After' : ''}`,
			`${model.accepted + model.throttled} requests: ${model.accepted} answered, ${model.throttled} answered 429 (${((100 * model.throttled) / model.accepted).toFixed(1)}%)`,
			`${duration(model.wallMs)} (ideal ${duration(model.idealMs)}: ${(model.wallMs / model.idealMs).toFixed(2)}x)`,
			'fake clock: the governors alone, one request at a time each, 20 ms answers',
		);
	}
	notes.push(
		`Shared window: ${processes} case processes, as n8n's queue-mode workers, start together and each page through the same contacts; none knows of the others. Ideal: the window's ${RATE_LIMIT_PER_MINUTE} a minute used to the full with no 429.`,
	);
}

/** Puts this run's rows and notes into bench/results.md in place of the same cases', keeping the rest. */
function mergeResults(rows: string[][], notes: string[]) {
	const path = join(__dirname, 'results.md');
	const lines = readFileSync(path, 'utf8').split('\n');
	const names = new Set(rows.map((cells) => cells[0]));
	const kept = lines.filter((line) => !(line.startsWith('| ') && names.has(line.slice(2).split(' | ')[0])));
	// The first table and the notes under it are the node's; sections after them (the trigger's) stay as they are.
	const endOfBlock = (from: number, prefix: string) => {
		let index = from;
		while (index < kept.length && kept[index].startsWith(prefix)) index++;
		return index;
	};
	const tableEnd = endOfBlock(Math.max(0, kept.findIndex((line) => line.startsWith('| case '))), '|');
	kept.splice(tableEnd, 0, ...rows.map((cells) => `| ${cells.join(' | ')} |`));
	const notesStart = kept.findIndex((line, index) => index > tableEnd && line.startsWith('- '));
	const newNotes = notes.map((note) => `- ${note}`).filter((note) => !kept.includes(note));
	kept.splice(notesStart < 0 ? kept.length : endOfBlock(notesStart, '- '), 0, ...newNotes);
	writeFileSync(path, kept.join('\n'));
	process.stdout.write(`\nUpdated ${path} (rate governor cases, ${new Date().toISOString()})\n`);
}

/** When the simulator first sees a CSV upload arrive: the end of building and sending it. */
function watchFirstUpload(sim: ExotelSimulator): Promise<number> {
	return new Promise((resolve) => {
		const timer = setInterval(() => {
			if (sim.requests.some((request) => request.path.endsWith('/csv-upload'))) {
				clearInterval(timer);
				resolve(Date.now());
			}
		}, 5);
	});
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack}\n`);
	process.exit(1);
});
