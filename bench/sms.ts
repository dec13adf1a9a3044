/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Benchmark code runs in Node.js, not inside n8n Cloud: it prints and sets the exit code through process */
/**
 * SMS → Send of 1,000 messages: Exotel's bulk send (100 a request, the node's default) beside one
 * request per message (Send Mode → One Request per Message), through n8n's engine against the
 * simulator. Requests are counted by the simulator; "at the limit" is how long the same requests take
 * on an account kept under Exotel's documented SMS limit of 200 requests a minute (and, for the bulk
 * send, the 50 a minute Exotel's newer pages give for it).
 *
 * Called from bench/run.ts; `npx ts-node --transpile-only bench/sms.ts` runs it alone.
 */
import '../test/helpers/environment';

import { runExotel } from '../test/helpers/harness';
import { ExotelSimulator } from '../test/simulator/server';

const MESSAGES = 1000;
const SMS_REQUESTS_PER_MINUTE = 200;
const BULK_REQUESTS_PER_MINUTE = 50;
const LATENCY_MS = 20;

type Row = (...cells: string[]) => void;

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const duration = (ms: number) => (ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : seconds(ms));

/** The wall time of `requests` spaced evenly under a per-minute limit (or the measured time, if longer). */
const atLimit = (requests: number, perMinute: number, wallMs: number) =>
	Math.max(Math.max(0, requests - 1) * (60_000 / perMinute), wallMs);

async function sendAll(sim: ExotelSimulator, sendMode: 'bulk' | 'perItem') {
	sim.reset();
	const items = Array.from({ length: MESSAGES }, (_unused, index) => ({
		phone: `98${String(index).padStart(8, '0')}`,
		name: `Customer ${index}`,
	}));
	const started = Date.now();
	const result = await runExotel({
		// The node's own pacing is lifted (the harness's budget), so the time measured is the node's.
		credentials: { ...sim.credentials },
		parameters: {
			resource: 'sms',
			operation: 'send',
			from: 'EXOTEL',
			to: '={{ $json.phone }}',
			body: '=Hi {{ $json.name }}, we missed your call. Call us back on 08047112345 - ACME',
			additionalFields: { dltEntityId: '1101456780000012345', dltTemplateId: '1107161234567890123', smsType: 'transactional' },
			options: { defaultCountryCode: '91', sendMode },
		},
		items,
		onError: 'continueErrorOutput',
	});
	const wallMs = Date.now() - started;
	const path = sendMode === 'bulk' ? '/Sms/bulksend.json' : '/Sms/send.json';
	const requests = sim.requests.filter((request) => request.method === 'POST' && request.path.endsWith(path)).length;
	if (result.error || result.errorOutput.length > 0 || result.output.length !== MESSAGES) {
		throw new Error(`SMS ${sendMode}: ${result.error?.message ?? `${result.errorOutput.length} error items, ${result.output.length} sent`}`);
	}
	return { wallMs, requests };
}

/** Adds the SMS rows to the benchmark table. */
export async function benchSms(sim: ExotelSimulator, row: Row, notes: string[]): Promise<void> {
	const latency = sim.latencyMs;
	sim.latencyMs = LATENCY_MS;
	try {
		const bulk = await sendAll(sim, 'bulk');
		const perItem = await sendAll(sim, 'perItem');
		row(
			`sms send ${MESSAGES.toLocaleString('en')}: bulk vs one request per message`,
			`${bulk.requests} requests (per message: ${perItem.requests}); ${(perItem.requests / bulk.requests).toFixed(0)}x fewer`,
			`wall ${seconds(bulk.wallMs)} (per message ${seconds(perItem.wallMs)})`,
			`at ${SMS_REQUESTS_PER_MINUTE}/min: ${duration(atLimit(bulk.requests, SMS_REQUESTS_PER_MINUTE, bulk.wallMs))} vs per message ${duration(atLimit(perItem.requests, SMS_REQUESTS_PER_MINUTE, perItem.wallMs))}; bulk at ${BULK_REQUESTS_PER_MINUTE}/min: ${duration(atLimit(bulk.requests, BULK_REQUESTS_PER_MINUTE, bulk.wallMs))}`,
		);
		notes.push(
			`SMS: every message carries its DLT entity and template IDs; bulk is Exotel's dynamic bulk send (Messages[i][…], 100 a request), per message its single send. Exotel documents 200 SMS requests a minute, and its newer pages 50 a minute for bulk sends.`,
		);
	} finally {
		sim.latencyMs = latency;
	}
}

if (require.main === module) {
	void (async () => {
		const sim = await ExotelSimulator.start({ logBodies: false });
		const notes: string[] = [];
		try {
			await benchSms(sim, (...cells) => process.stdout.write(`${cells.join(' | ')}\n`), notes);
			process.stdout.write(`${notes.join('\n')}\n`);
		} finally {
			await sim.stop();
		}
	})().catch((error: unknown) => {
		process.stderr.write(`${(error as Error).stack}\n`);
		process.exitCode = 1;
	});
}
