/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * Queue mode: the Exotel Trigger's call, SMS and Passthru events, and the shipped Passthru routing
 * workflow (examples/), through main's production URLs and a worker. The tests post the payload
 * shapes Exotel sends (a call's StatusCallback as multipart with flattened legs, an SMS's failed
 * delivery as JSON, a Passthru as a GET) themselves.
 */
import assert from 'node:assert/strict';

import type { QueueCase, QueueContext } from './cases';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the test workflow's secret, public on purpose
const SECRET = 'e2e-callback-secret';

function str(v: unknown): string {
	return typeof v === 'string' ? v : JSON.stringify(v);
}

function lastExecutionId(ctx: QueueContext): number {
	return Number(ctx.sql('select coalesce(max(id), 0) from execution_entity')[0][0]);
}

async function settled(ctx: QueueContext, workflowId: string, afterId: number, count: number, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const rows = ctx
			.sql(`select id, status, mode from execution_entity where "workflowId" = '${workflowId}' and id > ${afterId} order by id`)
			.map(([id, status, mode]) => ({ id: Number(id), status, mode }));
		if ((rows.length >= count && rows.every((r) => r.status !== 'new' && r.status !== 'running')) || Date.now() > deadline) return rows;
		await new Promise((r) => setTimeout(r, 250));
	}
}

async function send(url: string, init: RequestInit): Promise<{ status: number; text: string }> {
	const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(60_000) });
	return { status: res.status, text: await res.text() };
}

export const triggerCallsCases: QueueCase[] = [
	{
		name: 'Exotel Trigger: call status, failed SMS and Passthru GET each start one execution; retries start nothing',
		file: 'trigger-calls.workflow.json',
		id: 'exoQueueTriggerCalls',
		requires: 'dist/nodes/ExotelTrigger/ExotelTrigger.node.js',
		async run(ctx) {
			const before = lastExecutionId(ctx);
			const url = await ctx.triggerUrl('exoQueueTriggerCalls');
			const withToken = `${url}?token=${SECRET}`;

			const call = new FormData();
			for (const [k, v] of Object.entries({
				CallSid: 'e2ecall0001',
				EventType: 'terminal',
				Status: 'completed',
				DateUpdated: '2026-12-07 10:01:10',
				From: '08000000000',
				To: '09800000001',
				ConversationDuration: '41',
				'Legs[0][Status]': 'completed',
				'Legs[1][Status]': 'completed',
			})) call.append(k, v);
			const sms = { SmsSid: 'e2esms0001', To: '09800000002', From: 'EXOTEL', Status: 'failed_dnd', ExoStatusCode: 20014, DateUpdated: '2026-12-07 10:02:00' };
			const passthru = new URLSearchParams({ CallSid: 'e2ein0001', CallFrom: '09800000003', CallTo: '08000000000', digits: '"2"', CurrentTime: '2026-12-07 10:03:00' });

			const answers = {
				call: await send(withToken, { method: 'POST', body: call }),
				callAgain: await send(withToken, { method: 'POST', body: call }),
				sms: await send(withToken, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sms) }),
				smsAgain: await send(withToken, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sms) }),
				passthruNoToken: await send(`${url}?${passthru}`, { method: 'GET' }),
				passthru: await send(`${withToken}&${passthru}`, { method: 'GET' }),
				passthruAgain: await send(`${withToken}&${passthru}`, { method: 'GET' }),
			};
			assert.equal(answers.passthruNoToken.status, 401, `a Passthru GET without the token should get 401: ${str(answers.passthruNoToken)}`);
			for (const key of ['call', 'sms', 'passthru'] as const) {
				assert.equal(answers[key].status, 200, `${key}: expected 200, got ${str(answers[key])}`);
				const again = answers[`${key}Again`];
				assert.equal(again.status, 200, `${key} resent: expected 200, got ${str(again)}`);
				assert.match(again.text, /duplicate/i, `${key} resent should be answered as a duplicate: ${again.text}`);
			}

			const ex = await settled(ctx, 'exoQueueTriggerCalls', before, 3);
			assert.equal(ex.length, 3, `one execution per distinct delivery (3), ${ex.length} started: ${str(ex)}`);
			for (const e of ex) assert.ok(e.status === 'success' && e.mode === 'webhook', `execution ${e.id} is ${e.status}/${e.mode}`);
			const data = ex.map((e) => ctx.sql(`select data from execution_data where "executionId" = ${e.id}`)[0]?.[0] ?? '').join('\n');
			for (const v of ['e2ecall0001', 'e2esms0001', 'failed-dnd', 'e2ein0001', 'passthru']) assert.ok(data.includes(v), `the executions' data should hold "${v}"`);
			assert.ok(!data.includes(SECRET), "an execution's data holds the trigger's secret");
			await new Promise((r) => setTimeout(r, 1000));
			assert.equal((await settled(ctx, 'exoQueueTriggerCalls', before, 3, 0)).length, 3, 'no execution should start later');
			return `3 executions for 7 requests (1 refused 401, 3 duplicates), secret in no execution`;
		},
	},
	{
		name: 'Passthru routing workflow (examples/): 302 for a VIP caller, 200 for another',
		file: '../../../examples/passthru-routing.workflow.json',
		id: 'exoPassthruRouting',
		async run(ctx) {
			const before = lastExecutionId(ctx);
			const url = await ctx.triggerUrl('exoPassthruRouting');
			const call = (from: string, sid: string) => new URLSearchParams({ CallSid: sid, CallFrom: from, CallTo: '08000000000', Direction: 'incoming', digits: '""' });
			const vip = await send(`${url}?${call('09800000001', 'e2evip')}`, { method: 'GET' });
			const other = await send(`${url}?${call('09811111111', 'e2eother')}`, { method: 'GET' });
			assert.equal(vip.status, 302, `a VIP caller should get 302 (second branch): ${str(vip)}`);
			assert.equal(other.status, 200, `another caller should get 200 (first branch): ${str(other)}`);
			const ex = await settled(ctx, 'exoPassthruRouting', before, 2);
			assert.equal(ex.length, 2, `one execution per Passthru request: ${str(ex)}`);
			return 'VIP → 302, other → 200, 2 executions';
		},
	},
];
