/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * Queue mode (n8n main + one worker, Redis, PostgreSQL): what each run started by a production
 * webhook must do. scripts/e2e/queue.ts starts everything and calls `run` with the context below.
 */
import assert from 'node:assert/strict';

import type { ExotelSimulator } from '../../simulator/server';
import { callOutcome } from '../../simulator/campaigns';
import { requestsTo } from '../cases';
import { nodeCallbackCases } from './node-callbacks.cases';
import { triggerCallsCases } from './trigger-calls.cases';

export interface WebhookAnswer {
	status: number;
	body: unknown;
}

export interface QueueContext {
	sim: ExotelSimulator;
	/** POST a JSON body to main's production webhook `/webhook/<path>`. */
	webhook(path: string, body: unknown): Promise<WebhookAnswer>;
	/** POST a JSON body to any URL. */
	post(url: string, body: unknown): Promise<WebhookAnswer>;
	/** Main's production URL of the (only) webhook a workflow registered. */
	triggerUrl(workflowId: string): Promise<string>;
	/** One SQL statement on n8n's PostgreSQL database; rows of column strings. */
	sql(query: string): string[][];
	mainLog(): string;
	workerLog(): string;
}

/** The Exotel Trigger's secret in trigger-callback.workflow.json. */
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the test workflow's secret, public on purpose
export const TRIGGER_SECRET = 'e2e-callback-secret';

export interface QueueCase {
	/** Short name, shown as `queue/<name>`. */
	name: string;
	/** Workflow file in test/e2e/queue/ (imported and activated before main starts). */
	file: string;
	id: string;
	/** Further workflow files in test/e2e/queue/ the case needs (imported and activated the same way). */
	also?: string[];
	/** A built file the case needs (relative to the package root); the case is skipped without it. */
	requires?: string;
	before?(sim: ExotelSimulator): void;
	/** Runs the case, throws on a failed check, returns a one-line summary. */
	run(ctx: QueueContext): Promise<string>;
}

function str(v: unknown): string {
	return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Executions of a workflow in PostgreSQL, oldest first. */
function executions(ctx: QueueContext, workflowId: string, afterId: number): Array<{ id: number; status: string; mode: string; finished: boolean }> {
	return ctx
		.sql(`select id, status, mode, finished from execution_entity where "workflowId" = '${workflowId}' and id > ${afterId} order by id`)
		.map(([id, status, mode, finished]) => ({ id: Number(id), status, mode, finished: finished === 't' }));
}

function lastExecutionId(ctx: QueueContext): number {
	return Number(ctx.sql('select coalesce(max(id), 0) from execution_entity')[0][0]);
}

/**
 * Every execution ran on the worker: the worker logged it as started and finished, and main only
 * enqueued it. (Main in queue mode never runs production executions itself; this makes sure of it.)
 */
async function assertRanOnWorker(ctx: QueueContext, ids: number[]): Promise<void> {
	// The worker logs "finished" just after it saved the result: give the log a moment to catch up.
	const deadline = Date.now() + 15_000;
	while (!ids.every((id) => new RegExp(`Worker finished execution ${id}\\b`).test(ctx.workerLog())) && Date.now() < deadline) {
		await new Promise((r) => setTimeout(r, 200));
	}
	const worker = ctx.workerLog();
	const main = ctx.mainLog();
	for (const id of ids) {
		assert.match(worker, new RegExp(`Worker started execution ${id}\\b`), `the worker's log does not show it started execution ${id}`);
		assert.match(worker, new RegExp(`Worker finished execution ${id}\\b`), `the worker's log does not show it finished execution ${id}`);
		assert.match(main, new RegExp(`Enqueued execution ${id}\\b`), `main's log does not show it enqueued execution ${id}`);
		assert.doesNotMatch(main, new RegExp(`Worker (started|finished) execution ${id}\\b`), `main executed execution ${id} itself`);
	}
}

/** How many of these executions the worker's log shows running at the same time, at most. */
function mostAtOnce(workerLog: string, ids: number[]): number {
	let running = 0;
	let most = 0;
	for (const m of workerLog.matchAll(/Worker (started|finished) execution (\d+)\b/g)) {
		if (!ids.includes(Number(m[2]))) continue;
		running += m[1] === 'started' ? 1 : -1;
		most = Math.max(most, running);
	}
	return most;
}

/** Waits (bounded) until n8n has written the executions' final status. */
async function settledExecutions(ctx: QueueContext, workflowId: string, afterId: number, count: number, timeoutMs = 30_000): Promise<ReturnType<typeof executions>> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const ex = executions(ctx, workflowId, afterId);
		if ((ex.length >= count && ex.every((e) => e.status !== 'new' && e.status !== 'running')) || Date.now() > deadline) return ex;
		await new Promise((r) => setTimeout(r, 200));
	}
}

