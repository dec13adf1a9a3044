/**
 * Browser check: the Exotel node opens in the real n8n editor and shows its parameters.
 *
 * Starts `n8n start` (owner managed by env) on the given user folder, which already holds the
 * imported credential and workflows, signs in through the sign-in page, opens the bulk-contacts
 * workflow, double-clicks the Exotel node and checks that its panel shows "Resource", "Operation"
 * and "Phone Number". Saves test-artifacts/exotel-node-editor.png (also on failure, for debugging).
 *
 * Standalone: ts-node --transpile-only scripts/e2e/editor-screenshot.ts  (builds nothing; uses dist/)
 * Chromium: Debian's /usr/bin/chromium; installed with apt-get when missing (root), else skipped.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ExotelSimulator } from '../../test/simulator/server';
import {
	cleanupAll,
	freePort,
	installSignalHandlers,
	log,
	n8nCliOk,
	n8nEnv,
	prepareUserFolder,
	repoRoot,
	spawnTracked,
	stopChild,
	writeCredentialFile,
} from './lib';
import { ensureN8n, type N8nInstall } from './n8n-install';

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];
export const OWNER = { email: 'owner@example.com', password: 'Exotel-demo-1', firstName: 'Demo', lastName: 'Owner' };
export const EDITOR_WORKFLOW_ID = 'exoE2eContacts01';
const NODE_NAME = 'Create contacts';
const SCREENSHOT = path.join(repoRoot, 'test-artifacts', 'exotel-node-editor.png');

/** Makes sure Chromium is there; returns a reason to skip when it cannot be. */
export function ensureChromium(): string | undefined {
	if (fs.existsSync(CHROMIUM)) return undefined;
	const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
	if (apt.status !== 0) return `${CHROMIUM} is missing and apt-get is not available`;
	if (typeof process.getuid === 'function' && process.getuid() !== 0) return `${CHROMIUM} is missing; install it: sudo apt-get install -y chromium`;
	log('installing chromium with apt-get (once)');
	const r = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
	if (r.status !== 0 || !fs.existsSync(CHROMIUM)) return `apt-get install chromium failed: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}`;
	return undefined;
}

/** A bcrypt hash for N8N_INSTANCE_OWNER_PASSWORD_HASH, made with the bcryptjs that n8n itself ships. */
export function bcryptHash(install: N8nInstall, password: string): string {
	const bcrypt = require(path.join(install.dir, 'node_modules', 'bcryptjs')) as { hashSync(p: string, rounds: number): string };
	return bcrypt.hashSync(password, 10);
}

export function ownerEnv(install: N8nInstall): Record<string, string> {
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(install, OWNER.password),
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
	};
}

export interface StartedN8n {
	url: string;
	stop(): Promise<void>;
	output(): string;
}

