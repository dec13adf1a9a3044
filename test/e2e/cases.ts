/* eslint-disable @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * What each workflow in this folder must do, checked on both sides: n8n's output (from
 * `n8n execute --rawOutput`) and the Exotel simulator's state and request log.
 */
import assert from 'node:assert/strict';

import type { ExotelSimulator, LoggedRequest } from '../simulator/server';
import type { Conversation, FakeOpenAi, ScriptStep } from './fake-openai';
import { assertRunSucceeded, jsons, nodeOutput, pairedIndexes, type RunLike } from './support';

export interface CaseContext {
	run: RunLike;
	sim: ExotelSimulator;
	/** The OpenAI-compatible fake model behind the `fakeOpenAi` credential. */
	model: FakeOpenAi;
}

export interface E2eCase {
	/** File in test/e2e/. */
	file: string;
	/** The workflow's id inside that file (what `n8n execute --id` gets). */
	id: string;
	title: string;
	/** Prepare the simulator and the fake model (both are reset before every case). */
	before?(sim: ExotelSimulator, model: FakeOpenAi): void;
	check(ctx: CaseContext): string;
}

/** Requests to `<method> /v2/accounts/<sid><rel>`; `rel` may be a RegExp. */
export function requestsTo(sim: ExotelSimulator, method: string, rel: string | RegExp): LoggedRequest[] {
	return sim.requests.filter((r) => {
		if (r.method !== method) return false;
		const m = /^\/v2\/accounts\/[^/]+(\/.*)?$/.exec(r.path);
		const p = m ? (m[1] ?? '') : r.path;
		return typeof rel === 'string' ? p === rel : rel.test(p);
	});
}

function str(v: unknown): string {
	return typeof v === 'string' ? v : JSON.stringify(v);
}