function contactsFor(batch: string, count: number, base: number): Array<{ number: string; first_name: string }> {
	return Array.from({ length: count }, (_, k) => ({ number: `+9198${String(base + k).padStart(8, '0')}`, first_name: `${batch}-${k + 1}` }));
}

function assertCreated(answer: WebhookAnswer, sent: Array<{ number: string; first_name: string }>, label: string): void {
	assert.equal(answer.status, 200, `${label}: the webhook answered ${answer.status}: ${str(answer.body)}`);
	const items = answer.body as Array<Record<string, unknown>>;
	assert.ok(Array.isArray(items), `${label}: the webhook should answer with the created records (an array), got ${str(answer.body)}`);
	assert.deepEqual(
		items.map((i) => i.number),
		sent.map((c) => c.number),
		`${label}: the created records should come back in input order`,
	);
	for (const i of items) assert.match(String(i.sid ?? ''), /\w+/, `${label}: a created record has no sid: ${str(i)}`);
}

export const queueCases: QueueCase[] = [
	{
		name: 'three concurrent webhook runs, bulk create',
		file: 'bulk-create.workflow.json',
		id: 'exoQueueBulkCrt1',
		async run(ctx) {
			const before = lastExecutionId(ctx);
			const batches = ['A', 'B', 'C'].map((b, k) => ({ batch: `batch-${b}`, contacts: contactsFor(`batch-${b}`, 4, 100 * (k + 1)) }));
			const answers = await Promise.all(batches.map((b) => ctx.webhook('exotel-e2e-bulk-create', b)));
			answers.forEach((a, k) => assertCreated(a, batches[k].contacts, batches[k].batch));

			const ex = await settledExecutions(ctx, 'exoQueueBulkCrt1', before, 3);
			assert.equal(ex.length, 3, `PostgreSQL should hold 3 new executions, holds ${ex.length}: ${str(ex)}`);
			for (const e of ex) assert.ok(e.status === 'success' && e.mode === 'webhook', `execution ${e.id} is ${e.status}/${e.mode}, expected success/webhook`);
			await assertRanOnWorker(ctx, ex.map((e) => e.id));

			const sent = batches.flatMap((b) => b.contacts.map((c) => c.number));
			const saved = [...ctx.sim.state.contacts.values()].map((c) => c.number);
			assert.equal(saved.length, sent.length, `the simulator should hold ${sent.length} contacts, holds ${saved.length}`);
			assert.deepEqual([...saved].sort(), [...sent].sort(), 'every contact should be saved exactly once');
			const posts = requestsTo(ctx.sim, 'POST', '/contacts');
			assert.equal(posts.length, 3, `expected one bulk POST /contacts per run (3), the simulator got ${posts.length}`);
			for (const b of batches) {
				const tagged = [...ctx.sim.state.contacts.values()].filter((c) => c.tag === b.batch).length;
				assert.equal(tagged, 4, `${b.batch}: 4 contacts should carry its tag, ${tagged} do`);
			}
			const ids = ex.map((e) => e.id);
			return `3 runs, executions ${ids.join(', ')} on the worker (${mostAtOnce(ctx.workerLog(), ids)} at once), ${saved.length} contacts once each`;
		},
	},
	{
		name: 'CSV file made in the run, uploaded, waited for',
		file: 'csv-upload.workflow.json',
		id: 'exoQueueCsvUpld1',
		async run(ctx) {
			const before = lastExecutionId(ctx);
			const rows = Array.from({ length: 6 }, (_, k) => ({ number: `+9197${String(500 + k).padStart(8, '0')}`, first_name: `Csv${k + 1}`, last_name: 'Queue' }));
			const answer = await ctx.webhook('exotel-e2e-csv-upload', { listName: 'Queue CSV import', rows });
			assert.equal(answer.status, 200, `the webhook answered ${answer.status}: ${str(answer.body)}`);
			const json = answer.body as Record<string, unknown>;
			const summary = (json.summary ?? {}) as Record<string, unknown>;
			const status = (json.status ?? summary.status) as string | undefined;
			const stats = (json.stats ?? summary.stats) as Record<string, unknown> | undefined;
			assert.equal(status, 'completed', `the upload should be completed after waiting, got ${str(json)}`);
			assert.equal(stats?.success, rows.length, `stats.success should be ${rows.length}, got ${str(stats)}`);

			const uploads = requestsTo(ctx.sim, 'POST', '/contacts/csv-upload');
			assert.equal(uploads.length, 1, `expected ONE POST /contacts/csv-upload, got ${uploads.length}`);
			const file = (uploads[0].body as { files?: Array<{ filename?: string; content?: Buffer }> }).files?.[0];
			assert.equal(file?.filename, 'contacts.csv', `the uploaded file should be the one Convert to File made (contacts.csv), got ${str(file?.filename)}`);
			const csv = file?.content?.toString('utf8') ?? '';
			assert.match(csv.split(/\r?\n/)[0], /number/, `the CSV's header should name the number column: ${csv.slice(0, 200)}`);
			for (const r of rows) assert.ok(csv.includes(r.number.replace('+', '')) || csv.includes(r.number), `the CSV lacks ${r.number}`);

			const list = [...ctx.sim.state.lists.values()].find((l) => l.name === 'Queue CSV import');
			assert.ok(list, 'the simulator has no list "Queue CSV import"');
			assert.equal(ctx.sim.listMembers(list.sid).length, rows.length, `the list should hold ${rows.length} contacts`);

			const ex = await settledExecutions(ctx, 'exoQueueCsvUpld1', before, 1);
			assert.equal(ex.length, 1, `PostgreSQL should hold 1 new execution, holds ${ex.length}`);
			assert.equal(ex[0].status, 'success', `execution ${ex[0].id} is ${ex[0].status}`);
			await assertRanOnWorker(ctx, [ex[0].id]);
			const polls = requestsTo(ctx.sim, 'GET', /^\/csv-status\//).length;
			return `execution ${ex[0].id} on the worker: ${rows.length} rows → CSV binary (database mode) → list, completed after ${polls} poll(s)`;
		},
	},
	{
		name: '429 with Retry-After, run still completes',
		file: 'bulk-create.workflow.json',
		id: 'exoQueueBulkCrt1',
		before(sim) {
			// Exotel's answer when over its limit: 429 with Retry-After, the create not applied.
			sim.injectFault({ kind: 'status', status: 429, retryAfter: 1, match: { method: 'POST', path: '/contacts' }, times: 2 });
		},
		async run(ctx) {
			const before = lastExecutionId(ctx);
			const sent = contactsFor('throttled', 5, 900);
			const answer = await ctx.webhook('exotel-e2e-bulk-create', { batch: 'throttled', contacts: sent });
			assertCreated(answer, sent, 'throttled');
			const posts = requestsTo(ctx.sim, 'POST', '/contacts');
			assert.deepEqual(
				posts.map((p) => p.status),
				[429, 429, 207],
				`expected two 429 answers, then the bulk create accepted (207); the simulator answered ${str(posts.map((p) => p.status))}`,
			);
			assert.equal(ctx.sim.state.contacts.size, sent.length, `every contact should be saved once: ${ctx.sim.state.contacts.size} saved`);
			const ex = await settledExecutions(ctx, 'exoQueueBulkCrt1', before, 1);
			assert.equal(ex.length, 1, `PostgreSQL should hold 1 new execution, holds ${ex.length}`);
			assert.equal(ex[0].status, 'success', `execution ${ex[0].id} is ${ex[0].status}`);
			await assertRanOnWorker(ctx, [ex[0].id]);
			return `2× 429 (Retry-After 1 s) then 207; execution ${ex[0].id} on the worker, ${sent.length} contacts once each`;
		},
	},
	{
		name: 'rate limit shared by three concurrent runs',
		file: 'bulk-create.workflow.json',
		id: 'exoQueueBulkCrt1',
		before(sim) {
			// One request per 2 s window for the account, as Exotel's gateway counts: three runs at once
			// need at least three windows, whether the node waits on its own (X-RateLimit headers) or on
			// 429s (Retry-After).
			sim.setRateLimit({ limit: 1, windowMs: 2000, retryAfter: true, headers: true });
		},
		async run(ctx) {
			const before = lastExecutionId(ctx);
			const batches = ['X', 'Y', 'Z'].map((b, k) => ({ batch: `limited-${b}`, contacts: contactsFor(`limited-${b}`, 3, 700 + 10 * k) }));
			const answers = await Promise.all(batches.map((b) => ctx.webhook('exotel-e2e-bulk-create', b)));
			answers.forEach((a, k) => assertCreated(a, batches[k].contacts, batches[k].batch));
			const stats = ctx.sim.rateLimitStats;
			const posts = requestsTo(ctx.sim, 'POST', '/contacts');
			assert.equal(posts.filter((p) => p.status >= 200 && p.status < 300).length, 3, `expected 3 accepted bulk creates, got ${str(posts.map((p) => p.status))}`);
			assert.ok(stats.accepted > 1, `more requests than one window allows should have gone through over several windows: ${str(stats)}`);
			const sent = batches.flatMap((b) => b.contacts.map((c) => c.number));
			const saved = [...ctx.sim.state.contacts.values()].map((c) => c.number);
			assert.deepEqual([...saved].sort(), [...sent].sort(), 'every contact should be saved exactly once');
			const ex = await settledExecutions(ctx, 'exoQueueBulkCrt1', before, 3);
			assert.equal(ex.length, 3, `PostgreSQL should hold 3 new executions, holds ${ex.length}`);
			for (const e of ex) assert.equal(e.status, 'success', `execution ${e.id} is ${e.status}`);
			await assertRanOnWorker(ctx, ex.map((e) => e.id));
			return `limit 1 request / 2 s: ${stats.accepted} accepted, ${stats.throttled} answered 429; executions ${ex.map((e) => e.id).join(', ')} on the worker, ${saved.length} contacts once each`;
		},
	},
	{
		// The test posts these callbacks itself to check what a sender cannot make happen on purpose
		// (no token, a repeated delivery); the next case lets the simulator's campaign post them.
		name: 'Exotel Trigger callback received by main, run by the worker',
		file: 'trigger-callback.workflow.json',
		id: 'exoQueueTrigger1',
		requires: 'dist/nodes/ExotelTrigger/ExotelTrigger.node.js',
		async run(ctx) {
			const before = lastExecutionId(ctx);
			const callback = { CallSid: 'CAe2e0000000000000001', CampaignSid: 'CMPe2e0001', To: '+919800000001', Status: 'Completed', Direction: 'outbound-api' };
			const url = await ctx.triggerUrl('exoQueueTrigger1');
			const noToken = await ctx.post(url, callback);
			assert.equal(noToken.status, 401, `a callback without ?token should get 401, got ${noToken.status}: ${str(noToken.body)}`);
			const first = await ctx.post(`${url}?token=${TRIGGER_SECRET}`, callback);
			assert.equal(first.status, 200, `the callback should get 200, got ${first.status}: ${str(first.body)}`);
			// Exotel resends a delivery it thinks failed: the same callback again starts nothing.
			const again = await ctx.post(`${url}?token=${TRIGGER_SECRET}`, callback);
			assert.equal(again.status, 200, `a repeated callback should get 200, got ${again.status}: ${str(again.body)}`);
			assert.match(str(again.body), /duplicate/i, `a repeated callback should be answered as a duplicate: ${str(again.body)}`);

			const ex = await settledExecutions(ctx, 'exoQueueTrigger1', before, 1);
			assert.equal(ex.length, 1, `exactly one execution should start (no token: none; repeated: none), ${ex.length} did: ${str(ex)}`);
			assert.ok(ex[0].status === 'success' && ex[0].mode === 'webhook', `execution ${ex[0].id} is ${ex[0].status}/${ex[0].mode}, expected success/webhook`);
			await assertRanOnWorker(ctx, [ex[0].id]);
			const data = ctx.sql(`select data from execution_data where "executionId" = ${ex[0].id}`)[0]?.[0] ?? '';
			for (const v of [callback.CallSid, 'callStatus', 'completed']) assert.ok(data.includes(v), `execution ${ex[0].id}'s data should hold "${v}"`);
			assert.ok(!data.includes(TRIGGER_SECRET), `execution ${ex[0].id}'s data holds the trigger's secret`);
			return `401 without token, 1 execution (${ex[0].id}, on the worker) for 2 deliveries of the same callback`;
		},
	},
	{
		// Callbacks in queue mode: the simulator's campaign posts its callbacks to main,
		// the worker runs Exotel Trigger → IF completed → Campaign Get → List Contact Get Many → Filter
		// on the number → List Contact Remove.
		name: 'campaign callbacks from the simulator: answered members leave the list',
		file: 'trigger-remove-completed.workflow.json',
		id: 'exoQueueRemoveOk',
		requires: 'dist/nodes/ExotelTrigger/ExotelTrigger.node.js',
		async run(ctx) {
			const { sim } = ctx;
			const before = lastExecutionId(ctx);
			// Nine members whose numbers end in 1…9: the simulator answers 7 busy, 8 no-answer, 9 failed,
			// the rest completed (no retries).
			const [probe] = sim.seedContacts(1);
			sim.seedContacts((10 - Number(probe.number.slice(-1))) % 10);
			const list = sim.seedList('Renewal callbacks');
			const members = sim.seedContacts(9, { listSid: list.sid });
			const answered = members.filter((m) => callOutcome(m.number, 1) === 'completed').map((m) => m.sid);
			const unanswered = members.filter((m) => callOutcome(m.number, 1) !== 'completed').map((m) => m.sid);
			assert.ok(answered.length > 0 && unanswered.length > 0, `the list should mix outcomes: ${str(members.map((m) => m.number))}`);

			// The Call Status trigger's URL gets all three callbacks: the schedule and campaign-status ones
			// must be answered and start nothing.
			const url = `${await ctx.triggerUrl('exoQueueRemoveOk')}?token=${TRIGGER_SECRET}`;
			sim.campaignClock.callMs = 50;
			const { credentials } = sim;
			const res = await fetch(`${sim.url}/v2/accounts/${credentials.accountSid}/campaigns`, {
				method: 'POST',
				headers: { authorization: `Basic ${Buffer.from(`${credentials.apiKey}:${credentials.apiToken}`).toString('base64')}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					campaigns: [{ name: 'Renewal reminders', caller_id: '08047112345', lists: [list.sid], call_status_callback: url, call_schedule_callback: url, status_callback: url }],
				}),
			});
			assert.equal(res.status, 200, `the simulator refused the campaign: ${await res.text()}`);

			const deadline = Date.now() + 60_000;
			const delivered = sim.campaignClock.delivered;
			while (!delivered.some((d) => d.kind === 'status' && /completed/i.test(String(d.payload.status)))) {
				if (Date.now() > deadline) throw new Error(`the campaign did not complete within 60 s; callbacks so far: ${str(delivered.map((d) => `${d.kind}→${d.status}`))}`);
				await new Promise((r) => setTimeout(r, 200));
			}
			await sim.campaignClock.settled();
			const calls = delivered.filter((d) => d.kind === 'call_status');
			assert.equal(calls.length, members.length, `the simulator should post one call status per member (${members.length}), posted ${calls.length}`);
			const refused = delivered.filter((d) => d.status !== 200);
			assert.deepEqual(refused.map((d) => `${d.kind}→${d.status}`), [], 'n8n should answer every callback with 200');

			// Nine executions on one worker (concurrency 5) beside main, PostgreSQL and Redis: about 11 s on 2 cores.
			const ex = await settledExecutions(ctx, 'exoQueueRemoveOk', before, calls.length, 120_000);
			assert.equal(ex.length, calls.length, `one execution per call status (${calls.length}), none for the other callbacks; PostgreSQL holds ${ex.length}: ${str(ex)}`);
			for (const e of ex) assert.ok(e.status === 'success' && e.mode === 'webhook', `execution ${e.id} is ${e.status}/${e.mode}, expected success/webhook`);
			await assertRanOnWorker(ctx, ex.map((e) => e.id));

			assert.deepEqual([...sim.listMembers(list.sid)].sort(), [...unanswered].sort(), 'the list should keep exactly the members whose calls were not completed');
			const removes = requestsTo(sim, 'DELETE', new RegExp(`^/lists/${list.sid}/contacts/`));
			assert.deepEqual(removes.map((r) => r.path.split('/').pop()).sort(), [...answered].sort(), 'one DELETE per answered member, none for the others');
			assert.ok(removes.every((r) => r.status === 200), `every remove should succeed: ${str(removes.map((r) => r.status))}`);
			for (const m of members) assert.ok(sim.state.contacts.has(m.sid), `contact ${m.sid} should stay in the address book`);
			assert.equal(executions(ctx, 'exoQueueRemoveOk', before).length, calls.length, 'no execution should start after the callbacks settled');
			return `${delivered.length} callbacks POSTed by the simulator, ${ex.length} executions on the worker; ${answered.length} answered removed, ${unanswered.length} kept`;
		},
	},
	...triggerCallsCases,
	...nodeCallbackCases,
];
