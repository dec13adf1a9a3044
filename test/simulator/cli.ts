/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * Runs the Exotel simulator standalone, e.g. to point a local n8n at it:
 *   ts-node --transpile-only test/simulator/cli.ts [--port 4010] [--csv-ms 3000] [--latency-ms 0] [--seed-contacts N]
 *     [--seed-exophones 2] [--seed-calls N]
 * It seeds two ExoPhones by default (calls need one as CallerId, SMS as From unless the sender ID EXOTEL is
 * used) and prints the v2, v1 and v2_beta base URLs. Calls and SMS run on their clocks' default speeds.
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
		print('usage: cli.ts [--port 4010] [--csv-ms 3000] [--latency-ms 0] [--seed-contacts N] [--seed-exophones 2] [--seed-calls N]');
		return;
	}
	const sim = await ExotelSimulator.start({
		port: numberArg(args, '--port') ?? 0,
		csvProcessingMs: numberArg(args, '--csv-ms') ?? 3000,
		latencyMs: numberArg(args, '--latency-ms') ?? 0,
	});
	const seed = numberArg(args, '--seed-contacts');
	if (seed) sim.seedContacts(seed);
	const phones = sim.seedExoPhones(numberArg(args, '--seed-exophones') ?? 2);
	const calls = numberArg(args, '--seed-calls');
	if (calls) sim.seedCalls(calls);
	const account = sim.credentials.accountSid;
	print(`Exotel simulator listening on ${sim.url}`);
	print(`  v2 (campaigns, contacts): ${sim.url}/v2/accounts/${account}`);
	print(`  v1 (calls, SMS, numbers): ${sim.url}/v1/Accounts/${account}`);
	print(`  v2_beta (ExoPhones):      ${sim.url}/v2_beta/Accounts/${account}`);
	print(`ExoPhones: ${phones.map((p) => p.phone_number).join(', ') || 'none'}; SMS sender ID: ${sim.exoPhones.senderIds.join(', ')}`);
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
