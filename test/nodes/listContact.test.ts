import type { IDataObject } from 'n8n-workflow';

import { runExotel } from '../helpers/harness';
import type { OnError } from '../helpers/harness';
import type { ExotelSimulator } from '../simulator/server';
import { rl, useSimulator } from '../helpers/simulatorSuite';

describe('listContact', () => {
	let sim: ExotelSimulator;
	let root: string;
	useSimulator((started, accountRoot) => {
		sim = started;
		root = accountRoot;
	});

	const run = (parameters: IDataObject, items?: IDataObject[], onError?: OnError) =>
		runExotel({
			credentials: { ...sim.credentials },
			parameters: { resource: 'listContact', ...parameters } as never,
			items,
			onError,
		});

	describe('add', () => {
		it('groups items by list: two lists, interleaved items → 2 POSTs; output in input order', async () => {
			const a = sim.seedList('A');
			const b = sim.seedList('B');
			const contacts = sim.seedContacts(5);
			const items = [
				{ list: a.sid, sid: contacts[0].sid },
				{ list: b.sid, sid: contacts[1].sid },
				{ list: a.sid, sid: contacts[2].sid },
				{ list: b.uri, sid: contacts[3].sid }, // a list's uri works too
				{ list: a.sid, sid: contacts[4].sid },
			];
			const result = await run(
				{ operation: 'add', listId: rl('={{ $json.list }}'), contactId: '={{ $json.sid }}' },
				items,
			);
			expect(result.error).toBeUndefined();

			expect(sim.requests).toHaveLength(2);
			const byPath = Object.fromEntries(sim.requests.map((r) => [r.path, r]));
			expect(sim.requests.every((r) => r.method === 'POST' && r.status === 207)).toBe(true);
			expect(byPath[`${root}/lists/${a.sid}/contacts`].body).toEqual({
				contact_references: [
					{ contact_sid: contacts[0].sid },
					{ contact_sid: contacts[2].sid },
					{ contact_sid: contacts[4].sid },
				],
			});
			expect(byPath[`${root}/lists/${b.sid}/contacts`].body).toEqual({
				contact_references: [{ contact_sid: contacts[1].sid }, { contact_sid: contacts[3].sid }],
			});

			expect(result.output).toHaveLength(5);
			expect(result.output.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
			expect(result.output.map((i) => [i.json.sid, i.json.list_id])).toEqual([
				[contacts[0].sid, a.sid],
				[contacts[1].sid, b.sid],
				[contacts[2].sid, a.sid],
				[contacts[3].sid, b.sid],
				[contacts[4].sid, a.sid],
			]);
			expect(sim.listMembers(a.sid)).toEqual([contacts[0].sid, contacts[2].sid, contacts[4].sid]);
			expect(sim.listMembers(b.sid)).toEqual([contacts[1].sid, contacts[3].sid]);
		});

		it('one list for all items: one request', async () => {
			const a = sim.seedList('Only');
			const contacts = sim.seedContacts(30);
			const result = await run(
				{ operation: 'add', listId: rl(a.sid, 'list'), contactId: '={{ $json.sid }}' },
				contacts.map((c) => ({ sid: c.sid })),
			);
			expect(result.output).toHaveLength(30);
			expect(sim.requests).toHaveLength(1);
			expect(sim.state.lists.get(a.sid)?.contact_count).toBe(30);
		});

		it('records Exotel rejects (unknown contact; already in the list with If It Already Exists: Error) go to the error output with Exotel’s code', async () => {
			const a = sim.seedList('A');
			const [member, fresh] = sim.seedContacts(2);
			const addFirst = await run({ operation: 'add', listId: rl(a.sid), contactId: member.sid });
			expect(addFirst.error).toBeUndefined();
			sim.requests.length = 0;

			const result = await run(
				{ operation: 'add', listId: rl(a.sid), contactId: '={{ $json.sid }}', options: { onExisting: 'error' } },
				[{ sid: fresh.sid }, { sid: 'nosuchcontact' }, { sid: member.sid }],
				'continueErrorOutput',
			);
			expect(result.error).toBeUndefined();
			expect(sim.requests).toHaveLength(1);
			expect(result.output.map((i) => [i.json.sid, i.json.existing, i.pairedItem])).toEqual([[fresh.sid, false, { item: 0 }]]);
			expect(result.errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
			expect(result.errorOutput[0].json.error).toBe(
				'Item 2: Exotel rejected its Contact ID: Not found (1000): Contact nosuchcontact not found',
			);
			expect(result.errorOutput[0].json.details).toMatchObject({ code: 1000, httpCode: 404, field: 'Contact ID', input: { sid: 'nosuchcontact' } });
			expect(String(result.errorOutput[1].json.error)).toMatch(/^Item 3: Exotel rejected its Contact ID: Duplicate resource \(1008\)/);
			expect(result.errorOutput[1].json.details).toMatchObject({ code: 1008, httpCode: 409, field: 'Contact ID', input: { sid: member.sid } });
		});

		it('a contact already in the list succeeds by default (Use Existing), marked existing: true, in input order', async () => {
			const a = sim.seedList('A');
			const [member, fresh] = sim.seedContacts(2);
			await run({ operation: 'add', listId: rl(a.sid), contactId: member.sid });
			sim.requests.length = 0;

			const result = await run({ operation: 'add', listId: rl(a.sid), contactId: '={{ $json.sid }}' }, [
				{ sid: member.sid },
				{ sid: fresh.sid },
			]);
			expect(result.error).toBeUndefined();
			expect(sim.requests.map((r) => [r.method, r.status])).toEqual([['POST', 207]]);
			expect(result.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(result.output[0].json).toMatchObject({ sid: member.sid, list_id: a.sid, existing: true });
			expect(result.output[1].json).toMatchObject({ sid: fresh.sid, list_id: a.sid, existing: false });
			expect(sim.listMembers(a.sid)).toEqual([member.sid, fresh.sid]);
		});

		it('stop on error: names the first rejected item and how many were saved', async () => {
			const a = sim.seedList('A');
			const contacts = sim.seedContacts(2);
			const result = await run(
				{ operation: 'add', listId: rl(a.sid), contactId: '={{ $json.sid }}' },
				[{ sid: contacts[0].sid }, { sid: 'ghost' }, { sid: contacts[1].sid }],
			);
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe(
				'Exotel rejected 1 of 3 contacts; the first is item 2: Not found (1000): Contact ghost not found',
			);
			expect(result.error?.description).toMatch(/^2 contacts were saved/);
			expect(sim.listMembers(a.sid)).toEqual([contacts[0].sid, contacts[1].sid]);
		});

		it('continueErrorOutput: a list that does not exist fails only its own items', async () => {
			const a = sim.seedList('A');
			const contacts = sim.seedContacts(3);
			const result = await run(
				{ operation: 'add', listId: rl('={{ $json.list }}'), contactId: '={{ $json.sid }}' },
				[
					{ list: 'missinglist', sid: contacts[0].sid },
					{ list: a.sid, sid: contacts[1].sid },
					{ list: 'missinglist', sid: contacts[2].sid },
				],
				'continueErrorOutput',
			);
			expect(result.error).toBeUndefined();
			expect(sim.requests.map((r) => r.status).sort()).toEqual([207, 404]);
			expect(result.output.map((i) => [i.json.sid, i.pairedItem])).toEqual([[contacts[1].sid, { item: 1 }]]);
			expect(result.errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
			for (const item of result.errorOutput) {
				// Items 1 and 3 went to the missing list in one request: its error names both.
				expect(item.json.error).toBe('Items 1 and 3: Exotel: Not found (1000): List missinglist not found');
			}
		});

		it('a list that does not exist fails the whole request with Exotel’s message', async () => {
			const [contact] = sim.seedContacts(1);
			const result = await run({ operation: 'add', listId: rl('missinglist'), contactId: contact.sid });
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe('Item 1: Exotel: Not found (1000): List missinglist not found');
		});
	});

	it('remove takes the contact out of the list; it stays in the address book', async () => {
		const a = sim.seedList('A');
		const [stay, leave] = sim.seedContacts(2, { listSid: a.sid });
		const result = await run({ operation: 'remove', listId: rl(a.sid), contactId: leave.sid });
		expect(result.error).toBeUndefined();
		expect(sim.requests.map((r) => [r.method, r.path])).toEqual([
			['DELETE', `${root}/lists/${a.sid}/contacts/${leave.sid}`],
		]);
		expect(result.output).toHaveLength(1);
		expect(result.output[0].json).toEqual({ deleted: true, sid: leave.sid, list_id: a.sid });
		expect(sim.listMembers(a.sid)).toEqual([stay.sid]);
		expect(sim.state.contacts.has(leave.sid)).toBe(true);
		expect(sim.state.lists.get(a.sid)?.contact_count).toBe(1);
	});

	it('remove of a contact not in the list gives Exotel’s message', async () => {
		const a = sim.seedList('A');
		const [outsider] = sim.seedContacts(1);
		const result = await run({ operation: 'remove', listId: rl(a.sid), contactId: outsider.sid });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Item 1: Exotel: Not found (1000): Contact ${outsider.sid} is not in list ${a.sid}`);
	});

	describe('getMany', () => {
		it('Return All pages through the list’s contacts (20 a page)', async () => {
			const a = sim.seedList('A');
			sim.seedContacts(10); // not in the list
			const members = sim.seedContacts(43, { listSid: a.sid });
			const result = await run({ operation: 'getMany', listId: rl(a.sid), returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.output.map((i) => i.json.sid)).toEqual(members.map((c) => c.sid));
			expect(result.output[0].json).toMatchObject({ number: members[0].number });
			expect(sim.requests.map((r) => [r.path, r.query])).toEqual([
				[`${root}/lists/${a.sid}/contacts`, { offset: '0', limit: '20' }],
				[`${root}/lists/${a.sid}/contacts`, { offset: '20', limit: '20' }],
				[`${root}/lists/${a.sid}/contacts`, { offset: '40', limit: '20' }],
			]);
		});

		it('Limit 25 gives exactly 25 in two requests; Limit 4 one request', async () => {
			const a = sim.seedList('A');
			sim.seedContacts(43, { listSid: a.sid });
			const many = await run({ operation: 'getMany', listId: rl(a.uri), returnAll: false, limit: 25 });
			expect(many.output).toHaveLength(25);
			expect(sim.requests.map((r) => r.query.limit)).toEqual(['20', '5']);
			sim.requests.length = 0;
			const few = await run({ operation: 'getMany', listId: rl(a.sid), returnAll: false, limit: 4 });
			expect(few.output).toHaveLength(4);
			expect(sim.requests.map((r) => r.query)).toEqual([{ offset: '0', limit: '4' }]);
		});

		it('one input item per list: each list’s contacts paired to its item', async () => {
			const a = sim.seedList('A');
			const b = sim.seedList('B');
			const inA = sim.seedContacts(2, { listSid: a.sid });
			const inB = sim.seedContacts(3, { listSid: b.sid });
			const result = await run({ operation: 'getMany', listId: rl('={{ $json.list }}'), returnAll: true }, [
				{ list: a.sid },
				{ list: b.sid },
			]);
			expect(result.output.map((i) => [i.json.sid, (i.pairedItem as { item: number }).item])).toEqual([
				...inA.map((c) => [c.sid, 0]),
				...inB.map((c) => [c.sid, 1]),
			]);
		});
	});
});
