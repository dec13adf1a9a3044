/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Benchmark code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules and child processes */
/**
 * `npm run bench:trigger`: the Exotel Trigger beside n8n's own Webhook node in real n8n 2.41.1
 * (regular mode, SQLite), in the same run. For each expression engine setting one n8n main is
 * started with both workflows published (Trigger → No Op, Webhook POST → No Op), and for each:
 *   - 1,000 distinct campaign call-status callbacks from 20 concurrent senders: answer times,
 *     executions a second (from the first request to the last execution's stop time, as n8n
 *     recorded them), n8n main's peak RSS during the burst (VmHWM, reset before each burst);
 *   - the Trigger only: 200 callbacks posted twice at the same moment, then 100 of them resent 2 s
 *     later: executions per delivery (should be exactly 200).
 * Results are printed and written to bench/results-trigger.md; `--engines=vm,legacy` picks settings.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { buildPackage, cleanupAll, freePort, installSignalHandlers, log, n8nCliOk, n8nEnv, prepareUserFolder, repoRoot, spawnTracked, stopChild, waitForHttp } from '../scripts/e2e/lib';
import { ensureN8n, type N8nInstall } from '../scripts/e2e/n8n-install';

const CALLBACKS = 1000;
const SENDERS = 20;
const TRIGGER_WEBHOOK_ID = 'b3f1c0de-0000-4000-8000-00000000b001';
const SECRET = 'bench-trigger-secret';
const MiB = 1024 * 1024;

const ENGINES: Record<string, Record<string, string>> = {
	vm: {},
	'vm+lazy': { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
	legacy: { N8N_EXPRESSION_ENGINE: 'legacy' },
};

function node(id: string, name: string, type: string, typeVersion: number, x: number, parameters: object, extra: object = {}) {
	return { id, name, type, typeVersion, position: [x, 0], parameters, ...extra };
}

function workflows() {
	const noOp = (id: string) => node(id, 'Done', 'n8n-nodes-base.noOp', 1, 220, {});
	const connect = (from: string) => ({ [from]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } });
	return [
		{
			id: 'benchExotelTrigger',
			name: 'bench: Exotel Trigger',
			active: true,
			nodes: [
				node('b0000000-0000-4000-8000-000000000001', 'Exotel Trigger', 'n8n-nodes-exotel.exotelTrigger', 1.1, 0, { event: 'callStatus', secret: SECRET }, { webhookId: TRIGGER_WEBHOOK_ID }),
				noOp('b0000000-0000-4000-8000-000000000002'),
			],
			connections: connect('Exotel Trigger'),
			settings: { executionOrder: 'v1' },
		},
		{
			id: 'benchWebhookNode',
			name: 'bench: n8n Webhook node',
			active: true,
			nodes: [
				node('b0000000-0000-4000-8000-000000000003', 'Webhook', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: 'bench-webhook', options: {} }, { webhookId: 'b3f1c0de-0000-4000-8000-00000000b002' }),
				noOp('b0000000-0000-4000-8000-000000000004'),
			],
			connections: connect('Webhook'),
			settings: { executionOrder: 'v1' },
		},
	];
}

/** One SQL query on n8n's SQLite database, through Node 24's built-in `node:sqlite`. */
function sql(install: N8nInstall, dbFile: string, query: string): unknown[] {
	const script = `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(process.env.DB, { readOnly: true }); process.stdout.write(JSON.stringify(db.prepare(process.env.Q).all()));`;
	const r = spawnSync(install.nodeBin, ['--no-warnings', '-e', script], { env: { DB: dbFile, Q: query }, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`sqlite query failed: ${r.stderr}`);
	return JSON.parse(r.stdout) as unknown[];
}

function peakRss(pid: number): number {
	const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) * 1024 : 0;
}

function resetPeakRss(pid: number): void {
	// Writing 5 to clear_refs resets the peak resident set size (Linux).
	fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

function callback(run: string, i: number) {
	return {
		campaign_sid: `CMP${run}`,
		call_sid: `CA${run}${String(i).padStart(6, '0')}`,
		number: `+9198${String(i).padStart(8, '0')}`,
		status: 'completed',
		date_created: '2026-12-07 10:00:00',
		date_updated: '2026-12-07 10:00:41',
	};
}

async function post(url: string, body: object): Promise<{ status: number; ms: number }> {
	const t0 = performance.now();
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	await res.arrayBuffer();
	return { status: res.status, ms: performance.now() - t0 };
}

/** `count` bodies from `senders` concurrent senders, each sending its next one when answered. */
async function burst(url: string, bodies: object[], senders: number) {
	const answers: Array<{ status: number; ms: number }> = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: senders }, async () => {
			while (next < bodies.length) answers.push(await post(url, bodies[next++]));
		}),
	);
	return answers;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];

