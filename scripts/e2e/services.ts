/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Tooling runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules and child processes */
/**
 * Throwaway Redis and PostgreSQL for the queue-mode checks: installed with apt when missing (CI is a
 * fresh Debian 12 machine running as root), started on free ports with their data in a temporary
 * directory, stopped (and the directory removed) on cleanup.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort, log, onCleanup, spawnTracked } from './lib';

const PG_VERSIONS = ['17', '16', '15'];

function which(cmd: string): string | undefined {
	const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : undefined;
}

function postgresBinDir(): string | undefined {
	for (const v of PG_VERSIONS) {
		const dir = `/usr/lib/postgresql/${v}/bin`;
		if (fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'postgres'))) return dir;
	}
	return undefined;
}

function isRoot(): boolean {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number; label: string }): void {
	const r = spawnSync(cmd, args, { env: opts.env ?? process.env, uid: opts.uid, gid: opts.gid, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 * 1024 * 1024 });
	if (r.status !== 0) {
		throw new Error(`${opts.label} failed (exit ${r.status ?? r.signal}): ${cmd} ${args.join(' ')}\n${(r.stdout ?? '').slice(-3000)}\n${(r.stderr ?? '').slice(-3000)}`);
	}
}

/** Like run(), without blocking the event loop (apt-get takes a while; other checks run meanwhile). */
async function runAsync(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; label: string }): Promise<void> {
	const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	const keep = (d: Buffer) => {
		out = (out + d.toString('utf8')).slice(-6000);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	const code = await new Promise<number | null>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (c) => resolve(c));
	});
	if (code !== 0) throw new Error(`${opts.label} failed (exit ${code}): ${cmd} ${args.join(' ')}\n${out}`);
}

/**
 * `apt-get install redis-server postgresql` when either is missing. Debian's package scripts would
 * start the system's own Redis and PostgreSQL services (port 6379, cluster 15/main on 5432); a
 * temporary policy-rc.d (Debian's switch for "do not start daemons during installs") keeps them off,
 * since the checks start their own throwaway instances.
 */
export async function ensureRedisAndPostgres(): Promise<{ installed: string[]; ms: number }> {
	const t0 = Date.now();
	const missing: string[] = [];
	if (!which('redis-server')) missing.push('redis-server');
	if (!postgresBinDir()) missing.push('postgresql');
	if (missing.length === 0) return { installed: [], ms: 0 };
	if (!which('apt-get')) throw new Error(`${missing.join(' and ')} missing and there is no apt-get to install them; install them or run with --no-queue`);
	const sudo = isRoot() ? [] : ['sudo', '-n'];
	if (sudo.length && !which('sudo')) throw new Error(`${missing.join(' and ')} missing: run as root (or with passwordless sudo) so apt-get can install them, or with --no-queue`);
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = isRoot() && !fs.existsSync(policy);
	if (ownPolicy) fs.writeFileSync(policy, '#!/bin/sh\n# written by n8n-nodes-exotel e2e for the duration of apt-get install\nexit 101\n', { mode: 0o755 });
	// Also removed when the run is interrupted during the install.
	if (ownPolicy) onCleanup(() => fs.rmSync(policy, { force: true }));
	try {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		// The editor check may be installing Chromium with apt at the same time: wait for dpkg's lock.
		const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
		const apt = (args: string[], label: string) =>
			sudo.length ? runAsync(sudo[0], [...sudo.slice(1), 'apt-get', ...lockWait, ...args], { env, label }) : runAsync('apt-get', [...lockWait, ...args], { env, label });
		log(`apt-get install ${missing.join(' ')}`);
		try {
			await apt(['install', '-y', '--no-install-recommends', ...missing], 'apt-get install');
		} catch {
			// A fresh machine may have no package lists yet.
			await apt(['update'], 'apt-get update');
			await apt(['install', '-y', '--no-install-recommends', ...missing], 'apt-get install');
		}
	} finally {
		if (ownPolicy) fs.rmSync(policy, { force: true });
	}
	if (!which('redis-server') || !postgresBinDir()) throw new Error('apt-get install finished but redis-server or PostgreSQL is still missing');
	return { installed: missing, ms: Date.now() - t0 };
}