export const cases: E2eCase[] = [
	{
		file: 'agent-number-tool.workflow.json',
		id: 'exoE2eAgentNum01',
		title: 'AI Agent with the Exotel tool: Number → Get Metadata from $fromAI, DND read',
		before(_sim, model) {
			model.setScript(numberAgentScript);
		},
		check({ run, sim, model }) {
			return checkNumberAgent(run, sim, model);
		},
	},
	{
		file: 'sms-bulk-send.workflow.json',
		id: 'exoE2eSmsBulk001',
		title: 'sms send, bulk with DLT: 150 texts in 2 requests, 1 refused → error output',
		check({ run, sim }) {
			assertRunSucceeded(run, ['Unanswered calls', 'Send SMS']);
			const sent = nodeOutput(run, 'Send SMS', 0);
			const refused = nodeOutput(run, 'Send SMS', 1);
			assert.equal(sent.length, 149, `expected 149 sent items, got ${sent.length}`);
			assert.equal(refused.length, 1, `expected 1 refused item, got ${refused.length}: ${str(jsons(refused))}`);
			assert.deepEqual(pairedIndexes(refused), [149], 'the refused item should pair with the last input item');
			assert.match(str(refused[0].json), /40203/, `the refused item should carry Exotel's code 40203: ${str(refused[0].json)}`);
			assert.deepEqual(pairedIndexes(sent), [...Array(149).keys()], 'sent items should pair with their input items, in order');
			sent.forEach((item, index) => {
				assert.equal(item.json.To, `098${String(index * 10).padStart(8, '0')}`, `item ${index + 1} should be its own customer's SMS: ${str(item.json)}`);
				assert.match(String(item.json.Sid ?? ''), /\w+/, `a sent item has no Sid: ${str(item.json)}`);
			});
			const posts = sim.requests.filter((r) => r.method === 'POST' && /\/v1\/Accounts\/[^/]+\/Sms\/bulksend\.json$/.test(r.path));
			assert.equal(posts.length, 2, `expected 2 bulk requests (100 + 50), the simulator got ${posts.length}`);
			const first = new URLSearchParams(String(posts[0].body));
			assert.equal(first.get('Messages[0][DltTemplateId]'), '1107161234567890123', 'each message should carry its DLT template ID');
			assert.equal(first.get('Messages[0][DltEntityId]'), '1101456780000012345', 'each message should carry its DLT entity ID');
			assert.equal(sim.smsClock.messages.length, 149, `the simulator should hold 149 SMS, it holds ${sim.smsClock.messages.length}`);
			return '149 sent in 2 bulk requests, 1 refused (40203) on the error output';
		},
	},
	{
		file: 'contacts-bulk-create.workflow.json',
		id: 'exoE2eContacts01',
		title: 'contact create, bulk, 1 invalid → error output',
		check({ run, sim }) {
			assertRunSucceeded(run, ['CRM rows', 'Create contacts']);
			const ok = nodeOutput(run, 'Create contacts', 0);
			const bad = nodeOutput(run, 'Create contacts', 1);
			assert.equal(ok.length, 4, `expected 4 items on the success output, got ${ok.length}: ${str(jsons(ok))}`);
			assert.equal(bad.length, 1, `expected 1 item on the error output, got ${bad.length}: ${str(jsons(bad))}`);
			assert.deepEqual(pairedIndexes(ok), [0, 1, 2, 4], 'success items should pair with input items 0, 1, 2, 4 in order');
			assert.deepEqual(pairedIndexes(bad), [3], 'the error item should pair with input item 3');
			assert.match(str(bad[0].json), /12345/, `the error item should name the rejected number "12345": ${str(bad[0].json)}`);
			for (const item of ok) assert.match(String(item.json.sid ?? ''), /\w+/, `a created contact has no sid: ${str(item.json)}`);
			assert.deepEqual(
				ok.map((i) => i.json.number),
				['+919876543210', '+919876543211', '08012345678', '+14155550123'],
				'numbers should come back normalised, in input order',
			);
			const posts = requestsTo(sim, 'POST', '/contacts');
			assert.equal(posts.length, 1, `expected ONE POST /contacts (bulk), the simulator got ${posts.length}`);
			const sent = (posts[0].body as { contacts?: unknown[] } | undefined)?.contacts;
			assert.equal(sent?.length, 4, `the bulk request should carry the 4 valid contacts, it carried ${str(sent)}`);
			assert.equal(sim.state.contacts.size, 4, `the simulator should hold 4 contacts, it holds ${sim.state.contacts.size}`);
			const asha = [...sim.state.contacts.values()].find((c) => c.number === '+919876543210');
			assert.equal(asha?.first_name, 'Asha', 'additional fields (first name) should reach Exotel');
			return '4 created in 1 request, 1 on error output';
		},
	},
	{
		file: 'lists-create-and-get-many.workflow.json',
		id: 'exoE2eListsCrud1',
		title: 'list create → list getMany (Return All, paged)',
		before(sim) {
			// More lists than one page holds (Exotel pages lists by at most 100), so Return All must page.
			for (let k = 1; k <= 130; k++) sim.seedList(`Seeded list ${String(k).padStart(3, '0')}`);
		},
		check({ run, sim }) {
			assertRunSucceeded(run, ['Create list', 'Get all lists']);
			const created = nodeOutput(run, 'Create list');
			assert.equal(created.length, 1, `list create should output 1 item, got ${created.length}`);
			const { sid, name } = created[0].json as { sid?: string; name?: string };
			assert.ok(sid && name, `the created list has no sid/name: ${str(created[0].json)}`);
			assert.equal(sim.state.lists.get(sid)?.name, name, 'the simulator should hold the created list under its sid');
			const all = nodeOutput(run, 'Get all lists');
			assert.equal(all.length, 131, `getMany (Return All) should return all 131 lists, got ${all.length}`);
			assert.ok(all.some((i) => i.json.sid === sid && i.json.name === name), `the new list ${sid} is missing from getMany`);
			assert.equal(new Set(all.map((i) => i.json.sid)).size, 131, 'getMany returned duplicates');
			const pages = requestsTo(sim, 'GET', '/lists').length;
			assert.ok(pages >= 2, `Return All over 131 lists should take at least 2 pages, took ${pages}`);
			return `created 1, listed 131 in ${pages} pages`;
		},
	},
	{
		file: 'list-membership.workflow.json',
		id: 'exoE2eListMembr1',
		title: 'contacts create → listContact add → getMany',
		check({ run, sim }) {
			assertRunSucceeded(run, ['Create list', 'Create contacts', 'Add to list', 'Get list members']);
			const listSid = nodeOutput(run, 'Create list')[0]?.json.sid as string;
			assert.ok(listSid, 'Create list gave no sid');
			const contactSids = nodeOutput(run, 'Create contacts').map((i) => i.json.sid as string);
			assert.equal(contactSids.length, 3, `expected 3 created contacts, got ${contactSids.length}`);
			const added = nodeOutput(run, 'Add to list');
			assert.equal(added.length, 3, `listContact add should output 3 items, got ${added.length}`);
			const adds = requestsTo(sim, 'POST', `/lists/${listSid}/contacts`);
			assert.equal(adds.length, 1, `expected ONE POST /lists/${listSid}/contacts (bulk), got ${adds.length}`);
			const members = nodeOutput(run, 'Get list members');
			const memberSids = members.map((i) => (i.json.sid ?? i.json.contact_sid) as string);
			assert.deepEqual([...memberSids].sort(), [...contactSids].sort(), `getMany should return exactly the 3 added contacts, got ${str(jsons(members))}`);
			assert.deepEqual([...sim.listMembers(listSid)].sort(), [...contactSids].sort(), 'the simulator list should hold exactly the 3 contacts');
			return '3 contacts added in 1 request, 3 members read back';
		},
	},
	{
		file: 'csv-upload-from-items.workflow.json',
		id: 'exoE2eCsvUpload1',
		title: 'csvUpload upload from items, wait for completion',
		check({ run, sim }) {
			return checkCsvUpload(run, sim, 'Rows', 'Upload CSV', 4);
		},
	},
	{
		file: 'crm-to-campaign.workflow.json',
		id: 'exoCrmToCampaign',
		title: 'demo: CRM leads → campaign list (CSV)',
		check({ run, sim }) {
			return checkCsvUpload(run, sim, 'CRM leads', 'Upload to campaign list', 5);
		},
	},
	{
		file: 'crm-to-calls.workflow.json',
		id: 'exoCrmToCalls',
		title: 'demo: CRM → CSV Upload (wait) → Campaign Create → Wait for Completion → Get Call Details → sheet rows',
		check({ run, sim }) {
			return checkCrmToCalls(run, sim);
		},
	},
	{
		file: 'agent-exotel-tool.workflow.json',
		id: 'exoE2eAgentTool1',
		title: 'AI Agent with the Exotel tool: create a contact, add it to a list',
		before(_sim, model) {
			model.setScript(agentScript);
		},
		check({ run, sim, model }) {
			return checkAgent(run, sim, model);
		},
	},
	{
		file: 'click-to-call.workflow.json',
		id: 'exoE2eClickCall1',
		title: 'speed to lead: Call Connect → Wait for Completion → CRM row',
		before(sim) {
			sim.seedExoPhones(1);
		},
		check({ run, sim }) {
			return checkClickToCall(run, sim);
		},
	},
	{
		file: 'agent-call-tool.workflow.json',
		id: 'exoE2eAgentCall1',
		title: 'AI Agent with the Exotel tool: Call Connect from $fromAI',
		before(sim, model) {
			sim.seedExoPhones(1);
			model.setScript(callAgentScript);
		},
		check({ run, sim, model }) {
			return checkCallAgent(run, sim, model);
		},
	},
];

