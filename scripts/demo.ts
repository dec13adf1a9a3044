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
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ExotelSimulator } from '../test/simulator/server';
import { OWNER, startN8n } from './e2e/editor-screenshot';
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
