/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Tooling runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * npm run demo — a local n8n with this node, wired to the Exotel simulator, ready to click through.
 *
 *   npm run demo                 # build, start simulator (:4010) and n8n (:5678), print where to log in
 *   npm run demo -- --no-build   # use the current dist/
 *
 * n8n 2.41.1 runs under Node 24 from a cache outside the checkout, ~/.cache/n8n-nodes-exotel (or
 * $XDG_CACHE_HOME/n8n-nodes-exotel). The first run installs it: about 8 minutes and about 2.3 GB
 * (3.1 GB of disk), with progress printed every 15 s; later runs reuse it and are up in about a minute.
 * The owner account, the "Exotel (simulator)" credential and the example workflows (the CRM →
 * campaign one first) are set up for you. Ctrl-C stops everything and deletes the temporary n8n folder.
 *
 * Once n8n is up, the demo also places a click-to-call the way a CRM would: a published workflow
 * (webhook → Exotel Call → Connect, status callback to the Exotel Trigger) rings an agent and a lead
 * on the simulator, and the call's status callback starts a second published workflow (Exotel
 * Trigger, event Call → CRM row). Progress is printed as it goes; --no-call skips this part.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ExotelSimulator } from '../test/simulator/server';
import { OWNER, startN8n } from './e2e/editor-screenshot';
import { nodeOutputItems } from './e2e/execution-data';
import {
	buildPackage,
	cleanupAll,
	freePort,
	installSignalHandlers,
	isPortFree,
	log,
	n8nCliOk,
	n8nEnv,
	onCleanup,
	prepareUserFolder,
	print,
	printError,
	repoRoot,
	writeCredentialFile,
} from './e2e/lib';
import { cacheRoot, ensureN8n, FIRST_INSTALL_NOTE, N8N_VERSION } from './e2e/n8n-install';

const SIM_PORT = Number(process.env.EXOTEL_SIM_PORT ?? 4010);
const N8N_PORT = Number(process.env.N8N_DEMO_PORT ?? 5678);
const DEMO_WORKFLOW_ID = 'exoCrmToCampaign';
/** The click-to-call pair (test/e2e/queue/): the CRM side places the call, the trigger side writes the outcome. */
const CALL_WORKFLOW_FILE = 'click-to-call-callback.workflow.json';
const OUTCOME_WORKFLOW_FILE = 'call-outcome-sink.workflow.json';
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the demo workflow's trigger secret, public on purpose
const TRIGGER_SECRET = 'e2e-callback-secret';

interface DemoWorkflow {
	id: string;
	nodes: Array<{ type: string; webhookId?: string; parameters: Record<string, unknown> }>;
}

function readQueueWorkflow(file: string): DemoWorkflow {
	return JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'e2e', 'queue', file), 'utf8')) as DemoWorkflow;
}

