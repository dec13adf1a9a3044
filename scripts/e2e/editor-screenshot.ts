/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error -- Tooling runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules, child processes and plain errors */
/**
 * The editor check: the Exotel node as users see it in the real n8n editor (headless Chromium).
 *
 * Starts `n8n start` (owner managed by env) on a user folder that holds the simulator's credential,
 * imports the README's example workflow (test/e2e/crm-to-campaign.workflow.json) and a "tour" workflow
 * made here with one node per resource's main operation at the node's current version, signs in, and:
 *  - runs the example from the editor (one CSV upload reaches the simulator) and pictures its canvas
 *    and the Upload node's output;
 *  - opens Contact Create, List Create, List Contact Add, CSV Upload from items (and Campaign Create
 *    when the built node has campaigns): the canvas subtitle names operation and resource, every
 *    operation in the Operation list has its description, the bulk notice is there on bulk operations,
 *    and CSV Upload hides Poll Interval / Max Wait until Wait for Completion is switched on;
 *  - opens a new Exotel credential (empty fields: no secret is ever on screen), checks its fields and
 *    that Base URL appears only for a custom region.
 * Texts are compared with the built node's description (dist/), not copies of it.
 *
 * Pictures go to test-artifacts/editor/ (also on failure, for debugging); with `imagesDir` (npm run
 * screenshots) the README's ones are written there too (docs/images/).
 *
 * Standalone: ts-node --transpile-only scripts/e2e/editor-screenshot.ts  (builds nothing; uses dist/)
 * Chromium: Debian's /usr/bin/chromium; installed with apt-get when missing (root), else skipped.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import type { INodeType } from 'n8n-workflow';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import type { ExotelSimulator } from '../../test/simulator/server';
import {
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	cleanupAll,
	freePort,
	installSignalHandlers,
	log,
	n8nCliOk,
	n8nEnv,
	NODE_TYPE,
	prepareUserFolder,
	print,
	printError,
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
	'--font-render-hinting=none',
];
export const OWNER = { email: 'owner@example.com', password: 'Exotel-demo-1', firstName: 'Demo', lastName: 'Owner' };
/** The workflow the check runs from the editor: the README's example (run.ts reuses its folder when it is imported). */
export const EDITOR_WORKFLOW_ID = 'exoCrmToCampaign';
const EXAMPLE_FILE = path.join(repoRoot, 'test', 'e2e', 'crm-to-campaign.workflow.json');
const EXAMPLE_UPLOAD_NODE = 'Upload to campaign list';
const TOUR_WORKFLOW_ID = 'exoEditorTour001';
/** The shipped Passthru routing workflow (examples/), shown on the canvas in the README. */
const PASSTHRU_FILE = path.join(repoRoot, 'examples', 'passthru-routing.workflow.json');
export const ARTIFACTS_DIR = path.join(repoRoot, 'test-artifacts', 'editor');
export const DOCS_IMAGES_DIR = path.join(repoRoot, 'docs', 'images');
/** Big enough for the longest parameter panel (CSV Upload with waiting on) without scrolling. */
const VIEWPORT = { width: 1280, height: 1280 };
/** Sharp text in the README (shown at half width there). */
const SCALE = 2;

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
	// n8n's own copy, found at run time in the install directory.
	const bcrypt = createRequire(__filename)(path.join(install.dir, 'node_modules', 'bcryptjs')) as { hashSync(p: string, rounds: number): string };
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

interface BuiltNode {
	resources: Array<{ value: string; name: string }>;
	operations: Map<string, Array<{ value: string; name: string; description?: string }>>;
	bulkNotice: string;
}

