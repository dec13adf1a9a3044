/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- Tooling runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules and plain errors */
/**
 * n8n in queue mode, end to end: throwaway Redis and PostgreSQL, n8n main (`n8n start`,
 * EXECUTIONS_MODE=queue) receiving production webhooks, one `n8n worker` executing them, each with
 * the package installed in its own user folder the way n8n installs community packages. The cases
 * (test/e2e/queue/cases.ts) send webhook requests and check the answers, the simulator's state, and
 * the execution records in PostgreSQL.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ExotelSimulator } from '../../test/simulator/server';
import { queueCases, TRIGGER_SECRET, type QueueContext } from '../../test/e2e/queue/cases';
import { freePort, log, n8nCliOk, onCleanup, n8nEnv, prepareUserFolder, repoRoot, spawnTracked, stopChild, waitForHttp, writeCredentialFile } from './lib';
import type { N8nInstall } from './n8n-install';
import { ensureRedisAndPostgres, serviceDir, startPostgres, startRedis } from './services';

export interface QueueRow {
	step: string;
	result: 'pass' | 'FAIL' | 'skip';
	ms: number;
	detail: string;
}

/** A long-running n8n process whose output is kept (for the checks and for failure logs). */
interface N8nProcess {
	name: string;
	output(): string;
	stop(): Promise<void>;
	exited(): boolean;
}