/** The owner's session on n8n's REST API (what the editor uses), to read executions. */
async function restSession(url: string): Promise<(p: string, body?: unknown) => Promise<unknown>> {
	const browserId = 'exotel-demo';
	const login = await fetch(`${url}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': browserId },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	if (!login.ok) throw new Error(`signing in to n8n's REST API answered ${login.status}`);
	const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
	return async (p: string, body?: unknown) => {
		const res = await fetch(`${url}/rest${p}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { cookie, 'browser-id': browserId, 'content-type': 'application/json' },
			...(body === undefined ? {} : { body: JSON.stringify(body) }),
		});
		if (!res.ok) throw new Error(`${body === undefined ? 'GET' : 'POST'} /rest${p} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
		return ((await res.json()) as { data: unknown }).data;
	};
}

const step = (text: string) => print(`  ${new Date().toISOString().slice(11, 19)}  ${text}`);

/**
 * A click-to-call end to end, printed as it goes: the CRM webhook places the call, the simulator rings
 * the agent then the lead, and the call's status callback starts the outcome workflow in n8n.
 */
async function clickToCallDemo(sim: ExotelSimulator, n8nUrl: string): Promise<void> {
	const call = readQueueWorkflow(CALL_WORKFLOW_FILE);
	const outcome = readQueueWorkflow(OUTCOME_WORKFLOW_FILE);
	const webhookPath = String(call.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')?.parameters.path);
	const triggerId = outcome.nodes.find((n) => n.type.endsWith('.exotelTrigger'))?.webhookId;
	const statusCallback = `${n8nUrl}/webhook/${triggerId}/webhook?token=${TRIGGER_SECRET}`;
	const rest = await restSession(n8nUrl);
	// Published (activated) as in the editor, so the webhook and the Exotel Trigger answer on their production URLs.
	for (const wf of [outcome, call]) {
		const { versionId } = (await rest(`/workflows/${wf.id}`)) as { versionId: string };
		await rest(`/workflows/${wf.id}/activate`, { versionId });
	}
	step('published "Call outcome → CRM row" (Exotel Trigger, event Call) and the click-to-call workflow');
	const executionsOf = async (workflowId: string) =>
		((await rest(`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`)) as { results: Array<{ id: string; status: string }> }).results;
	const before = new Set((await executionsOf(outcome.id)).map((e) => e.id));

	print('\n  Click-to-call, live:');
	const lead = { crm_id: 'LEAD-2001', name: 'Kavya Reddy', phone: '98450 11001', agent_phone: '98450 99001' };
	step(`CRM → POST ${n8nUrl}/webhook/${webhookPath}  (lead ${lead.crm_id}, agent ${lead.agent_phone} → customer ${lead.phone})`);
	let res: Response;
	// A just-published workflow's webhook is registered a moment later: 404 until then.
	for (let attempt = 0; ; attempt++) {
		res = await fetch(`${n8nUrl}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ leads: [lead], statusCallback }),
		});
		if (res.status !== 404 || attempt >= 40) break;
		await res.arrayBuffer();
		await new Promise((r) => setTimeout(r, 500));
	}
	const placed = (await res.json()) as Array<{ Sid?: string; Status?: string }>;
	const sid = placed[0]?.Sid;
	if (!res.ok || !sid) throw new Error(`the click-to-call workflow answered ${res.status}: ${JSON.stringify(placed)}`);
	step(`Exotel Call → Connect placed call ${sid} (${placed[0].Status}); its status callback goes to the Exotel Trigger of "Call outcome → CRM row"`);

	let last = '';
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		const now = sim.callClock.get(sid) as { Status?: string; Details?: { Leg1Status?: string | null } } | undefined;
		const ended = ['completed', 'busy', 'no-answer', 'failed'].includes(String(now?.Status));
		const status = ended ? `call ${now?.Status}` : now?.Details?.Leg1Status === 'in-progress' ? 'the agent answered; Exotel rings the customer and connects them' : "the agent's phone is ringing";
		if (status !== last) step(`waiting for the call: ${status}`);
		last = status;
		if (sim.callClock.delivered.some((d) => d.payload.CallSid === sid && d.status !== 0)) break;
		await new Promise((r) => setTimeout(r, 300));
	}
	const delivery = sim.callClock.delivered.find((d) => d.payload.CallSid === sid);
	if (!delivery) throw new Error('no status callback within 60 s');
	step(`Exotel → POST the ${delivery.event} status callback (${delivery.encoding}) to n8n: answered ${delivery.status}`);

	for (let i = 0; i < 100; i++) {
		const fresh = (await executionsOf(outcome.id)).filter((e) => !before.has(e.id));
		const done = fresh.find((e) => e.status !== 'running' && e.status !== 'new');
		if (done) {
			const detail = (await rest(`/executions/${done.id}`)) as { data: string };
			const row = nodeOutputItems(detail.data, 'CRM row')[0];
			step(`"Call outcome → CRM row" execution ${done.id}: ${done.status}`);
			step(`CRM row written: ${JSON.stringify(row)}`);
			print(`  See it in the editor: ${n8nUrl}/workflow/${outcome.id}/executions/${done.id}`);
			return;
		}
		await new Promise((r) => setTimeout(r, 300));
	}
	throw new Error('the Exotel Trigger started no execution within 30 s');
}

async function main(): Promise<void> {
	installSignalHandlers();
	const args = process.argv.slice(2);
	const installDir = path.join(cacheRoot(), `n8n-${N8N_VERSION}`);
	if (!fs.existsSync(path.join(installDir, '.install-complete'))) {
		print(
			`\n  First run: n8n ${N8N_VERSION} and Node 24 are installed into ${installDir}.\n` +
				`  That takes ${FIRST_INSTALL_NOTE}; later runs reuse it.\n`,
		);
	}
	const install = ensureN8n();
	if (!args.includes('--no-build')) buildPackage();

	const simPort = (await isPortFree(SIM_PORT)) ? SIM_PORT : 0;
	if (simPort === 0) log(`port ${SIM_PORT} is taken; the simulator takes a free port instead`);
	const sim = await ExotelSimulator.start({ port: simPort, csvProcessingMs: 3000 });
	onCleanup(() => sim.stop());
	const customers = sim.seedList('Existing customers', 'crm');
	sim.seedContacts(25, { listSid: customers.sid });
	const newsletter = sim.seedList('Newsletter', 'marketing');
	sim.seedContacts(10, { listSid: newsletter.sid, numberPrefix: '+9180' });
	sim.seedList('Festive offer 2025', 'campaign');

	const userFolder = prepareUserFolder('n8n-exotel-demo-');
	onCleanup(() => fs.rmSync(userFolder, { recursive: true, force: true }));
	const env = n8nEnv(install, { userFolder, brokerPort: await freePort() });
	await n8nCliOk(install, env, ['import:credentials', `--input=${writeCredentialFile(userFolder, sim.credentials)}`]);
	const wfDir = path.join(userFolder, 'workflows-to-import');
	fs.mkdirSync(wfDir);
	for (const f of fs.readdirSync(path.join(repoRoot, 'test', 'e2e')).filter((n) => n.endsWith('.workflow.json'))) {
		fs.copyFileSync(path.join(repoRoot, 'test', 'e2e', f), path.join(wfDir, f.replace(/\.workflow\.json$/, '.json')));
	}
	await n8nCliOk(install, env, ['import:workflow', '--separate', `--input=${wfDir}`]);
	const callDemo = !args.includes('--no-call');
	if (callDemo) {
		// The click-to-call pair, published once n8n is up.
		sim.seedExoPhones(1);
		const pairDir = path.join(userFolder, 'published-workflows');
		fs.mkdirSync(pairDir);
		for (const f of [CALL_WORKFLOW_FILE, OUTCOME_WORKFLOW_FILE]) fs.copyFileSync(path.join(repoRoot, 'test', 'e2e', 'queue', f), path.join(pairDir, f.replace(/\.workflow\.json$/, '.json')));
		await n8nCliOk(install, env, ['import:workflow', '--separate', `--input=${pairDir}`]);
		// Slow enough to watch: each leg rings 2 s, the conversation lasts 4 s.
		sim.callClock.ringMs = 2000;
		sim.callClock.talkMs = 4000;
	}

	const n8nPort = (await isPortFree(N8N_PORT)) ? N8N_PORT : await freePort();
	log('starting n8n (about a minute)');
	const n8n = await startN8n(install, userFolder, { port: n8nPort });

	print(`
  Exotel simulator  ${sim.url}   (3 lists, 35 contacts seeded; CSV uploads finish after 3 s)
  n8n               ${n8n.url}

  Open              ${n8n.url}/workflow/${DEMO_WORKFLOW_ID}
  Log in as         ${OWNER.email}
  Password          ${OWNER.password}

  Click "Execute workflow": the CRM leads go to Exotel as one CSV, and the node waits until the upload
  is processed. Other examples are under Overview. The credential "Exotel (simulator)" points at the
  simulator (region: custom, base URL ${sim.url}).

  Ctrl-C to stop.`);

	if (callDemo) {
		try {
			await clickToCallDemo(sim, n8n.url);
		} catch (e) {
			log(`the click-to-call part did not finish: ${(e as Error).message}`);
		}
	}

	// Stay up until Ctrl-C (the signal handlers clean up); report if n8n dies on its own.
	await new Promise<void>((resolve) => {
		const timer = setInterval(async () => {
			try {
				await fetch(`${n8n.url}/healthz`);
			} catch {
				clearInterval(timer);
				log('n8n stopped answering; shutting down');
				resolve();
			}
		}, 5000);
	});
	await cleanupAll();
	process.exit(1);
}

main().catch(async (e: unknown) => {
	printError(e);
	await cleanupAll();
	process.exit(1);
});