/** Names and descriptions as the built node (dist/) gives them to the editor. */
function builtNode(): BuiltNode {
	const dist = path.join(repoRoot, 'dist', 'nodes', 'Exotel');
	// The build output, not the sources: what n8n loads.
	const load = createRequire(__filename);
	const { Exotel } = load(path.join(dist, 'Exotel.node.js')) as { Exotel: new () => INodeType };
	const { BULK_NOTICE_TEXT } = load(path.join(dist, 'helpers', 'bulkNotice.js')) as { BULK_NOTICE_TEXT: string };
	const { properties } = new Exotel().description;
	const resources = (properties.find((p) => p.name === 'resource')?.options ?? []) as BuiltNode['resources'];
	const operations = new Map<string, BuiltNode['operations'] extends Map<string, infer V> ? V : never>();
	for (const property of properties.filter((p) => p.name === 'operation')) {
		for (const resource of (property.displayOptions?.show?.resource ?? []) as string[]) operations.set(resource, (property.options ?? []) as BuiltNode['resources']);
	}
	return { resources, operations, bulkNotice: BULK_NOTICE_TEXT };
}

interface TourNode {
	name: string;
	resource: string;
	operation: string;
	parameters: Record<string, unknown>;
	bulk: boolean;
	/** Picture file name, and whether the README shows it. */
	picture: string;
	readme?: boolean;
	/** Field labels the panel must show (key texts of the operation). */
	labels?: string[];
	/** An ExoPhone picker to open: the parameter, and the picture is taken with its list open. */
	picker?: string;
}

function tourNodes(node: BuiltNode, list: { sid: string; name: string }): TourNode[] {
	const nodes: TourNode[] = [
		{
			name: 'Create contacts',
			resource: 'contact',
			operation: 'create',
			bulk: true,
			picture: 'contact-create.png',
			readme: true,
			parameters: {
				number: '={{ $json.phone }}',
				additionalFields: { firstName: '={{ $json.first_name }}', lastName: '={{ $json.last_name }}', email: '={{ $json.email }}', tag: 'crm-qualified' },
				options: { defaultCountryCode: '91' },
			},
		},
		{ name: 'Create list', resource: 'list', operation: 'create', bulk: true, picture: 'list-create.png', parameters: { name: 'Callbacks {{ $now.toFormat("yyyy-MM-dd") }}' } },
		{
			name: 'Add to list',
			resource: 'listContact',
			operation: 'add',
			bulk: true,
			picture: 'list-contact-add.png',
			parameters: { listId: { __rl: true, mode: 'list', value: list.sid, cachedResultName: list.name }, contactId: '={{ $json.sid }}' },
		},
		{
			name: 'Upload CSV',
			resource: 'csvUpload',
			operation: 'upload',
			bulk: false,
			picture: 'csv-upload-from-items.png',
			readme: true,
			parameters: { listName: '=Callback campaign {{ $now.toFormat("yyyy-MM-dd") }}', source: 'items' },
		},
	];
	if (node.operations.get('campaign')?.some((o) => o.value === 'create')) {
		nodes.push({
			name: 'Create campaign',
			resource: 'campaign',
			operation: 'create',
			bulk: false,
			picture: 'campaign-create.png',
			parameters: { name: 'Festive offer calls', callerId: '08047112345', listIds: list.sid, appId: '123456' },
		});
	}
	if (node.operations.get('call')?.some((o) => o.value === 'connect')) {
		nodes.push({
			name: 'Call the lead',
			resource: 'call',
			operation: 'connect',
			bulk: false,
			picture: 'call-connect.png',
			readme: true,
			labels: ['From (Agent)', 'To (Customer)', 'Caller ID', 'Record', 'Status Callback URL', 'Default Country Code'],
			picker: 'callerId',
			parameters: {
				from: '={{ $json.agent_phone }}',
				to: '={{ $json.phone }}',
				callerId: { __rl: true, mode: 'list', value: '' },
				additionalFields: { record: true, customField: '={{ $json.crm_id }}', statusCallback: 'https://n8n.example.com/webhook/exotel-calls/webhook', statusCallbackEvents: ['terminal'] },
				options: { defaultCountryCode: '91' },
			},
		});
	}
	if (node.operations.get('sms')?.some((o) => o.value === 'send')) {
		nodes.push({
			name: 'Text the customer',
			resource: 'sms',
			operation: 'send',
			bulk: false,
			picture: 'sms-send.png',
			readme: true,
			labels: ['From', 'To', 'Message', 'DLT Entity ID', 'DLT Template ID', 'SMS Type', 'Default Country Code'],
			parameters: {
				from: { __rl: true, mode: 'id', value: 'ACMEIN' },
				to: '={{ $json.phone }}',
				body: '=Hi {{ $json.name }}, we missed your call. We will call you back shortly - ACME',
				additionalFields: { dltEntityId: '1101456780000012345', dltTemplateId: '1107161234567890123', smsType: 'transactional' },
				options: { defaultCountryCode: '91' },
			},
		});
	}
	return nodes;
}

