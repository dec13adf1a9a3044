/**
 * What each workflow in this folder must do, checked on both sides: n8n's output (from
 * `n8n execute --rawOutput`) and the Exotel simulator's state and request log.
 */
import assert from 'node:assert/strict';

import type { ExotelSimulator, LoggedRequest } from '../simulator/server';
import { assertRunSucceeded, jsons, nodeOutput, pairedIndexes, type RunLike } from './support';

export interface CaseContext {
	run: RunLike;
	sim: ExotelSimulator;
}

export interface E2eCase {
	/** File in test/e2e/. */
	file: string;
	/** The workflow's id inside that file (what `n8n execute --id` gets). */
	id: string;
	title: string;
	/** Prepare the simulator (it is reset before every case). */
	before?(sim: ExotelSimulator): void;
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
];

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