function startN8n(install: N8nInstall, env: NodeJS.ProcessEnv, name: string, args: string[]): N8nProcess {
	const child = spawnTracked(install.nodeBin, [install.n8nBin, ...args], { cwd: env.N8N_USER_FOLDER, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	const keep = (d: string) => {
		out += d;
		// Keep memory bounded on long runs; the start of the log (boot messages) matters least.
		if (out.length > 4_000_000) out = out.slice(-2_000_000);
	};
	child.stdout?.setEncoding('utf8').on('data', keep);
	child.stderr?.setEncoding('utf8').on('data', keep);
	return {
		name,
		output: () => out,
		stop: () => stopChild(child, 10_000),
		exited: () => child.exitCode !== null || child.signalCode !== null,
	};
}

async function waitForLog(p: N8nProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!pattern.test(p.output())) {
		if (p.exited()) throw new Error(`n8n ${p.name} exited before logging ${pattern}:\n${p.output().slice(-3000)}`);
		if (Date.now() > deadline) throw new Error(`n8n ${p.name} did not log ${pattern} within ${timeoutMs} ms:\n${p.output().slice(-3000)}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

export async function runQueueChecks(install: N8nInstall, opts: { keep: boolean; only?: string }): Promise<QueueRow[]> {
	const rows: QueueRow[] = [];
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
	const wanted = queueCases.filter((c) => !opts.only || `queue/${c.name}`.includes(opts.only) || c.file.includes(opts.only));
	const selected = wanted.filter((c) => !c.requires || fs.existsSync(path.join(repoRoot, c.requires)));
	for (const c of wanted.filter((c) => !selected.includes(c))) rows.push({ step: `queue/${c.name}`, result: 'skip', ms: 0, detail: `${c.requires} not built` });
	if (selected.length === 0) return rows;

	const started: N8nProcess[] = [];
	const logDir = path.join(repoRoot, 'test-artifacts');
	const saveLogs = () => {
		fs.mkdirSync(logDir, { recursive: true });
		for (const p of started) fs.writeFileSync(path.join(logDir, `e2e-queue-${p.name}.log`), p.output());
	};
	let sim: ExotelSimulator | undefined;
	try {
		await timed('queue: redis + postgres installed', () => ensureRedisAndPostgres(), (r) => (r.installed.length ? `apt-get installed ${r.installed.join(', ')}` : 'already there'));
		const dir = serviceDir(opts.keep);
		const [redis, pg] = await timed('queue: redis + postgres started', () => Promise.all([startRedis(dir), startPostgres(dir)]), ([r, p]) => `redis :${r.port}, postgres :${p.port}`);
		sim = await ExotelSimulator.start({ csvProcessingMs: 1500 });
		const simulator = sim;

		const mainPort = await freePort();
		const shared: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: pg.host,
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: pg.database,
			DB_POSTGRESDB_USER: pg.user,
			DB_POSTGRESDB_PASSWORD: '',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// Binary data must be reachable from every process: in queue mode that is the database.
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			WEBHOOK_URL: `http://127.0.0.1:${mainPort}/`,
			N8N_LOG_LEVEL: 'info', // the worker's "Worker started execution <id>" and main's "Enqueued execution <id>" are info
		};
		const mainFolder = prepareUserFolder('n8n-exotel-queue-main-');
		const workerFolder = prepareUserFolder('n8n-exotel-queue-worker-');
		onCleanup(() => {
			for (const f of [mainFolder, workerFolder]) {
				if (opts.keep) log(`kept ${f}`);
				else fs.rmSync(f, { recursive: true, force: true });
			}
		});
		const mainEnv = n8nEnv(install, { userFolder: mainFolder, brokerPort: await freePort(), port: mainPort, extra: shared });
		const workerEnv = n8nEnv(install, { userFolder: workerFolder, brokerPort: await freePort(), extra: { ...shared, QUEUE_HEALTH_CHECK_PORT: String(await freePort()) } });

		// Import (the first command also creates the schema in PostgreSQL) and activate, before main starts.
		const importDir = path.join(mainFolder, 'queue-workflows');
		fs.mkdirSync(importDir);
		const files = [...new Set(selected.flatMap((c) => [c.file, ...(c.also ?? [])]))];
		for (const f of files) {
			const wf = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'e2e', 'queue', f), 'utf8')) as Record<string, unknown>;
			fs.writeFileSync(path.join(importDir, path.basename(f).replace(/\.workflow\.json$/, '.json')), JSON.stringify({ ...wf, active: true }));
		}
		const credFile = writeCredentialFile(mainFolder, simulator.credentials);
		await timed('queue: import credential + workflows', async () => {
			await n8nCliOk(install, mainEnv, ['import:credentials', `--input=${credFile}`], 180_000);
			await n8nCliOk(install, mainEnv, ['import:workflow', '--separate', `--input=${importDir}`, '--activeState=fromJson'], 180_000);
		}, () => `${files.length} workflows, active`);
		const ids = files.map((f) => (JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'e2e', 'queue', f), 'utf8')) as { id: string }).id);
		const inactive = pg.query(`select id from workflow_entity where id in (${ids.map((i) => `'${i}'`).join(',')}) and (not active or "activeVersionId" is null)`);
		for (const [id] of inactive) await n8nCliOk(install, mainEnv, ['publish:workflow', `--id=${id}`], 120_000);

		const [main, worker] = await timed(
			'queue: n8n main + worker started',
			async () => {
				const m = startN8n(install, mainEnv, 'main', ['start']);
				const w = startN8n(install, workerEnv, 'worker', ['worker', '--concurrency=5']);
				started.push(m, w);
				await Promise.all([
					waitForHttp(`http://127.0.0.1:${mainPort}/healthz/readiness`, 180_000),
					waitForLog(w, /n8n worker is now ready|Worker ready/i, 180_000),
				]);
				// Published workflows' webhooks are registered shortly after main is up.
				const deadline = Date.now() + 60_000;
				for (;;) {
					const n = Number(pg.query(`select count(*) from webhook_entity where "workflowId" in (${ids.map((i) => `'${i}'`).join(',')})`)[0][0]);
					if (n >= ids.length) break;
					if (Date.now() > deadline) throw new Error(`only ${n} of ${ids.length} workflows registered their webhooks:\n${m.output().slice(-3000)}`);
					await new Promise((r) => setTimeout(r, 250));
				}
				return [m, w] as const;
			},
			() => `main :${mainPort}, 1 worker`,
		);

		const post = async (url: string, body: unknown) => {
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(120_000),
			});
			const text = await res.text();
			let json: unknown;
			try {
				json = JSON.parse(text);
			} catch {
				json = text;
			}
			return { status: res.status, body: json };
		};
		const ctx: QueueContext = {
			sim: simulator,
			post,
			webhook: (webhookPath, body) => post(`http://127.0.0.1:${mainPort}/webhook/${webhookPath}`, body),
			triggerUrl: async (workflowId) => {
				// One path may be registered for several methods (the Exotel Trigger: POST and GET).
				const rows = pg.query(`select distinct "webhookPath" from webhook_entity where "workflowId" = '${workflowId}'`);
				if (rows.length !== 1) throw new Error(`workflow ${workflowId} should have registered 1 webhook, has ${rows.length}`);
				return `http://127.0.0.1:${mainPort}/webhook/${rows[0][0]}`;
			},
			sql: (q) => pg.query(q),
			mainLog: () => main.output(),
			workerLog: () => worker.output(),
		};
		for (const c of selected) {
			simulator.reset();
			await timed(`queue/${c.name}`, async () => {
				c.before?.(simulator);
				return c.run(ctx);
			}, (d) => d).catch((e: unknown) => {
				const logFile = path.join(logDir, `e2e-queue-${c.name.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}.log`);
				fs.mkdirSync(logDir, { recursive: true });
				fs.writeFileSync(logFile, `${(e as Error).stack ?? String(e)}\n\n--- simulator requests ---\n${simulator.requests.map((q) => `${q.method} ${q.path} ${JSON.stringify(q.query)} → ${q.status}`).join('\n')}\n`);
				log(`FAIL queue/${c.name}: ${(e as Error).message}\n     (see ${path.relative(repoRoot, logFile)} and test-artifacts/e2e-queue-{main,worker}.log)`);
			});
		}
		await timed('queue: no secrets in n8n logs', () => {
			const secrets = { 'Exotel API key': simulator.credentials.apiKey, 'Exotel API token': simulator.credentials.apiToken, 'trigger secret': TRIGGER_SECRET };
			for (const p of [main, worker]) {
				for (const [what, secret] of Object.entries(secrets)) {
					if (p.output().includes(secret)) throw new Error(`the ${what} appears in n8n ${p.name}'s log`);
				}
			}
		}, () => `main ${(main.output().length / 1024).toFixed(0)} kB, worker ${(worker.output().length / 1024).toFixed(0)} kB of log checked`);
	} catch (e) {
		log(`queue mode aborted: ${(e as Error).stack ?? String(e)}`);
		if (!rows.some((r) => r.result === 'FAIL')) rows.push({ step: 'queue mode', result: 'FAIL', ms: 0, detail: firstLine(e) });
	} finally {
		if (rows.some((r) => r.result === 'FAIL')) saveLogs();
		// Stop n8n now (not at the very end) so the remaining checks get the CPU; Redis and PostgreSQL
		// follow in the final cleanup.
		await Promise.all(started.map((p) => p.stop()));
		await sim?.stop();
	}
	return rows;
}

function firstLine(e: unknown): string {
	const m = e instanceof Error ? e.message : String(e);
	return m.split('\n')[0];
}