/** A workflow of unconnected nodes, one per TourNode, at the node's default version. */
function tourWorkflow(nodes: TourNode[]): object {
	return {
		id: TOUR_WORKFLOW_ID,
		name: 'Exotel: one node per resource (editor check)',
		active: false,
		isArchived: false,
		connections: {},
		settings: { executionOrder: 'v1' },
		nodes: nodes.map((n, i) => ({
			id: `00000000-0000-4000-8000-00000000000${i}`,
			name: n.name,
			type: NODE_TYPE,
			typeVersion: 1.1,
			position: [i * 260, 0],
			parameters: { resource: n.resource, operation: n.operation, ...n.parameters },
			credentials: { exotelApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
		})),
	};
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

class Pictures {
	readonly written: string[] = [];
	constructor(private readonly imagesDir?: string) {
		fs.rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
		fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
		if (imagesDir) fs.mkdirSync(imagesDir, { recursive: true });
	}
	async take(page: Page, file: string, readme: boolean | undefined, clip?: { x: number; y: number; width: number; height: number }): Promise<void> {
		const shot = await page.screenshot({ clip, animations: 'disabled', caret: 'hide' });
		fs.writeFileSync(path.join(ARTIFACTS_DIR, file), shot);
		if (readme && this.imagesDir) {
			fs.writeFileSync(path.join(this.imagesDir, file), shot);
			this.written.push(path.relative(repoRoot, path.join(this.imagesDir, file)));
		}
	}
}

async function box(locator: Locator) {
	const b = await locator.boundingBox();
	if (!b) throw new Error(`no bounding box for ${locator.toString()}`);
	return b;
}

/** The few DOM members the page functions below use (this project compiles without the DOM types). */
interface PageElement {
	children: { length: number };
	getBoundingClientRect(): { width: number; height: number; left: number; right: number; top: number; bottom: number };
}
interface PageWindow {
	document: { querySelectorAll(selector: string): Iterable<PageElement>; activeElement: { blur(): void } | null };
	getComputedStyle(element: PageElement): { visibility: string };
}

/** The lowest visible leaf element between x `left` and `right` (where a panel's content ends). */
async function contentBottom(page: Page, left: number, right: number, limit: number, within = '[data-test-id="ndv"]'): Promise<number> {
	const bottom = await page.evaluate(
		([l, r, max, scope]) => {
			// Runs in the page.
			const win = globalThis as unknown as PageWindow;
			let lowest = 0;
			for (const el of win.document.querySelectorAll(`${scope} *`)) {
				if (el.children.length > 0) continue;
				const rect = el.getBoundingClientRect();
				if (rect.width === 0 || rect.height === 0 || rect.left < l || rect.right > r || rect.bottom > max) continue;
				if (win.getComputedStyle(el).visibility === 'hidden') continue;
				lowest = Math.max(lowest, rect.bottom);
			}
			return lowest;
		},
		[left, right, limit, within] as const,
	);
	return Math.min(limit, bottom + 24);
}

/** The NDV's middle (parameters) panel, between its two resize handles, down to where its content ends. */
async function parametersClip(page: Page, ndv: Locator) {
	const ndvBox = await box(ndv);
	const handles = ndv.locator('[data-test-id="resize-handle"]');
	const left = (await box(handles.nth(0))).x + 4;
	const right = (await box(handles.nth(1))).x;
	const top = ndvBox.y + 40;
	// Parameters only: the panel's foot holds n8n's feedback link.
	const bottom = await contentBottom(page, left, right, ndvBox.y + ndvBox.height, '[data-test-id="ndv"] [data-test-id="parameter-item"]');
	return { x: left, y: top, width: right - left, height: bottom - top };
}

/** No focus ring or hover controls in a picture. */
async function settle(page: Page): Promise<void> {
	await page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.blur());
	await page.mouse.move(1, 1);
	await page.waitForTimeout(400);
}

async function signIn(page: Page, url: string): Promise<void> {
	await page.goto(`${url}/signin`);
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(OWNER.email);
	await page.locator('input[type="password"]').first().fill(OWNER.password);
	await page.locator('input[type="password"]').first().press('Enter');
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 60_000 });
}

