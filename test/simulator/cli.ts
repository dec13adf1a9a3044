/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * Runs the Exotel simulator standalone, e.g. to point a local n8n at it:
 *   ts-node --transpile-only test/simulator/cli.ts [--port 4010] [--csv-ms 3000] [--latency-ms 0] [--seed-contacts N]
 */
import { ExotelSimulator } from './server';

const print = (text: string) => process.stdout.write(`${text}\n`);

function numberArg(args: string[], name: string): number | undefined {
	const i = args.indexOf(name);
	if (i < 0) return undefined;
	const v = Number(args[i + 1]);
	if (!Number.isFinite(v) || v < 0) {
		process.stderr.write(`${name} needs a non-negative number\n`);
		process.exit(2);
	}
	return v;
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	if (args.includes('--help') || args.includes('-h')) {
		print('usage: cli.ts [--port 4010] [--csv-ms 3000] [--latency-ms 0] [--seed-contacts N]');
		return;
	}
	const sim = await ExotelSimulator.start({
		port: numberArg(args, '--port') ?? 0,
		csvProcessingMs: numberArg(args, '--csv-ms') ?? 3000,
		latencyMs: numberArg(args, '--latency-ms') ?? 0,
	});
	const seed = numberArg(args, '--seed-contacts');
	if (seed) sim.seedContacts(seed);
	print(`Exotel simulator listening on ${sim.url}`);
	print('n8n credential data:');
	print(JSON.stringify(sim.credentials, null, 2));
	// The server keeps the event loop alive (CSV timers are unref'd); stop cleanly on signals.
	const shutdown = (signal: string) => {
		print(`\n${signal}: stopping (${sim.requests.length} requests served)`);
		void sim.stop().then(() => process.exit(0));
	};
	process.once('SIGINT', () => shutdown('SIGINT'));
	process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
	process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
	process.exit(1);
});
