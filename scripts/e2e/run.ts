/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- Tooling runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules and plain errors */
/**
 * End-to-end check: the built package in a real n8n (2.41.1, Node 24) against the Exotel simulator.
 *
 *   npm run test:e2e                      # everything: install/reuse n8n, build, workflows, editor screenshot
 *   npm run test:e2e -- --no-build        # use the current dist/
 *   npm run test:e2e -- --no-browser      # skip the editor screenshot
 *   npm run test:e2e -- --only csv        # only workflows whose file name contains "csv"
 *   npm run test:e2e -- --keep            # keep the temporary N8N_USER_FOLDER for inspection
 *   npm run test:e2e -- --no-queue        # skip queue mode (Redis + PostgreSQL + main + worker)
 *   npm run test:e2e -- --only queue      # only queue mode (--only queue/csv: its cases matching "csv")
 *   E2E_MODEL_LOG=/tmp/turns.json npm run test:e2e -- --only agent   # keep what the fake model was sent
 *   npm run test:e2e -- --parallel|--serial  # editor check alongside the workflows or after them; --serial also runs
 *                                         # queue mode after the workflows instead of alongside
 *                                         # (default: alongside when the machine has 4+ cores)
 *
 * Each workflow in test/e2e/*.workflow.json is imported with `n8n import:workflow` and run with
 * `n8n execute --id <id> --rawOutput`; test/e2e/cases.ts says what its output and the simulator's
 * state must look like. The AI Agent workflow's OpenAI credential points at a fake OpenAI-compatible
 * model (test/e2e/fake-openai.ts). Then queue mode (scripts/e2e/queue.ts): Redis, PostgreSQL, n8n main
 * and a worker, runs started from production webhooks (test/e2e/queue/cases.ts). Exit code 0 only
 * when every check passed.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { ExotelSimulator } from '../../test/simulator/server';
import { cases } from '../../test/e2e/cases';
import { startFakeOpenAi } from '../../test/e2e/fake-openai';
import { queueCases } from '../../test/e2e/queue/cases';
import { parseExecuteOutput, table } from '../../test/e2e/support';
import { EDITOR_WORKFLOW_ID, editorScreenshot, editorScreenshotIsolated } from './editor-screenshot';
import {
	buildPackage,
	cleanupAll,
	freePort,
	installSignalHandlers,
	log,
	n8nCliOk,
	n8nCli,
	n8nEnv,
	onCleanup,
	prepareUserFolder,
	print,
	printError,
	repoRoot,
	seconds,
	writeCredentialFile,
} from './lib';
import { ensureN8n } from './n8n-install';
import { runQueueChecks } from './queue';

interface Row {
	step: string;
	result: 'pass' | 'FAIL' | 'skip';
	ms: number;
	detail: string;
}

async function main(): Promise<number> {
	const args = process.argv.slice(2);
	const flag = (name: string) => args.includes(name);
	const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
	installSignalHandlers();
	const t0 = Date.now();
	const rows: Row[] = [];
	const timed = async <T>(step: string, fn: () => Promise<T> | T, detail?: (v: T) => string): Promise<T> => {
		const s = Date.now();
		try {
			const v = await fn();
			rows.push({ step, result: 'pass', ms: Date.now() - s, detail: detail ? detail(v) : '' });
			return v;
		} catch (e) {
			rows.push({ step, result: 'FAIL', ms: Date.now() - s, detail: firstLine(e) });
			throw e;
		}
	};

	let failures = 0;
	const artifacts = path.join(repoRoot, 'test-artifacts');
	if (fs.existsSync(artifacts)) {
		for (const f of fs.readdirSync(artifacts).filter((n) => /^e2e-.*\.log$|\.failed\.png$|^n8n-start\.log$/.test(n))) fs.rmSync(path.join(artifacts, f));
	}
	try {
		const install = await timed('n8n install (cached)', () => ensureN8n(), (i) => (i.installed ? `installed into ${i.dir}` : `reused ${i.dir}`));
		if (!flag('--no-build')) await timed('npm run build', () => buildPackage());

		// The editor check has its own n8n folder and simulator, so it can run alongside the workflows;
		// it does when there are cores to spare (on 2 cores that is slower than one after the other).
		let browser: Promise<Row> | undefined;
		// Serially, after the workflows, it reuses their n8n folder (credential and workflow already there).
		let reuse: (() => Promise<{ skipped: boolean; detail: string }>) | undefined;
		const startBrowser = () => {
			if (flag('--no-browser') || browser) return;
			const s = Date.now();
			browser = (reuse ? reuse() : editorScreenshotIsolated(install)).then(
				(r): Row => ({ step: 'editor screenshot', result: r.skipped ? 'skip' : 'pass', ms: Date.now() - s, detail: r.detail }),
				(e: unknown): Row => {
					log(`FAIL editor screenshot: ${(e as Error).stack ?? String(e)}`);
					return { step: 'editor screenshot', result: 'FAIL', ms: Date.now() - s, detail: firstLine(e) };
				},
			);
		};
		const parallel = flag('--parallel') || (!flag('--serial') && os.cpus().length >= 4);
		if (parallel) startBrowser();

		// Queue mode has its own n8n processes, database, Redis and simulator, so it runs alongside the
		// `n8n execute` workflows (each of those is one mostly single-threaded n8n process: even on 2
		// cores the two overlap well), unless --serial.
		const queueSelected = !flag('--no-queue') && (!only || only.startsWith('queue'));
		let queueRun: Promise<Row[]> | undefined;
		const startQueue = () => {
			if (!queueSelected || queueRun) return;
			const queueOnly = only?.startsWith('queue') ? only.replace(/^queue\/?/, '') : undefined;
			queueRun = runQueueChecks(install, { keep: flag('--keep') || Boolean(process.env.E2E_KEEP), only: queueOnly || undefined });
		};
		// The editor check, when it starts first, may install Chromium with apt-get; its apt-get does not
		// wait for dpkg's lock, so queue mode (which may apt-get Redis and PostgreSQL) waits its turn.
		const chromiumPending = browser !== undefined && !fs.existsSync('/usr/bin/chromium');
		if (!flag('--serial') && !chromiumPending) startQueue();

		const sim = await ExotelSimulator.start({ csvProcessingMs: 1500 });
		onCleanup(() => sim.stop());
		log(`simulator on ${sim.url}`);
		const model = await startFakeOpenAi();
		onCleanup(() => model.stop());

		const userFolder = prepareUserFolder();
		onCleanup(() => {
			if (flag('--keep') || process.env.E2E_KEEP) log(`kept N8N_USER_FOLDER ${userFolder}`);
			else fs.rmSync(userFolder, { recursive: true, force: true });
		});
		const env = n8nEnv(install, { userFolder, brokerPort: await freePort() });

		// Every workflow shipped in test/e2e must have checks: they double as user-facing examples.
		const shipped = fs.readdirSync(path.join(repoRoot, 'test', 'e2e')).filter((f) => f.endsWith('.workflow.json'));
		for (const f of shipped.filter((f) => !cases.some((c) => c.file === f))) {
			failures++;
			rows.push({ step: f, result: 'FAIL', ms: 0, detail: 'no checks for this workflow in test/e2e/cases.ts' });
		}
		const shippedQueue = fs.readdirSync(path.join(repoRoot, 'test', 'e2e', 'queue')).filter((f) => f.endsWith('.workflow.json'));
		for (const f of shippedQueue.filter((f) => !queueCases.some((c) => c.file === f || c.also?.includes(f)))) {
			failures++;
			rows.push({ step: `queue/${f}`, result: 'FAIL', ms: 0, detail: 'no checks for this workflow in test/e2e/queue/cases.ts' });
		}
		const selected = cases.filter((c) => !only || c.file.includes(only));
		if (selected.length === 0 && !queueSelected) throw new Error(`--only ${only} matches no workflow`);
		const workflowDir = path.join(userFolder, 'workflows-to-import');
		fs.mkdirSync(workflowDir);
		for (const c of selected) {
			const wf = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'e2e', c.file), 'utf8')) as { id?: string };
			if (wf.id !== c.id) throw new Error(`${c.file} has id ${wf.id}, cases.ts expects ${c.id}`);
			fs.copyFileSync(path.join(repoRoot, 'test', 'e2e', c.file), path.join(workflowDir, c.file.replace(/\.workflow\.json$/, '.json')));
		}

		if (selected.length > 0) {
			const credFile = writeCredentialFile(userFolder, sim.credentials);
			// The AI Agent workflow's chat model talks to the fake model (its credential's Base URL).
			const creds = JSON.parse(await fsp.readFile(credFile, 'utf8')) as unknown[];
			creds.push({ id: 'fakeOpenAi', name: 'OpenAI (fake model)', type: 'openAiApi', data: { apiKey: model.apiKey, url: model.baseUrl } });
			await fsp.writeFile(credFile, JSON.stringify(creds, null, 2));
			await timed('import credentials', () => n8nCliOk(install, env, ['import:credentials', `--input=${credFile}`]), () => 'exotelSim → simulator, fakeOpenAi → fake model');
			await timed('import workflows', () => n8nCliOk(install, env, ['import:workflow', '--separate', `--input=${workflowDir}`]), () => `${selected.length} workflows`);
		}

		for (const c of selected) {
			sim.reset();
			model.reset();
			c.before?.(sim, model);
			const s = Date.now();
			let detail: string;
			let ok = false;
			let stdout = '';
			let stderr = '';
			try {
				const r = await n8nCli(install, env, ['execute', `--id=${c.id}`, '--rawOutput'], 180_000);
				stdout = r.stdout;
				stderr = r.stderr;
				const run = parseExecuteOutput(r.stdout);
				if (model.turns.length > 0 && process.env.E2E_MODEL_LOG) fs.writeFileSync(process.env.E2E_MODEL_LOG, JSON.stringify(model.turns, null, 2));
				detail = c.check({ run, sim, model });
				if (r.code !== 0) throw new Error(`n8n execute exited with ${r.code} although the checks passed`);
				ok = true;
			} catch (e) {
				failures++;
				detail = firstLine(e);
				const logFile = path.join(repoRoot, 'test-artifacts', `e2e-${c.file.replace(/\.workflow\.json$/, '')}.log`);
				fs.mkdirSync(path.dirname(logFile), { recursive: true });
				fs.writeFileSync(
					logFile,
					`${(e as Error).stack ?? String(e)}\n\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}\n--- simulator requests ---\n${sim.requests.map((q) => `${q.method} ${q.path} ${JSON.stringify(q.query)} → ${q.status}`).join('\n')}\n` +
						(model.turns.length || model.problems.length ? `--- fake model ---\n${JSON.stringify({ problems: model.problems, turns: model.turns }, null, 2)}\n` : ''),
				);
				log(`FAIL ${c.file}: ${(e as Error).message}\n     (full output in ${path.relative(repoRoot, logFile)})`);
			}
			rows.push({ step: `${c.file}`, result: ok ? 'pass' : 'FAIL', ms: Date.now() - s, detail });
		}

		startQueue();
		if (flag('--serial') && queueRun) {
			const queueRows = await queueRun;
			failures += queueRows.filter((r) => r.result === 'FAIL').length;
			rows.push(...queueRows);
			queueRun = undefined;
		}

		if (selected.some((c) => c.id === EDITOR_WORKFLOW_ID)) reuse = () => editorScreenshot({ install, userFolder, sim });
		startBrowser();
		if (queueRun) {
			const queueRows = await queueRun;
			failures += queueRows.filter((r) => r.result === 'FAIL').length;
			rows.push(...queueRows);
		}
		if (browser) {
			const row = await browser;
			if (row.result === 'FAIL') failures++;
			rows.push(row);
		} else {
			rows.push({ step: 'editor screenshot', result: 'skip', ms: 0, detail: '--no-browser' });
		}
	} catch (e) {
		failures++;
		log(`aborted: ${(e as Error).stack ?? String(e)}`);
	} finally {
		await cleanupAll();
	}

	const total = Date.now() - t0;
	print('\n' + table([['step', 'result', 'time', 'detail'], ...rows.map((r) => [r.step, r.result, seconds(r.ms), r.detail.slice(0, 110)])]));
	print(`\n${failures === 0 ? 'PASS' : `FAIL (${failures})`} — total ${seconds(total)}`);
	return failures === 0 ? 0 : 1;
}

function firstLine(e: unknown): string {
	const m = e instanceof Error ? e.message : String(e);
	return m.split('\n')[0];
}

main().then(
	(code) => process.exit(code),
	(e: unknown) => {
		printError(e);
		process.exit(1);
	},
);