async function openWorkflow(context: BrowserContext, url: string, id: string): Promise<Page> {
	const page = await context.newPage();
	page.setDefaultTimeout(60_000);
	page.on('dialog', (dialog) => void dialog.accept());
	await page.goto(`${url}/workflow/${id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible' });
	return page;
}

async function openNode(page: Page, name: string): Promise<Locator> {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	const ndv = page.locator('[data-test-id="ndv"]').first();
	await ndv.waitFor({ state: 'visible' });
	await ndv.locator('[data-test-id="parameter-input-operation"]').waitFor({ state: 'visible' });
	return ndv;
}

/** The example workflow: run from the editor, its canvas and the Upload node's output as pictures. */
async function checkExample(context: BrowserContext, url: string, pictures: Pictures, sim: ExotelSimulator | undefined, node: BuiltNode): Promise<string> {
	const page = await openWorkflow(context, url, EDITOR_WORKFLOW_ID);
	const before = sim?.requests.length ?? 0;
	await page.locator('[data-test-id="execute-workflow-button"]').first().click();
	await page.getByText('Workflow executed successfully').first().waitFor({ state: 'visible', timeout: 120_000 });
	let detail = 'example run from the editor';
	if (sim) {
		const uploads = sim.requests.slice(before).filter((r) => r.method === 'POST' && /\/contacts\/csv-upload$/.test(r.path));
		if (uploads.length !== 1) throw new Error(`running the example from the editor should send ONE CSV upload, the simulator got ${uploads.length}`);
		detail += ' (1 CSV upload)';
	}
	const upload = page.locator(`[data-test-id="canvas-node"][data-node-name="${EXAMPLE_UPLOAD_NODE}"]`);
	await expectSubtitle(upload, node, 'csvUpload', 'upload');

	// The canvas as the README shows it: the nodes and their item counts, without the editor around them.
	await page.setViewportSize({ width: 1100, height: 520 });
	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await page.waitForTimeout(600);
	const nodes = page.locator('[data-test-id="canvas-node"]');
	const boxes = await Promise.all((await nodes.all()).map((n) => box(n)));
	const x0 = Math.min(...boxes.map((b) => b.x)) - 70;
	const x1 = Math.max(...boxes.map((b) => b.x + b.width)) + 150; // the last node's output edge and +
	const y0 = Math.min(...boxes.map((b) => b.y)) - 50;
	const y1 = Math.max(...boxes.map((b) => b.y + b.height)) + 70;
	await pictures.take(page, 'example-workflow.png', true, { x: Math.max(0, x0), y: Math.max(0, y0), width: x1 - Math.max(0, x0), height: y1 - Math.max(0, y0) });

	// The Upload node's output, { list, summary } as JSON: the output panel (right of the second
	// resize handle), on a wide page so the JSON has room.
	await page.setViewportSize({ width: 1700, height: 1000 });
	await upload.dblclick();
	const ndv = page.locator('[data-test-id="ndv"]').first();
	await ndv.waitFor({ state: 'visible' });
	await ndv.locator('[data-test-id="radio-button-json"]').last().click();
	await ndv.getByText(/"completed"/).first().waitFor({ state: 'visible', timeout: 15_000 });
	// The list's count is read after the import: it is what the upload added.
	const shown = await ndv.innerText();
	const count = /"contact_count"\s*:\s*(\d+)/.exec(shown)?.[1];
	const success = /"success"\s*:\s*(\d+)/.exec(shown)?.[1];
	if (count === undefined || count !== success) throw new Error(`the output shows contact_count ${count} beside stats.success ${success}`);
	await settle(page);
	const ndvBox = await box(ndv);
	const outputLeft = (await box(ndv.locator('[data-test-id="resize-handle"]').nth(1))).x + 4;
	const bottom = await contentBottom(page, outputLeft, ndvBox.x + ndvBox.width, ndvBox.y + ndvBox.height);
	await pictures.take(page, 'output.png', true, { x: outputLeft, y: ndvBox.y + 36, width: ndvBox.x + ndvBox.width - outputLeft, height: bottom - ndvBox.y - 36 });
	detail += `, output contact_count ${count} = stats.success`;
	await page.close();
	return detail;
}

/** The canvas's nodes, sticky notes and labels, zoomed to fit, without the editor's buttons over them. */
async function canvasClip(page: Page) {
	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await page.waitForTimeout(600);
	await page.addStyleTag({ content: '[data-test-id="execute-workflow-button"], [data-test-id="canvas-controls"] { visibility: hidden !important; }' });
	const r = await page.evaluate(() => {
		// Runs in the page: the union of everything drawn inside the canvas's nodes (labels overflow their node).
		const win = globalThis as unknown as PageWindow;
		const u = { left: Infinity, top: Infinity, right: 0, bottom: 0 };
		for (const el of win.document.querySelectorAll('.vue-flow__node, .vue-flow__node *')) {
			const b = el.getBoundingClientRect();
			if (b.width === 0 || b.height === 0) continue;
			u.left = Math.min(u.left, b.left);
			u.top = Math.min(u.top, b.top);
			u.right = Math.max(u.right, b.right);
			u.bottom = Math.max(u.bottom, b.bottom);
		}
		return u;
	});
	const viewport = page.viewportSize() ?? VIEWPORT;
	const x0 = Math.max(0, r.left - 24);
	const y0 = Math.max(0, r.top - 12); // close above: the editor's tab switch sits over the canvas top
	return { x: x0, y: y0, width: Math.min(viewport.width, r.right + 24) - x0, height: Math.min(viewport.height, r.bottom + 24) - y0 };
}

/** The Passthru routing workflow on the canvas: every node of the shipped file is there, then a picture. */
async function checkPassthruCanvas(context: BrowserContext, url: string, pictures: Pictures): Promise<string> {
	const wf = JSON.parse(fs.readFileSync(PASSTHRU_FILE, 'utf8')) as { id: string; nodes: Array<{ name: string; type: string }> };
	const page = await openWorkflow(context, url, wf.id);
	await page.setViewportSize({ width: 1500, height: 820 });
	const named = wf.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
	for (const n of named) await page.locator(`[data-test-id="canvas-node"][data-node-name="${n.name}"]`).waitFor({ state: 'visible', timeout: 15_000 });
	await settle(page);
	await pictures.take(page, 'passthru-routing.png', true, await canvasClip(page));
	await page.close();
	return `passthru routing canvas (${named.length} nodes)`;
}

async function expectSubtitle(canvasNode: Locator, node: BuiltNode, resource: string, operation: string): Promise<void> {
	const subtitle = `${node.operations.get(resource)?.find((o) => o.value === operation)?.name}: ${node.resources.find((r) => r.value === resource)?.name}`;
	await canvasNode.getByText(subtitle, { exact: true }).waitFor({ state: 'visible', timeout: 15_000 });
}

/** Every option in the open Operation list shows the description the node gives it. */
async function expectOperationDescriptions(page: Page, ndv: Locator, node: BuiltNode, resource: string): Promise<void> {
	const expected = node.operations.get(resource) ?? [];
	await ndv.locator('[data-test-id="parameter-input-operation"]').click();
	const items = page.locator('.el-select-dropdown__item:visible');
	await items.first().waitFor({ state: 'visible' });
	const shown = await items.evaluateAll((els) =>
		els.map((el) => ({
			name: el.querySelector('.option-headline')?.textContent ?? '',
			description: el.querySelector('.option-description')?.textContent ?? '',
		})),
	);
	const problems: string[] = [];
	for (const option of expected) {
		const item = shown.find((s) => squash(s.name) === option.name);
		if (!item) problems.push(`${option.name}: not in the list`);
		else if (!option.description || squash(item.description) !== squash(option.description)) {
			problems.push(`${option.name}: description ${JSON.stringify(squash(item.description))}`);
		}
	}
	// Close the list by choosing the operation already chosen.
	await page.locator('.el-select-dropdown__item.selected:visible').first().click();
	if (problems.length > 0) throw new Error(`${resource} operations without their description: ${problems.join('; ')}`);
}

async function checkTour(context: BrowserContext, url: string, pictures: Pictures, node: BuiltNode, tour: TourNode[]): Promise<string[]> {
	const page = await openWorkflow(context, url, TOUR_WORKFLOW_ID);
	// Tall enough for CSV Upload with waiting on, down to its Options, without scrolling.
	await page.setViewportSize({ width: VIEWPORT.width, height: 1560 });
	const checked: string[] = [];
	for (const step of tour) {
		const canvasNode = page.locator(`[data-test-id="canvas-node"][data-node-name="${step.name}"]`);
		await expectSubtitle(canvasNode, node, step.resource, step.operation);
		const ndv = await openNode(page, step.name);
		for (const label of ['Resource', 'Operation']) await ndv.getByText(label, { exact: true }).first().waitFor({ state: 'visible' });
		await expectOperationDescriptions(page, ndv, node, step.resource);
		const notice = ndv.getByText(node.bulkNotice, { exact: true });
		if (step.bulk) await notice.waitFor({ state: 'visible' });
		else if ((await notice.count()) > 0) throw new Error(`${step.name}: the bulk notice shows on a non-bulk operation`);

		if (step.resource === 'csvUpload') {
			// Waiting is a toggle; its interval and max wait show only once it is on.
			await ndv.getByText('Wait for Completion', { exact: true }).waitFor({ state: 'visible' });
			const waitingFields = [ndv.getByText(/^Poll Interval/), ndv.getByText(/^Max Wait/)];
			for (const field of waitingFields) {
				if ((await field.count()) > 0 && (await field.first().isVisible())) throw new Error(`${step.name}: ${field.toString()} shows while Wait for Completion is off`);
			}
			await ndv.locator('[data-test-id="parameter-input-waitForCompletion"] .el-switch').click();
			for (const field of waitingFields) await field.first().waitFor({ state: 'visible' });
		}
		for (const label of step.labels ?? []) {
			// A required field's label carries a "*" of its own.
			await ndv.getByText(new RegExp(`^${label.replace(/[()]/g, '\\$&')}\\s*\\*?$`)).first().waitFor({ state: 'visible', timeout: 15_000 });
		}
		await settle(page);
		let clip = await parametersClip(page, ndv);
		if (step.picker) {
			// The ExoPhone picker lists the account's ExoPhones (from the simulator) as "number (name)".
			const field = ndv.locator(`[data-test-id="parameter-input-${step.picker}"] [data-test-id="rlc-input"]`);
			await ((await field.count()) > 0 ? field : ndv.locator('[data-test-id="rlc-input"]')).first().click();
			const options = page.locator('[data-test-id="rlc-item"]:visible');
			await options.first().waitFor({ state: 'visible', timeout: 30_000 });
			const shown = (await options.allInnerTexts()).map(squash);
			if (!shown.some((t) => /^\+9180\d+ \(ExoPhone 1\)$/.test(t))) throw new Error(`${step.name}: the ExoPhone picker shows ${JSON.stringify(shown)}`);
			await page.mouse.move(1, 1);
			await page.waitForTimeout(400);
			const last = await box(options.last());
			const bottom = Math.max(clip.y + clip.height, last.y + last.height + 24);
			clip = { ...clip, height: bottom - clip.y };
		}
		await pictures.take(page, step.picture, step.readme, clip);
		if (step.picker) await page.keyboard.press('Escape');
		checked.push(`${step.resource} ${step.operation}`);
		if (step === tour[tour.length - 1]) await checkCredentialDialog(page, ndv, pictures);
		else await ndv.locator('[data-test-id="ndv-close-button"]').click();
	}
	await page.close();
	return checked;
}

/** A new Exotel credential from the node's credential list: labels, empty fields, Base URL only for Custom. */
async function checkCredentialDialog(page: Page, ndv: Locator, pictures: Pictures): Promise<void> {
	await ndv.locator('[data-test-id="node-credentials-select"]').click();
	await page.locator('[data-test-id="node-credentials-select-item-new"]').click();
	const modal = page.locator('[data-test-id="editCredential-modal"]');
	await modal.waitFor({ state: 'visible' });
	for (const label of ['API Key', 'API Token', 'Account SID', 'Region', 'Requests per Minute']) {
		// A required field's label carries a "*" of its own.
		await modal.getByText(new RegExp(`^${label}\\s*\\*?$`)).first().waitFor({ state: 'visible' });
	}
	// Nothing typed in: the picture can never hold a key or token.
	for (const field of ['apiKey', 'apiToken', 'accountSid']) {
		const value = await modal.locator(`[data-test-id="parameter-input-${field}"] input`).inputValue();
		if (value !== '') throw new Error(`the new credential's ${field} is not empty`);
	}
	if ((await modal.getByText(/^Base URL\s*\*?$/).count()) > 0) throw new Error('Base URL shows for the default region');
	await settle(page);
	const dialog = modal.locator('.el-dialog').first();
	await pictures.take(page, 'credential.png', true, await box((await dialog.count()) > 0 ? dialog : modal));
	await modal.locator('[data-test-id="parameter-input-region"]').click();
	await page.locator('.el-select-dropdown__item:visible', { hasText: 'Custom' }).first().click();
	await modal.getByText(/^Base URL\s*\*?$/).first().waitFor({ state: 'visible' });
}

