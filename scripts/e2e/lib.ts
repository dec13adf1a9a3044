/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Tooling runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules and child processes */
/**
 * Shared plumbing for the end-to-end checks and the demo: a real n8n (Node 24, cached install)
 * with this package installed the way users get it, talking to the in-process Exotel simulator.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import type { N8nInstall } from './n8n-install';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-exotel';
export const NODE_TYPE = `${PACKAGE_NAME}.exotel`;
export const CREDENTIAL_ID = 'exotelSim';
export const CREDENTIAL_NAME = 'Exotel (simulator)';
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the throwaway test instance's key, public on purpose
export const ENCRYPTION_KEY = 'n8n-nodes-exotel-e2e-fixed-encryption-key';

export function log(msg: string): void {
	process.stderr.write(`[e2e] ${msg}\n`);
}

/** A command's result, on stdout. */
export function print(text: string): void {
	process.stdout.write(`${text}\n`);
}

/** A command's failure, on stderr, with its stack when it has one. */
export function printError(e: unknown): void {
	process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
}

export function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

/** Ask the OS for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

export async function isPortFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

// ---------------------------------------------------------------------------------------------
// Child processes: every long-lived child is started in its own process group and killed (group
// and all: n8n starts task-runner children) on exit, on Ctrl-C and on failure.
// ---------------------------------------------------------------------------------------------
const children = new Set<ChildProcess>();
/** How each child wants to be asked to stop, and whether it outlives the others (databases). */
const stopPolicy = new WeakMap<ChildProcess, { signal: NodeJS.Signals; late: boolean }>();
const cleanups: Array<() => Promise<void> | void> = [];
let cleaningUp = false;

export function onCleanup(fn: () => Promise<void> | void): void {
	cleanups.push(fn);
}

export function killTree(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

export async function stopChild(child: ChildProcess, graceMs = 5000, signal?: NodeJS.Signals): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) {
		children.delete(child);
		return;
	}
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killTree(child, signal ?? stopPolicy.get(child)?.signal ?? 'SIGTERM');
	const timer = setTimeout(() => killTree(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	children.delete(child);
}

export async function cleanupAll(): Promise<void> {
	if (cleaningUp) return;
	cleaningUp = true;
	// n8n processes first, then the services they use (Redis, PostgreSQL), so n8n shuts down cleanly.
	await Promise.all([...children].filter((c) => !stopPolicy.get(c)?.late).map((c) => stopChild(c)));
	await Promise.all([...children].map((c) => stopChild(c)));
	for (const fn of cleanups.reverse()) {
		try {
			await fn();
		} catch (e) {
			log(`cleanup step failed: ${(e as Error).message}`);
		}
	}
}

let signalsInstalled = false;
export function installSignalHandlers(): void {
	if (signalsInstalled) return;
	signalsInstalled = true;
	for (const sig of ['SIGINT', 'SIGTERM'] as const) {
		process.on(sig, () => {
			log(`${sig}: cleaning up`);
			void cleanupAll().finally(() => process.exit(130));
		});
	}
	// Last resort: synchronous kill of anything still running.
	process.on('exit', () => {
		for (const c of children) killTree(c, 'SIGKILL');
	});
}

export function spawnTracked(cmd: string, args: string[], opts: SpawnOptions, stop?: { signal?: NodeJS.Signals; late?: boolean }): ChildProcess {
	const child = spawn(cmd, args, { ...opts, detached: true });
	children.add(child);
	if (stop) stopPolicy.set(child, { signal: stop.signal ?? 'SIGTERM', late: stop.late ?? false });
	child.once('exit', () => children.delete(child));
	return child;
}

// ---------------------------------------------------------------------------------------------
// Build and install the package into an n8n user folder.
// ---------------------------------------------------------------------------------------------
export function buildPackage(): number {
	const t0 = Date.now();
	log('npm run build');
	const r = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
	if (r.status !== 0) {
		process.stderr.write(r.stdout);
		process.stderr.write(r.stderr);
		throw new Error('npm run build failed');
	}
	for (const f of ['dist/nodes/Exotel/Exotel.node.js', 'dist/credentials/ExotelApi.credentials.js']) {
		if (!fs.existsSync(path.join(repoRoot, f))) throw new Error(`build did not produce ${f}`);
	}
	return Date.now() - t0;
}

/**
 * A fresh N8N_USER_FOLDER with the package copied to .n8n/nodes/node_modules/n8n-nodes-exotel
 * (package.json + dist, as `npm install n8n-nodes-exotel` would leave it), so the node type is
 * `n8n-nodes-exotel.exotel`, exactly as in users' workflows.
 */
export function prepareUserFolder(prefix = 'n8n-exotel-e2e-'): string {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const pkgDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(pkgDir, { recursive: true });
	const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: pkg.version } }, null, 2),
	);
	fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(pkgDir, 'package.json'));
	fs.cpSync(path.join(repoRoot, 'dist'), path.join(pkgDir, 'dist'), { recursive: true });
	return userFolder;
}