async function executionsSince(install: N8nInstall, db: string, workflowId: string, afterId: number, count: number, timeoutMs = 600_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const rows = sql(install, db, `select id, status, startedAt, stoppedAt from execution_entity where workflowId = '${workflowId}' and id > ${afterId}`) as Array<{ id: number; status: string; startedAt: string; stoppedAt: string | null }>;
		const settled = rows.filter((r) => r.stoppedAt !== null && r.status !== 'running' && r.status !== 'new');
		if ((rows.length >= count && settled.length === rows.length) || Date.now() > deadline) return rows;
		await new Promise((r) => setTimeout(r, 1000));
	}
}

const lastId = (install: N8nInstall, db: string) => Number((sql(install, db, 'select coalesce(max(id), 0) as id from execution_entity')[0] as { id: number }).id);

interface Measure {
	answersP50: number;
	answersP95: number;
	answerPerS: number;
	execPerS: number;
	executions: number;
	peakRss: number;
	non200: number;
}

interface Half {
	answers: Array<{ status: number; ms: number }>;
	answeredMs: number;
	execMs: number;
	executions: number;
	peakRss: number;
}

/** One half of a burst: `count` callbacks, until their executions have all stopped. */
async function half(install: N8nInstall, db: string, pid: number, url: string, workflowId: string, run: string, count: number): Promise<Half> {
	const bodies = Array.from({ length: count }, (_, i) => callback(run, i));
	const before = lastId(install, db);
	resetPeakRss(pid);
	const t0 = Date.now();
	const answers = await burst(url, bodies, SENDERS);
	const answeredMs = Date.now() - t0;
	const rows = await executionsSince(install, db, workflowId, before, count);
	const lastStop = Math.max(...rows.map((r) => Date.parse(`${r.stoppedAt!.replace(' ', 'T')}${/Z|\+/.test(r.stoppedAt!) ? '' : 'Z'}`)));
	return { answers, answeredMs, execMs: lastStop - t0, executions: rows.length, peakRss: peakRss(pid) };
}

function combine(halves: Half[]): Measure {
	const ms = halves.flatMap((h) => h.answers.map((a) => a.ms));
	const executions = halves.reduce((n, h) => n + h.executions, 0);
	return {
		answersP50: percentile(ms, 50),
		answersP95: percentile(ms, 95),
		answerPerS: ms.length / (halves.reduce((t, h) => t + h.answeredMs, 0) / 1000),
		execPerS: executions / (halves.reduce((t, h) => t + h.execMs, 0) / 1000),
		executions,
		peakRss: Math.max(...halves.map((h) => h.peakRss)),
		non200: halves.reduce((n, h) => n + h.answers.filter((a) => a.status !== 200).length, 0),
	};
}

async function redelivery(install: N8nInstall, db: string, url: string): Promise<{ deliveries: number; executions: number; answers: string }> {
	const before = lastId(install, db);
	const bodies = Array.from({ length: 200 }, (_, i) => callback('redeliver', i));
	const twice = await Promise.all(bodies.flatMap((b) => [post(url, b), post(url, b)]));
	await new Promise((r) => setTimeout(r, 2000));
	const again = await Promise.all(bodies.slice(0, 100).map((b) => post(url, b)));
	// Executions start after the answers; give the last ones time to be recorded.
	await new Promise((r) => setTimeout(r, 3000));
	const rows = await executionsSince(install, db, 'benchExotelTrigger', before, 200, 60_000);
	const statuses = new Map<number, number>();
	for (const a of [...twice, ...again]) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
	const answers = [...statuses].map(([status, n]) => `${n}× ${status}`).join(', ');
	return { deliveries: twice.length + again.length, executions: rows.length, answers };
}