export interface EditorCheckOptions {
	install: N8nInstall;
	/** Holds the simulator credential (id exotelSim); the check imports its workflows into it. */
	userFolder: string;
	sim?: ExotelSimulator;
	/** Also write the README's pictures here (npm run screenshots: docs/images). */
	imagesDir?: string;
}

export async function editorScreenshot(o: EditorCheckOptions): Promise<{ skipped: boolean; detail: string; pictures: string[] }> {
	const skip = ensureChromium();
	if (skip) {
		log(`editor check skipped: ${skip}`);
		return { skipped: true, detail: skip, pictures: [] };
	}
	const node = builtNode();
	// Lists for the pickers (and the example's upload lands in a list of its own).
	let list = { sid: '0123456789abcdef0123456789abcdef', name: 'Existing customers' };
	if (o.sim) {
		o.sim.reset();
		const customers = o.sim.seedList('Existing customers', 'crm');
		o.sim.seedContacts(25, { listSid: customers.sid });
		o.sim.seedList('Newsletter', 'marketing');
		o.sim.seedExoPhones(2); // for the Caller ID picker
		list = { sid: customers.sid, name: customers.name };
	}
	const tour = tourNodes(node, list);
	const importDir = fs.mkdtempSync(path.join(o.userFolder, 'editor-workflows-'));
	fs.writeFileSync(path.join(importDir, 'tour.json'), JSON.stringify(tourWorkflow(tour), null, 2));
	fs.copyFileSync(EXAMPLE_FILE, path.join(importDir, 'example.json'));
	fs.copyFileSync(PASSTHRU_FILE, path.join(importDir, 'passthru-routing.json'));
	await n8nCliOk(o.install, n8nEnv(o.install, { userFolder: o.userFolder, brokerPort: await freePort() }), ['import:workflow', '--separate', `--input=${importDir}`]);

	const { chromium } = await import('playwright-core');
	const n8n = await startN8n(o.install, o.userFolder);
	const pictures = new Pictures(o.imagesDir);
	let browser: Browser | undefined;
	let context: BrowserContext | undefined;
	try {
		browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
		context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: SCALE, colorScheme: 'light' });
		const signInPage = await context.newPage();
		signInPage.setDefaultTimeout(60_000);
		await signIn(signInPage, n8n.url);
		await signInPage.close();
		const ran = await checkExample(context, n8n.url, pictures, o.sim, node);
		const checked = await checkTour(context, n8n.url, pictures, node, tour);
		const passthru = await checkPassthruCanvas(context, n8n.url, pictures);
		const detail = `${ran}; ${checked.join(', ')}: subtitles, operation descriptions, notices, key labels, ExoPhone picker; waiting options hidden until on; credential dialog; ${passthru}; pictures in ${path.relative(repoRoot, ARTIFACTS_DIR)}`;
		return { skipped: false, detail, pictures: pictures.written };
	} catch (e) {
		for (const [i, page] of (context?.pages() ?? []).entries()) {
			await page.screenshot({ path: path.join(ARTIFACTS_DIR, `failure-${i}.failed.png`) }).catch(() => undefined);
		}
		fs.writeFileSync(path.join(ARTIFACTS_DIR, 'n8n-start.log'), n8n.output());
		throw e;
	} finally {
		await browser?.close().catch(() => undefined);
		await n8n.stop();
	}
}

