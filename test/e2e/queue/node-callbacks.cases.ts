/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * Queue mode: the node-driven callback loop. One workflow places calls (Call → Connect) or texts
 * (SMS → Send) with `statusCallback` set to another workflow's published Exotel Trigger; the simulator,
 * like Exotel, posts each call's terminal status (multipart, `Legs[i][k]`) and each message's delivery
 * (form) to that URL, every delivery twice, and the receiving workflow writes a CRM row.
 */
import assert from 'node:assert/strict';

import { nodeOutputItems } from '../../../scripts/e2e/execution-data';
import type { ExotelSimulator } from '../../simulator/server';
import type { QueueCase, QueueContext } from './cases';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the test workflows' secret, public on purpose
const SECRET = 'e2e-callback-secret';

type Json = Record<string, unknown>;

function str(v: unknown): string {
	return typeof v === 'string' ? v : JSON.stringify(v);
}

function lastExecutionId(ctx: QueueContext): number {
	return Number(ctx.sql('select coalesce(max(id), 0) from execution_entity')[0][0]);
}

function executions(ctx: QueueContext, workflowId: string, afterId: number): Array<{ id: number; status: string; mode: string }> {
	return ctx
		.sql(`select id, status, mode from execution_entity where "workflowId" = '${workflowId}' and id > ${afterId} order by id`)
		.map(([id, status, mode]) => ({ id: Number(id), status, mode }));
}