/** `n8n start` on a free (or given) port; resolves once /healthz/readiness answers 200. */
export async function startN8n(install: N8nInstall, userFolder: string, opts: { port?: number; extra?: Record<string, string>; echo?: boolean } = {}): Promise<StartedN8n> {
	const port = opts.port ?? (await freePort());
	const env = n8nEnv(install, { userFolder, brokerPort: await freePort(), port, extra: { ...ownerEnv(install), ...(opts.extra ?? {}) } });
	const child = spawnTracked(install.nodeBin, [install.n8nBin, 'start'], { cwd: userFolder, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	const collect = (d: Buffer) => {
		out += d.toString('utf8');
		if (out.length > 200_000) out = out.slice(-100_000);
		if (opts.echo) process.stderr.write(d);
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const url = `http://localhost:${port}`;
	const t0 = Date.now();
	const deadline = Date.now() + 90_000;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`n8n start exited (${child.exitCode ?? child.signalCode}):\n${out.slice(-3000)}`);
		try {
			const res = await fetch(`${url}/healthz/readiness`);
			if (res.status === 200) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			await stopChild(child);
			throw new Error(`n8n start was not ready within 90 s:\n${out.slice(-3000)}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	log(`n8n start ready on ${url} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	return { url, stop: () => stopChild(child), output: () => out };
}

export async function editorScreenshot(o: { install: N8nInstall; userFolder: string; sim?: ExotelSimulator }): Promise<{ skipped: boolean; detail: string }> {
	const skip = ensureChromium();
	if (skip) {
		log(`editor screenshot skipped: ${skip}`);
		return { skipped: true, detail: skip };
	}
	const { chromium } = await import('playwright-core');
	const n8n = await startN8n(o.install, o.userFolder);
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
	fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	try {
		page.setDefaultTimeout(30_000);
		await page.goto(`${n8n.url}/signin`);
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(OWNER.email);
		await page.locator('input[type="password"]').first().fill(OWNER.password);
		await page.locator('input[type="password"]').first().press('Enter');
		await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30_000 });

		await page.goto(`${n8n.url}/workflow/${EDITOR_WORKFLOW_ID}`);
		const node = page.locator('[data-test-id="canvas-node"]', { hasText: NODE_NAME }).first();
		await node.waitFor({ state: 'visible' });
		await node.dblclick();
		const ndv = page.locator('[data-test-id="ndv"]').first();
		await ndv.waitFor({ state: 'visible' });
		const expected = ['Resource', 'Operation', 'Phone Number'];
		for (const label of expected) {
			await ndv.getByText(label, { exact: true }).first().waitFor({ state: 'visible', timeout: 15_000 });
		}
		// Let icons and the credential selector settle before the picture.
		await page.waitForTimeout(500);
		await page.screenshot({ path: SCREENSHOT });

		// Then run the workflow from the editor (the path users take: manual run through the UI),
		// and look at the node's output.
		let detail = `${expected.join(', ')} visible; ${path.relative(repoRoot, SCREENSHOT)}`;
		if (o.sim) {
			const before = o.sim.requests.length;
			await page.keyboard.press('Escape');
			await ndv.waitFor({ state: 'hidden' });
			await page.locator('[data-test-id="execute-workflow-button"]').first().click();
			await page.getByText('Workflow executed successfully').first().waitFor({ state: 'visible', timeout: 60_000 });
			const posts = o.sim.requests.slice(before).filter((r) => r.method === 'POST' && /\/contacts$/.test(r.path));
			if (posts.length !== 1) throw new Error(`running the workflow from the editor should send ONE POST /contacts, the simulator got ${posts.length}`);
			await node.dblclick();
			await ndv.waitFor({ state: 'visible' });
			await page.waitForTimeout(500);
			await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-run.png') });
			detail += '; ran from the editor (1 bulk POST)';
		}
		return { skipped: false, detail };
	} catch (e) {
		await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, '.failed.png') }).catch(() => undefined);
		fs.writeFileSync(path.join(path.dirname(SCREENSHOT), 'n8n-start.log'), n8n.output());
		throw e;
	} finally {
		await browser.close().catch(() => undefined);
		await n8n.stop();
	}
}

/**
 * The check on its own: a fresh user folder and simulator of its own (so it can run alongside the
 * workflow runs without touching their simulator's request log), the credential and the workflow
 * imported, then the check; everything removed afterwards.
 */
export async function editorScreenshotIsolated(install: N8nInstall): Promise<{ skipped: boolean; detail: string }> {
	if (ensureChromium()) return editorScreenshot({ install, userFolder: '' });
	const { ExotelSimulator } = await import('../../test/simulator/server');
	const sim = await ExotelSimulator.start({});
	const userFolder = prepareUserFolder('n8n-exotel-e2e-editor-');
	try {
		const env = n8nEnv(install, { userFolder, brokerPort: await freePort() });
		await n8nCliOk(install, env, ['import:credentials', `--input=${writeCredentialFile(userFolder, sim.credentials)}`]);
		await n8nCliOk(install, env, ['import:workflow', `--input=${path.join(repoRoot, 'test', 'e2e', 'contacts-bulk-create.workflow.json')}`]);
		return await editorScreenshot({ install, userFolder, sim });
	} finally {
		await sim.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

// Standalone: ts-node --transpile-only scripts/e2e/editor-screenshot.ts
if (require.main === module) {
	void (async () => {
		installSignalHandlers();
		let code = 0;
		try {
			const r = await editorScreenshotIsolated(ensureN8n());
			console.log(r.skipped ? `SKIPPED: ${r.detail}` : `PASS: ${r.detail}`);
		} catch (e) {
			console.error(e);
			code = 1;
		} finally {
			await cleanupAll();
		}
		process.exit(code);
	})();
}