/**
 * The check on its own: a fresh user folder and simulator of its own (so it can run alongside the
 * workflow runs without touching their simulator's request log), the credential imported, then the
 * check; everything removed afterwards.
 */
export async function editorScreenshotIsolated(install: N8nInstall, imagesDir?: string): Promise<{ skipped: boolean; detail: string; pictures: string[] }> {
	if (ensureChromium()) return editorScreenshot({ install, userFolder: '' });
	const { ExotelSimulator } = await import('../../test/simulator/server');
	const sim = await ExotelSimulator.start({ csvProcessingMs: 1000 });
	const userFolder = prepareUserFolder('n8n-exotel-e2e-editor-');
	try {
		const env = n8nEnv(install, { userFolder, brokerPort: await freePort() });
		await n8nCliOk(install, env, ['import:credentials', `--input=${writeCredentialFile(userFolder, sim.credentials)}`]);
		return await editorScreenshot({ install, userFolder, sim, imagesDir });
	} finally {
		await sim.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

// Standalone: ts-node --transpile-only scripts/e2e/editor-screenshot.ts [--images <dir>]
if (require.main === module) {
	void (async () => {
		installSignalHandlers();
		const args = process.argv.slice(2);
		const imagesDir = args.includes('--images') ? path.resolve(args[args.indexOf('--images') + 1]) : undefined;
		let code = 0;
		try {
			const r = await editorScreenshotIsolated(ensureN8n(), imagesDir);
			print(r.skipped ? `SKIPPED: ${r.detail}` : `PASS: ${r.detail}`);
			if (r.pictures.length > 0) print(`wrote ${r.pictures.join(', ')}`);
		} catch (e) {
			printError(e);
			code = 1;
		} finally {
			await cleanupAll();
		}
		process.exit(code);
	})();
}