async function until<T>(what: string, read: () => T, done: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = read();
		if (done(v)) return v;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${str(v)}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** The items a node of an execution put out (its first output), read from n8n's stored execution data. */
function nodeOutput(ctx: QueueContext, executionId: number, nodeName: string): Json[] {
	const raw = ctx.sql(`select data from execution_data where "executionId" = ${executionId}`)[0]?.[0];
	assert.ok(raw, `execution ${executionId} has no stored data`);
	return nodeOutputItems(raw, nodeName);
}

/** Every delivery is sent twice (a retried delivery, as Exotel's retries look to the receiver). */
function redeliverEverything(sim: ExotelSimulator): void {
	sim.callClock.callbacks.duplicates = 1;
	sim.smsClock.callbacks.duplicates = 1;
}

export const nodeCallbackCases: QueueCase[] = [
	{
		name: "Click-to-call's status callback starts the Exotel Trigger's workflow once per call; the outcome is written",
		file: 'click-to-call-callback.workflow.json',
		also: ['call-outcome-sink.workflow.json'],
		id: 'exoQueueClickCallCb',
		requires: 'dist/nodes/ExotelTrigger/ExotelTrigger.node.js',
		before(sim) {
			sim.seedExoPhones(1);
			redeliverEverything(sim);
		},
		async run(ctx) {
			const before = lastExecutionId(ctx);
			const statusCallback = `${await ctx.triggerUrl('exoQueueCallOutcome')}?token=${SECRET}`;
			// The simulator decides each call's outcome by the customer's last digit: 1 answers, 7 busy, 8 no answer, 9 fails.
			const leads = [
				{ crm_id: 'LEAD-3001', phone: '98450 11001', agent_phone: '98450 99001' },
				{ crm_id: 'LEAD-3002', phone: '98450 11007', agent_phone: '98450 99001' },
				{ crm_id: 'LEAD-3003', phone: '98450 11008', agent_phone: '98450 99002' },
				{ crm_id: 'LEAD-3004', phone: '98450 11009', agent_phone: '98450 99002' },
			];
			const placed = await ctx.webhook('exotel-e2e-click-to-call-callback', { leads, statusCallback });
			assert.equal(placed.status, 200, `the click-to-call webhook answered ${placed.status}: ${str(placed.body)}`);
			const calls = placed.body as Json[];
			assert.ok(Array.isArray(calls) && calls.length === leads.length, `one call per lead expected: ${str(placed.body)}`);
			const sids = calls.map((c) => String(c.Sid ?? ''));
			for (const sid of sids) assert.match(sid, /\w+/, `a placed call has no Sid: ${str(calls)}`);

			// Each terminal callback is delivered twice (a redelivery); the trigger must start one execution per call.
			const deliveries = await until(
				'two deliveries of each terminal callback',
				() => ctx.sim.callClock.delivered.filter((d) => d.event === 'terminal' && d.url === statusCallback),
				(d) => d.length >= 2 * sids.length,
			);
			await ctx.sim.callClock.settled(); // the last attempts' answers
			assert.ok(deliveries.every((d) => d.status === 200), `the trigger should answer every delivery 200: ${str(deliveries.map((d) => d.status))}`);
			assert.deepEqual(new Set(deliveries.map((d) => String(d.payload.CallSid))), new Set(sids), 'callbacks for exactly the placed calls');

			const ex = await until(
				'one settled execution per call',
				() => executions(ctx, 'exoQueueCallOutcome', before),
				(e) => e.length >= sids.length && e.every((x) => x.status !== 'new' && x.status !== 'running'),
			);
			await new Promise((r) => setTimeout(r, 1500));
			const after = executions(ctx, 'exoQueueCallOutcome', before);
			assert.equal(after.length, sids.length, `one execution per call outcome (${sids.length}) for ${deliveries.length} deliveries; ${after.length} started: ${str(after)}`);
			for (const e of ex) assert.ok(e.status === 'success' && e.mode === 'webhook', `execution ${e.id} is ${e.status}/${e.mode}`);

			// The CRM rows match what Exotel (the simulator) records for each call.
			const rows = after.flatMap((e) => nodeOutput(ctx, e.id, 'CRM row'));
			assert.equal(rows.length, sids.length, `one CRM row per call: ${str(rows)}`);
			const outcomes: string[] = [];
			for (const [k, sid] of sids.entries()) {
				const row = rows.find((r) => r.call_sid === sid);
				assert.ok(row, `no CRM row for call ${sid}: ${str(rows)}`);
				const call = ctx.sim.callClock.get(sid) as Json & { Details: Json };
				assert.equal(row.crm_id, leads[k].crm_id, `call ${sid}: CRM id`);
				assert.equal(row.outcome, String(call.Status), `call ${sid}: outcome`);
				assert.equal(row.talk_seconds, Number(call.Details.ConversationDuration), `call ${sid}: talk seconds`);
				outcomes.push(`${row.outcome}/${row.talk_seconds}s`);
			}
			assert.deepEqual(rows.map((r) => r.outcome).sort(), ['busy', 'completed', 'failed', 'no-answer'], 'the four outcomes');
			const data = after.map((e) => ctx.sql(`select data from execution_data where "executionId" = ${e.id}`)[0]?.[0] ?? '').join('\n');
			assert.ok(!data.includes(SECRET), "an execution of the receiving workflow holds the trigger's secret");
			return `${sids.length} calls, ${deliveries.length} deliveries → ${after.length} executions; rows ${outcomes.join(', ')}`;
		},
	},
	{
		name: "SMS → Send's delivery callback starts the Exotel Trigger's workflow once per message; the DND failure becomes a task",
		file: 'sms-send-callback.workflow.json',
		also: ['sms-failed-sink.workflow.json'],
		id: 'exoQueueSmsSendCb',
		requires: 'dist/nodes/ExotelTrigger/ExotelTrigger.node.js',
		before(sim) {
			redeliverEverything(sim);
		},
		async run(ctx) {
			const before = lastExecutionId(ctx);
			const statusCallback = `${await ctx.triggerUrl('exoQueueSmsFailed')}?token=${SECRET}`;
			// The simulator fails a number ending in 3 as DND (23005) and delivers one ending in 0.
			const customers = [
				{ crm_id: 'LEAD-4001', name: 'Kavya', phone: '98450 22003' },
				{ crm_id: 'LEAD-4002', name: 'Rohan', phone: '98450 22010' },
			];
			const sent = await ctx.webhook('exotel-e2e-sms-callback', { customers, statusCallback });
			assert.equal(sent.status, 200, `the SMS webhook answered ${sent.status}: ${str(sent.body)}`);
			const messages = sent.body as Json[];
			assert.ok(Array.isArray(messages) && messages.length === customers.length, `one message per customer expected: ${str(sent.body)}`);
			const sids = messages.map((m) => String(m.Sid ?? ''));
			for (const sid of sids) assert.match(sid, /\w+/, `a sent message has no Sid: ${str(messages)}`);

			const deliveries = await until(
				'two deliveries of each delivery callback',
				() => ctx.sim.smsClock.delivered.filter((d) => d.url === statusCallback),
				(d) => d.length >= 2 * sids.length,
			);
			await ctx.sim.smsClock.settled(); // the last attempts' answers
			assert.ok(deliveries.every((d) => d.status === 200), `the trigger should answer every delivery 200: ${str(deliveries.map((d) => d.status))}`);

			await until(
				'one settled execution per message',
				() => executions(ctx, 'exoQueueSmsFailed', before),
				(e) => e.length >= sids.length && e.every((x) => x.status !== 'new' && x.status !== 'running'),
			);
			await new Promise((r) => setTimeout(r, 1500));
			const after = executions(ctx, 'exoQueueSmsFailed', before);
			assert.equal(after.length, sids.length, `one execution per message (${sids.length}) for ${deliveries.length} deliveries; ${after.length} started: ${str(after)}`);
			for (const e of after) assert.ok(e.status === 'success' && e.mode === 'webhook', `execution ${e.id} is ${e.status}/${e.mode}`);

			const tasks = after.flatMap((e) => nodeOutput(ctx, e.id, 'CRM task'));
			assert.equal(tasks.length, 1, `only the DND failure becomes a task: ${str(tasks)}`);
			assert.equal(tasks[0].sms_sid, sids[0], `the task is for the DND number's message: ${str(tasks)}`);
			assert.match(String(tasks[0].status), /^failed-dnd$/, `the task's status: ${str(tasks[0])}`);
			assert.equal(tasks[0].status_code, '23005', `the task's detailed status code: ${str(tasks[0])}`);
			const data = after.map((e) => ctx.sql(`select data from execution_data where "executionId" = ${e.id}`)[0]?.[0] ?? '').join('\n');
			assert.ok(!data.includes(SECRET), "an execution of the receiving workflow holds the trigger's secret");
			return `${sids.length} messages, ${deliveries.length} deliveries → ${after.length} executions, 1 task (${String(tasks[0].status)} ${String(tasks[0].status_code)})`;
		},
	},
];