async function waitFor(what: string, child: ChildProcess, output: () => string, ready: () => boolean, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!ready()) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output().slice(-3000)}`);
		if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms:\n${output().slice(-3000)}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

export interface RedisInstance {
	host: string;
	port: number;
}

export async function startRedis(workDir: string): Promise<RedisInstance> {
	const port = await freePort();
	const dir = path.join(workDir, 'redis');
	fs.mkdirSync(dir, { recursive: true });
	const child = spawnTracked('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	}, { late: true });
	let out = '';
	child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
	child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
	const cli = which('redis-cli');
	await waitFor('redis-server', child, () => out, () => {
		if (!cli) return true;
		return spawnSync(cli, ['-h', '127.0.0.1', '-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG';
	}, 15_000);
	return { host: '127.0.0.1', port };
}

export interface PostgresInstance {
	host: string;
	port: number;
	user: string;
	database: string;
	/** Run one SQL statement with psql; rows as arrays of column strings. */
	query(sql: string): string[][];
}

function postgresUser(): { uid: number; gid: number } | undefined {
	if (!isRoot()) return undefined;
	const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
	const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
	if (r.status !== 0 || g.status !== 0) throw new Error('running as root but there is no "postgres" user to run PostgreSQL as (initdb refuses root)');
	return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/**
 * A PostgreSQL cluster in `workDir/pg` (trust auth on 127.0.0.1, durability off: it is thrown away),
 * with an `n8n` database. As root, initdb and the server run as the `postgres` user.
 */
export async function startPostgres(workDir: string): Promise<PostgresInstance> {
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql/<version>/bin');
	const owner = postgresUser();
	const base = path.join(workDir, 'pg');
	fs.mkdirSync(base, { recursive: true });
	if (owner) {
		// The temp dir is root's and 0700: postgres must be able to reach its data directory.
		fs.chmodSync(workDir, 0o755);
		fs.chownSync(base, owner.uid, owner.gid);
	}
	const dataDir = path.join(base, 'data');
	const sockDir = base;
	const ids = owner ?? {};
	const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
	run(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'], { ...ids, env, label: 'initdb' });
	const port = await freePort();
	const child = spawnTracked(
		path.join(bin, 'postgres'),
		['-D', dataDir, '-p', String(port), '-k', sockDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=100'],
		{ ...ids, env, stdio: ['ignore', 'pipe', 'pipe'], cwd: base },
		// SIGINT is PostgreSQL's "fast shutdown" (SIGTERM waits for every client to leave).
		{ signal: 'SIGINT', late: true },
	);
	let out = '';
	child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
	child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
	const psql = (db: string, sql: string) =>
		spawnSync(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-X', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8', env });
	await waitFor('postgres', child, () => out, () => psql('postgres', 'select 1').stdout?.trim() === '1', 30_000);
	const created = psql('postgres', 'CREATE DATABASE n8n');
	if (created.status !== 0) throw new Error(`CREATE DATABASE n8n failed: ${created.stderr}`);
	return {
		host: '127.0.0.1',
		port,
		user: 'postgres',
		database: 'n8n',
		query(sql: string): string[][] {
			const r = psql('n8n', sql);
			if (r.status !== 0) throw new Error(`psql: ${sql}\n${r.stderr}`);
			return r.stdout
				.split('\n')
				.filter((l) => l.length > 0)
				.map((l) => l.split('\t'));
		},
	};
}

/** A temporary directory for the services' data, removed on cleanup. */
export function serviceDir(keep: boolean): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-exotel-queue-'));
	onCleanup(() => {
		if (keep) log(`kept ${dir}`);
		else fs.rmSync(dir, { recursive: true, force: true });
	});
	return dir;
}