export interface N8nEnvOptions {
	userFolder: string;
	brokerPort: number;
	port?: number;
	extra?: Record<string, string>;
}

export function n8nEnv(install: N8nInstall, o: N8nEnvOptions): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	// A minimal, explicit environment: nothing from the developer's shell leaks in (no N8N_* from a
	// local setup, no npm_* from `npm run`).
	for (const k of ['HOME', 'LANG', 'TZ', 'TMPDIR', 'USER']) if (process.env[k]) env[k] = process.env[k];
	Object.assign(env, {
		PATH: `${install.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: o.userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_RUNNERS_BROKER_PORT: String(o.brokerPort),
		N8N_LOG_LEVEL: 'info', // higher levels swallow `execute --rawOutput` JSON
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		DB_SQLITE_POOL_SIZE: '1',
		NODE_ENV: 'production',
		...(o.port !== undefined ? { N8N_PORT: String(o.port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: 'localhost' } : {}),
		...(o.extra ?? {}),
	});
	return env;
}

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
	ms: number;
}

/** Run one `n8n <args>` command to completion under Node 24. */
export async function n8nCli(install: N8nInstall, env: NodeJS.ProcessEnv, args: string[], timeoutMs = 120_000): Promise<CliResult> {
	const t0 = Date.now();
	const child = spawnTracked(install.nodeBin, [install.n8nBin, ...args], { cwd: env.N8N_USER_FOLDER, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
	child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
	const timer = setTimeout(() => {
		stderr += `\n[e2e] n8n ${args[0]} timed out after ${timeoutMs} ms; killing it\n`;
		killTree(child, 'SIGKILL');
	}, timeoutMs);
	const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
	clearTimeout(timer);
	return { code, stdout, stderr, ms: Date.now() - t0 };
}

export async function n8nCliOk(install: N8nInstall, env: NodeJS.ProcessEnv, args: string[], timeoutMs?: number): Promise<CliResult> {
	const r = await n8nCli(install, env, args, timeoutMs);
	if (r.code !== 0) {
		throw new Error(`n8n ${args.join(' ')} exited with ${r.code}\n--- stdout ---\n${r.stdout.slice(-4000)}\n--- stderr ---\n${r.stderr.slice(-4000)}`);
	}
	return r;
}

export interface CredentialSpec {
	apiKey: string;
	apiToken: string;
	accountSid: string;
	region: string;
	baseUrl: string;
}

/** Write the simulator credential as an importable file (plain `data`; n8n encrypts it on import). */
export function writeCredentialFile(dir: string, creds: CredentialSpec): string {
	const file = path.join(dir, 'exotel-credential.json');
	fs.writeFileSync(
		file,
		JSON.stringify(
			[
				{
					id: CREDENTIAL_ID,
					name: CREDENTIAL_NAME,
					type: 'exotelApi',
					data: { ...creds },
				},
			],
			null,
			2,
		),
	);
	return file;
}

/** Poll an URL until it answers (any HTTP status) or the deadline passes. */
export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`process exited (${child.exitCode ?? child.signalCode}) before ${url} answered`);
		try {
			const res = await fetch(url);
			if (res.status < 500) return;
		} catch {
			/* not yet */
		}
		if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 250));
	}
}