const AGENT_LEAD = { number: '+919812345678', first_name: 'Priya', last_name: 'Sharma' };
const AGENT_ANSWER_PREFIX = 'Done: Priya Sharma is contact';

function findTool(c: Conversation, pattern: RegExp, args: string[]): string {
	const tool = c.tools.find((t) => pattern.test(t.name));
	if (!tool) throw new Error(`no tool matching ${pattern} among ${c.tools.map((t) => t.name).join(', ') || 'none'}`);
	const props = Object.keys(tool.parameters.properties ?? {});
	for (const a of args) if (!props.includes(a)) throw new Error(`tool ${tool.name} has no argument "${a}" (its arguments: ${props.join(', ')})`);
	return tool.name;
}

/**
 * What the fake model does, turn by turn: call the create-contact tool with the lead from the prompt,
 * then the add-to-list tool with the SID the first tool returned and the list SID from the prompt,
 * then answer. A tool result it cannot use (not a record with a SID) ends the conversation with an
 * answer that says so, which the check then reports.
 */
function agentScript(c: Conversation): ScriptStep {
	const prompt = c.userMessages.join('\n');
	if (c.toolResults.length === 0) {
		return { call: { name: findTool(c, /create.*contact/i, ['number', 'first_name']), arguments: { ...AGENT_LEAD } } };
	}
	if (c.toolResults.length === 1) {
		const contact = toolRecord(c.toolResults[0].output);
		const listSid = /list (\S+?)\.?$/m.exec(prompt)?.[1];
		if (!contact?.sid || !listSid) return { answer: `FAILED: no contact sid in ${c.toolResults[0].output} or no list sid in "${prompt}"` };
		return { call: { name: findTool(c, /add.*list/i, ['list_id', 'contact_id']), arguments: { list_id: listSid, contact_id: contact.sid } } };
	}
	const contact = toolRecord(c.toolResults[0].output);
	return { answer: `${AGENT_ANSWER_PREFIX} ${String(contact?.sid)} and is on the list.` };
}