async function runEngine(install: N8nInstall, engine: string) {
	const userFolder = prepareUserFolder('n8n-exotel-bench-');
	const port = await freePort();
	const env = n8nEnv(install, {
		userFolder,
		brokerPort: await freePort(),
		port,
		extra: { ...ENGINES[engine], WEBHOOK_URL: `http://127.0.0.1:${port}/`, N8N_LOG_LEVEL: 'warn' },
	});
	const dir = path.join(userFolder, 'bench-workflows');
	fs.mkdirSync(dir);
	for (const wf of workflows()) fs.writeFileSync(path.join(dir, `${wf.id}.json`), JSON.stringify(wf));
	await n8nCliOk(install, env, ['import:workflow', '--separate', `--input=${dir}`], 180_000);
	for (const wf of workflows()) await n8nCliOk(install, env, ['publish:workflow', `--id=${wf.id}`], 120_000);
	const child = spawnTracked(install.nodeBin, [install.n8nBin, 'start'], { cwd: userFolder, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-200_000)));
	child.stderr?.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-200_000)));
	try {
		await waitForHttp(`http://127.0.0.1:${port}/healthz/readiness`, 180_000, child);
		const db = path.join(userFolder, '.n8n', 'database.sqlite');
		const triggerUrl = `http://127.0.0.1:${port}/webhook/${TRIGGER_WEBHOOK_ID}/webhook?token=${SECRET}`;
		const webhookUrl = `http://127.0.0.1:${port}/webhook/bench-webhook`;
		// Webhooks register shortly after start; warm both paths up (JIT, pools) before measuring.
		for (const url of [triggerUrl, webhookUrl]) {
			const deadline = Date.now() + 60_000;
			while ((await post(url, callback('probe', 0))).status !== 200) {
				if (Date.now() > deadline) throw new Error(`${url} never answered 200:\n${output.slice(-3000)}`);
				await new Promise((r) => setTimeout(r, 500));
			}
			await burst(url, Array.from({ length: 100 }, (_, i) => callback(`warm${engine}`, i)), SENDERS);
		}
		await new Promise((r) => setTimeout(r, 3000));
		const pid = child.pid!;
		// Alternating halves (Webhook, Trigger, Trigger, Webhook), so drift in the machine's load and
		// n8n's growing database weigh on both alike.
		const halfCount = CALLBACKS / 2;
		const w: Half[] = [];
		const t: Half[] = [];
		log(`${engine}: ${halfCount} callbacks to the Webhook node, then to the Exotel Trigger`);
		w.push(await half(install, db, pid, webhookUrl, 'benchWebhookNode', `W1${engine}`, halfCount));
		t.push(await half(install, db, pid, triggerUrl, 'benchExotelTrigger', `T1${engine}`, halfCount));
		log(`${engine}: ${halfCount} callbacks to the Exotel Trigger, then to the Webhook node`);
		t.push(await half(install, db, pid, triggerUrl, 'benchExotelTrigger', `T2${engine}`, halfCount));
		w.push(await half(install, db, pid, webhookUrl, 'benchWebhookNode', `W2${engine}`, halfCount));
		const webhook = combine(w);
		const trigger = combine(t);
		log(`${engine}: concurrent redelivery to the Exotel Trigger`);
		const redelivered = await redelivery(install, db, triggerUrl);
		if (output.includes(SECRET)) throw new Error("the trigger's secret appears in n8n's log");
		return { engine, webhook, trigger, redelivered };
	} finally {
		await stopChild(child, 15_000);
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

async function main() {
	installSignalHandlers();
	const engines = (process.argv.find((a) => a.startsWith('--engines='))?.split('=')[1] ?? 'vm,vm+lazy,legacy').split(',');
	const install = ensureN8n();
	if (!process.argv.includes('--no-build')) buildPackage();
	const lines = [
		`## Exotel Trigger beside n8n's Webhook node (real n8n ${install.n8nVersion}, regular mode, SQLite)`,
		'',
		`${CALLBACKS} distinct campaign call-status callbacks (JSON) from ${SENDERS} concurrent senders to each published workflow (→ No Op), one n8n main per engine setting, in alternating halves of 500 (Webhook, Trigger, Trigger, Webhook). Executions a second: executions over the summed time from each half's first request to its last execution's stop time. Peak RSS: n8n main's VmHWM, reset before each half, highest of the two. Redelivery: 200 callbacks posted twice at the same moment, 100 of them again 2 s later.`,
		'',
		'| engine | node | answer p50 / p95 | answers/s | executions/s | trigger ÷ webhook | peak RSS | executions for deliveries |',
		'|---|---|---|---|---|---|---|---|',
	];
	for (const engine of engines) {
		log(`bench:trigger engine ${engine}`);
		const r = await runEngine(install, engine);
		const fmt = (m: Measure) => `${m.answersP50.toFixed(0)} / ${m.answersP95.toFixed(0)} ms | ${m.answerPerS.toFixed(1)} | ${m.execPerS.toFixed(1)} (${m.executions}${m.non200 ? `, ${m.non200} non-200` : ''})`;
		lines.push(`| ${engine} | Webhook node | ${fmt(r.webhook)} | | ${(r.webhook.peakRss / MiB).toFixed(0)} MiB | |`);
		lines.push(
			`| ${engine} | Exotel Trigger | ${fmt(r.trigger)} | ${(r.trigger.execPerS / r.webhook.execPerS).toFixed(2)}x | ${(r.trigger.peakRss / MiB).toFixed(0)} MiB | ${r.redelivered.executions} for ${r.redelivered.deliveries} (200 distinct; answers ${r.redelivered.answers}) |`,
		);
		process.stdout.write(`${lines.slice(-2).join('\n')}\n`);
	}
	const out = `${lines.join('\n')}\n`;
	process.stdout.write(`\n${out}`);
	fs.writeFileSync(path.join(repoRoot, 'bench', 'results-trigger.md'), out);
}

main()
	.then(() => cleanupAll())
	.catch(async (error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		await cleanupAll();
		process.exit(1);
	});