/** A tool's output as the model got it: a JSON record, or a one-element array of one. */
function toolRecord(output: string): Record<string, unknown> | undefined {
	try {
		const v = JSON.parse(output) as unknown;
		const r = Array.isArray(v) && v.length === 1 ? v[0] : v;
		return r && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** Exotel's response envelope (or an n8n error) must not reach the model, only the record. */
function assertPlainRecord(output: string, what: string): Record<string, unknown> {
	const record = toolRecord(output);
	assert.ok(record, `${what}: the tool should return one JSON record to the model, it returned: ${output.slice(0, 500)}`);
	for (const k of ['error', 'message', 'response', 'request_id', 'http_code', 'data', 'metadata']) {
		assert.ok(!(k in record), `${what}: the tool's answer has "${k}", so it is an error or Exotel's envelope, not the record: ${output.slice(0, 500)}`);
	}
	return record;
}

function checkAgent(run: RunLike, sim: ExotelSimulator, model: FakeOpenAi): string {
	assert.deepEqual(model.problems, [], `the fake model got requests it could not serve: ${model.problems.join('; ')}`);
	assertRunSucceeded(run, ['Create list', 'AI Agent']);
	const listSid = nodeOutput(run, 'Create list')[0]?.json.sid as string;
	assert.ok(listSid, 'Create list gave no sid');
	assert.equal(model.turns.length, 3, `the model should be asked 3 times (create, add, answer), was asked ${model.turns.length}: ${str(model.turns.map((t) => t.step))}`);
	const offered = model.turns[0].conversation.tools.map((t) => t.name);
	assert.equal(offered.length, 2, `the agent should offer the 2 Exotel tools, offered ${str(offered)}`);

	const created = assertPlainRecord(model.turns[1].conversation.toolResults[0]?.output ?? '', 'create contact');
	assert.equal(created.number, AGENT_LEAD.number, `the created record should carry the number: ${str(created)}`);
	assert.equal(created.first_name, AGENT_LEAD.first_name, `the created record should carry the first name: ${str(created)}`);
	const contactSid = created.sid as string;
	assert.match(String(contactSid ?? ''), /\w+/, `the created record has no sid: ${str(created)}`);
	const added = assertPlainRecord(model.turns[2].conversation.toolResults[1]?.output ?? '', 'add to list');
	assert.ok(JSON.stringify(added).includes(contactSid), `the add-to-list answer should name contact ${contactSid}: ${str(added)}`);

	const saved = [...sim.state.contacts.values()].filter((c) => c.number === AGENT_LEAD.number);
	assert.equal(saved.length, 1, `the simulator should hold the lead once, holds it ${saved.length} times`);
	assert.equal(saved[0].sid, contactSid, 'the record the model got should be the one the simulator saved');
	assert.equal(saved[0].last_name, AGENT_LEAD.last_name, 'the last name from $fromAI should reach Exotel');
	assert.deepEqual(sim.listMembers(listSid), [contactSid], `list ${listSid} should hold exactly the new contact`);

	const out = nodeOutput(run, 'AI Agent');
	assert.equal(out.length, 1, `the agent should give 1 item, gave ${out.length}`);
	assert.ok(String(out[0].json.output ?? '').startsWith(AGENT_ANSWER_PREFIX), `the agent's output should be the model's answer, got ${str(out[0].json)}`);
	return `tools ${offered.join(', ')}; contact ${contactSid} created and added to ${listSid} over ${model.turns.length} model calls (${model.turns[0].path})`;
}

function checkCsvUpload(run: RunLike, sim: ExotelSimulator, rowsNode: string, uploadNode: string, rows: number): string {
	assertRunSucceeded(run, [rowsNode, uploadNode]);
	assert.equal(nodeOutput(run, rowsNode).length, rows, `${rowsNode} should produce ${rows} rows`);
	const out = nodeOutput(run, uploadNode);
	assert.equal(out.length, 1, `the upload should give 1 item (one CSV for all items), got ${out.length}: ${str(jsons(out))}`);
	const paired = out[0].pairedItem as Array<{ item: number }> | undefined;
	assert.deepEqual(
		Array.isArray(paired) ? paired.map((p) => p.item) : paired,
		Array.from({ length: rows }, (_, k) => k),
		'the upload item should pair with every input row it carries',
	);
	const json = out[0].json as Record<string, unknown>;
	// `upload` gives { list, summary }; with waitForCompletion the final status may be at the top level
	// or inside summary. Accept either, but it must be the finished one.
	const summary = (json.summary ?? {}) as Record<string, unknown>;
	const status = (json.status ?? summary.status) as string | undefined;
	const stats = (json.stats ?? summary.stats ?? summary.Stats) as Record<string, unknown> | undefined;
	assert.equal(status, 'completed', `the upload should be completed after waiting, got status ${str(status)} in ${str(json)}`);
	assert.equal(stats?.success, rows, `stats.success should be ${rows}, got ${str(stats)}`);
	const uploads = requestsTo(sim, 'POST', '/contacts/csv-upload');
	assert.equal(uploads.length, 1, `expected ONE POST /contacts/csv-upload, got ${uploads.length}`);
	const polls = requestsTo(sim, 'GET', /^\/csv-status\//).length;
	assert.ok(polls >= 1, 'the node should have polled /csv-status at least once');
	const listSid = (json.list_sid ?? summary.list_sid ?? (json.list as { sid?: string } | undefined)?.sid) as string | undefined;
	assert.ok(listSid, `no list sid in the upload output: ${str(json)}`);
	const members = sim.listMembers(listSid);
	assert.equal(members.length, rows, `the simulator list ${listSid} should hold ${rows} contacts, holds ${members.length}`);
	return `${rows} rows → list, completed after ${polls} poll(s)`;
}

/**
 * CSV upload to call results in one run: the upload's list feeds the campaign, the wait ends on a final status,
 * and the call details give one row per contact with the outcome the simulator dials for its number
 * (last digit 7 busy, 8 no-answer, 9 failed, else completed; the campaign has no retries).
 */
function checkCrmToCalls(run: RunLike, sim: ExotelSimulator): string {
	const chain = ['CRM: customers due a call', "Upload today's list", "Create today's campaign", 'Wait for the calls', "Get each call's outcome", 'Call results (sheet rows)'];
	assertRunSucceeded(run, chain);
	assert.equal(nodeOutput(run, chain[0]).length, 5, 'the CRM stand-in should give the 5 customers due a call');
	const upload = nodeOutput(run, chain[1]);
	assert.equal(upload.length, 1, `the upload should give 1 item, got ${upload.length}: ${str(jsons(upload))}`);
	const uploaded = upload[0].json as { list?: { sid?: string }; summary?: { status?: string } };
	const listSid = uploaded.list?.sid;
	assert.ok(listSid, `the upload gave no list sid: ${str(uploaded)}`);
	assert.equal(uploaded.summary?.status, 'completed', `the upload should have waited for the import: ${str(uploaded)}`);
	assert.equal(sim.listMembers(listSid).length, 5, `the uploaded list ${listSid} should hold the 5 customers`);

	const posts = requestsTo(sim, 'POST', '/campaigns');
	assert.equal(posts.length, 1, `expected ONE POST /campaigns, the simulator got ${posts.length}`);
	const body = posts[0].body as { campaigns?: Array<{ lists?: string[] }> };
	assert.deepEqual(body.campaigns?.[0]?.lists, [listSid], `the campaign should be created on the uploaded list ${listSid}: ${str(body)}`);
	const created = nodeOutput(run, chain[2]);
	assert.equal(created.length, 1, `Campaign Create should give 1 item, got ${created.length}`);
	const campaignId = created[0].json.id as string;
	assert.ok(campaignId, `Campaign Create gave no id: ${str(created[0].json)}`);

	const waited = nodeOutput(run, chain[3]);
	assert.equal(waited.length, 1, `Wait for Completion should give 1 item, got ${waited.length}`);
	assert.equal(waited[0].json.id, campaignId, 'Wait for Completion should give the created campaign');
	assert.match(String(waited[0].json.status), /^completed$/i, `the campaign should be completed after the wait: ${str(waited[0].json)}`);

	const calls = nodeOutput(run, chain[4]);
	assert.equal(calls.length, 5, `Get Call Details should give one item per contact (5), got ${calls.length}: ${str(jsons(calls))}`);
	assert.ok(requestsTo(sim, 'GET', `/campaigns/${campaignId}/call-details`).length >= 1, 'the call details should be read from the created campaign');
	const rows = nodeOutput(run, chain[5]).map((i) => i.json);
	const byId = Object.fromEntries(rows.map((r) => [r['CRM ID'], r.Outcome]));
	assert.equal(rows.length, 5, `the sheet should get 5 rows, got ${rows.length}: ${str(rows)}`);
	assert.deepEqual(
		byId,
		{ 'CRM-1001': 'completed', 'CRM-1002': 'completed', 'CRM-1007': 'busy', 'CRM-1008': 'no-answer', 'CRM-1009': 'failed' },
		`each CRM customer should get its call's outcome: ${str(rows)}`,
	);
	for (const r of rows) {
		assert.match(String(r.Phone), /^\+9198450110\d\d$/, `a row has no phone: ${str(r)}`);
		assert.equal(r.Campaign, created[0].json.name, `a row should name the campaign: ${str(r)}`);
		if (r.Outcome === 'completed') assert.ok(Number(r['Duration (s)']) > 0 && String(r.Recording) !== '', `a completed call should have a duration and a recording: ${str(r)}`);
	}
	return `list ${listSid} → campaign ${campaignId} completed → 5 rows (2 completed, busy, no-answer, failed)`;
}

/** Requests to `<method> /v1/Accounts/<sid><rel>`. */
function v1RequestsTo(sim: ExotelSimulator, method: string, rel: string): LoggedRequest[] {
	return sim.requests.filter((r) => r.method === method && new RegExp(`^/v1/Accounts/[^/]+${rel.replace(/[.]/g, '\\.')}$`).test(r.path));
}

/** A v1 request's form body as Exotel reads it. */
function formOf(request: LoggedRequest | undefined): Record<string, string> {
	return Object.fromEntries(new URLSearchParams(String(request?.body ?? '')));
}

/**
 * Speed to lead: two CRM leads are called (agent first), the wait ends when each call has ended and
 * its duration and price are in, and the CRM row carries the outcome. The simulator's outcome comes
 * from To's last digit (7 busy, else completed here).
 */
function checkClickToCall(run: RunLike, sim: ExotelSimulator): string {
	const chain = ['CRM: new leads', 'Call the lead', 'Wait for the call to end', 'Update the CRM (row)'];
	assertRunSucceeded(run, chain);
	const posts = v1RequestsTo(sim, 'POST', '/Calls/connect.json');
	assert.equal(posts.length, 2, `expected one POST Calls/connect.json per lead (2), the simulator got ${posts.length}`);
	assert.deepEqual(
		posts.map((r) => formOf(r)).map(({ From, To, CallerId, CustomField, Record }) => ({ From, To, CallerId, CustomField, Record })),
		[
			{ From: '+919845099001', To: '+919845011001', CallerId: '+918047100001', CustomField: 'LEAD-2001', Record: 'true' },
			{ From: '+919845099001', To: '+919845011007', CallerId: '+918047100001', CustomField: 'LEAD-2007', Record: 'true' },
		],
		'numbers should be normalised with country code 91, the picked ExoPhone and the CRM ID sent',
	);
	const placed = nodeOutput(run, chain[1]);
	assert.equal(placed.length, 2, `Connect should give 2 items, got ${placed.length}: ${str(jsons(placed))}`);
	const waited = nodeOutput(run, chain[2]);
	assert.deepEqual(pairedIndexes(waited), [0, 1], 'Wait for Completion should pair with the two calls in order');
	const polls = v1RequestsTo(sim, 'GET', '/Calls.json');
	assert.ok(polls.length >= 1, 'the wait should check the calls with GET Calls.json');
	assert.equal(String(polls[0].query.Sid ?? '').split(',').length, 2, `the first check should ask for both calls at once: ${str(polls[0].query)}`);
	const rows = nodeOutput(run, chain[3]).map((i) => i.json);
	assert.equal(rows.length, 2, `the CRM should get 2 rows, got ${rows.length}: ${str(rows)}`);
	const [kavya, rohan] = rows;
	assert.equal(kavya['CRM ID'], 'LEAD-2001', `rows should keep the CRM ID: ${str(rows)}`);
	assert.equal(kavya.Outcome, 'completed', `the first lead's call should be completed: ${str(kavya)}`);
	assert.ok(Number(kavya['Duration (s)']) > 0 && String(kavya.Price) !== '' && String(kavya.Recording) !== '', `a completed call should have duration, price and recording: ${str(kavya)}`);
	assert.equal(rohan['CRM ID'], 'LEAD-2007', `rows should keep the CRM ID: ${str(rows)}`);
	assert.equal(rohan.Outcome, 'busy', `the second lead (number ending 7) should be busy: ${str(rohan)}`);
	return `2 calls placed, waited for in ${polls.length} check(s), rows: ${rows.map((r) => `${String(r['CRM ID'])} ${String(r.Outcome)}`).join(', ')}`;
}

const CALL_AGENT_ANSWER = 'Calling Priya now: call';

/** The fake model calls the connect tool once with the numbers from the prompt, then answers with the call's SID. */
function callAgentScript(c: Conversation): ScriptStep {
	if (c.toolResults.length === 0) {
		return {
			call: {
				name: findTool(c, /call/i, ['agent_number', 'customer_number', 'note']),
				arguments: { agent_number: '+919845099001', customer_number: '+919812345678', note: 'LEAD-3003' },
			},
		};
	}
	const call = toolRecord(c.toolResults[0].output);
	return { answer: `${CALL_AGENT_ANSWER} ${String(call?.Sid)}.` };
}

function checkCallAgent(run: RunLike, sim: ExotelSimulator, model: FakeOpenAi): string {
	assert.deepEqual(model.problems, [], `the fake model got requests it could not serve: ${model.problems.join('; ')}`);
	assertRunSucceeded(run, ['AI Agent']);
	assert.equal(model.turns.length, 2, `the model should be asked twice (call, answer), was asked ${model.turns.length}`);
	const placed = toolRecord(model.turns[1].conversation.toolResults[0]?.output ?? '');
	assert.ok(placed && typeof placed.Sid === 'string', `the tool should return the call record with its Sid: ${model.turns[1].conversation.toolResults[0]?.output}`);
	const posts = v1RequestsTo(sim, 'POST', '/Calls/connect.json');
	assert.equal(posts.length, 1, `expected ONE POST Calls/connect.json, got ${posts.length}`);
	assert.deepEqual(
		formOf(posts[0]),
		{ From: '+919845099001', To: '+919812345678', CallerId: '08047100001', CustomField: 'LEAD-3003' },
		'the $fromAI values (and the plain-string caller ID) should reach Exotel',
	);
	const out = nodeOutput(run, 'AI Agent');
	assert.ok(String(out[0]?.json.output ?? '').startsWith(`${CALL_AGENT_ANSWER} ${String(placed.Sid)}`), `the agent's output should be the model's answer: ${str(out[0]?.json)}`);
	return `call ${String(placed.Sid)} placed by the agent over ${model.turns.length} model calls`;
}

/** The two numbers the DND agent is asked about; the simulator says DND for a number ending in 3. */
const DND_NUMBERS = ['+919876543213', '+919876543210'];
const DND_ANSWER_PREFIX = 'On DND:';

/**
 * The DND agent's fake model: look each number up with the number tool, one call a turn, then answer
 * with the numbers the tool said are on DND.
 */
function numberAgentScript(c: Conversation): ScriptStep {
	const asked = c.toolResults.length;
	if (asked < DND_NUMBERS.length) {
		return { call: { name: findTool(c, /number/i, ['phone']), arguments: { phone: DND_NUMBERS[asked] } } };
	}
	const onDnd = c.toolResults.map((result, index) => (toolRecord(result.output)?.dnd === true ? DND_NUMBERS[index] : undefined));
	return { answer: `${DND_ANSWER_PREFIX} ${onDnd.filter(Boolean).join(', ') || 'none'}` };
}

function checkNumberAgent(run: RunLike, sim: ExotelSimulator, model: FakeOpenAi): string {
	assert.deepEqual(model.problems, [], `the fake model got requests it could not serve: ${model.problems.join('; ')}`);
	assertRunSucceeded(run, ['AI Agent']);
	assert.equal(model.turns.length, 3, `the model should be asked 3 times (2 look-ups, answer), was asked ${model.turns.length}`);
	const results = model.turns[2].conversation.toolResults.map((result, index) => assertPlainRecord(result.output, `look-up ${index + 1}`));
	assert.deepEqual(
		results.map((record) => [record.PhoneNumber, record.DND, record.dnd]),
		[
			['09876543213', 'Yes', true],
			['09876543210', 'No', false],
		],
		`the tool should give Exotel's metadata with dnd read: ${str(results)}`,
	);
	const lookups = sim.requests.filter((r) => r.method === 'GET' && /\/v1\/Accounts\/[^/]+\/Numbers\//.test(r.path)).map((r) => r.path.split('/').pop());
	assert.deepEqual(lookups, ['09876543213.json', '09876543210.json'], `each number should be looked up once, as Exotel writes it: ${str(lookups)}`);
	const out = nodeOutput(run, 'AI Agent');
	assert.equal(String(out[0]?.json.output ?? ''), `${DND_ANSWER_PREFIX} +919876543213`, `the agent's answer should name the DND number: ${str(out[0]?.json)}`);
	return `2 look-ups through the tool (${model.turns[0].conversation.tools.map((t) => t.name).join(', ')}); +919876543213 on DND, +919876543210 not`;
}
