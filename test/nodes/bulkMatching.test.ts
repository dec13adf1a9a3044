import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { runExotel } from '../helpers/harness';
import type { OnError } from '../helpers/harness';
import { rl, useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';
import { itemRange, matchAnswers } from '../../nodes/Exotel/helpers/bulk';
import type { ExotelResult } from '../../nodes/Exotel/transport/types';

/**
 * Exotel's documents say a bulk answer (207) holds one entry per record, in request order. That is an
 * assumption about Exotel: the node checks it, tying each entry to its item by what Exotel echoes
 * (number, name, SID, contact SID), and the simulator's bulkAnswer fault breaks it on purpose
 * (entries reversed, shuffled or left out).
 */
describe('bulk answers are matched, not assumed', () => {
	let sim: ExotelSimulator;
	useSimulator((started) => {
		sim = started;
	});

	const run = (parameters: IDataObject, items: IDataObject[], onError: OnError = 'continueErrorOutput') =>
		runExotel({ credentials: { ...sim.credentials }, parameters: parameters as never, items, onError });

	const numbers = (count: number) => Array.from({ length: count }, (_, k) => `+9198${String(k + 1).padStart(8, '0')}`);
	const createContacts = { resource: 'contact', operation: 'create', number: '={{ $json.phone }}' };
	const maybeSaved = (itemNumber: number) => `Item ${itemNumber}: Exotel's answer did not report on it: it may have been saved`;

	describe('answers out of order reach their own items', () => {
		it('Contact → Create, answers reversed: each item gets the contact with its own number', async () => {
			const phones = numbers(4);
			sim.injectFault({ kind: 'bulkAnswer', order: 'reverse', match: { method: 'POST', path: '/contacts' } });
			const result = await run(createContacts, phones.map((phone) => ({ phone })));
			expect(result.errorOutput).toEqual([]);
			expect(result.output.map((item) => [item.json.number, item.pairedItem])).toEqual(phones.map((phone, k) => [phone, { item: k }]));
		});

		it('Contact → Create, reversed, with a number that exists: each where it belongs', async () => {
			const [existing] = sim.seedContacts(1);
			const phones = numbers(2);
			sim.injectFault({ kind: 'bulkAnswer', order: 'reverse', match: { method: 'POST', path: '/contacts' } });
			const result = await run(createContacts, [{ phone: phones[0] }, { phone: existing.number }, { phone: phones[1] }]);
			expect(result.errorOutput).toEqual([]);
			expect(result.output.map((item) => [item.json.number, item.json.existing])).toEqual([
				[phones[0], false],
				[existing.number, true],
				[phones[1], false],
			]);
			expect(result.output[1].json.sid).toBe(existing.sid);
		});

		it('List → Create, reversed, one name that exists (its 409 echoes nothing): the one answer left is its own', async () => {
			const taken = sim.seedList('Taken');
			sim.injectFault({ kind: 'bulkAnswer', order: 'reverse', match: { method: 'POST', path: '/lists' } });
			const result = await run({ resource: 'list', operation: 'create', name: '={{ $json.name }}' }, [
				{ name: 'New 1' },
				{ name: 'Taken' },
				{ name: 'New 2' },
			]);
			expect(result.errorOutput).toEqual([]);
			expect(result.output.map((item) => [item.json.name, item.json.existing])).toEqual([
				['New 1', false],
				['Taken', true],
				['New 2', false],
			]);
			expect(result.output[1].json.sid).toBe(taken.sid);
		});

		it('List → Create and List → Update, reversed: tied by name and by SID', async () => {
			sim.injectFault({ kind: 'bulkAnswer', order: 'reverse', match: { method: 'POST', path: '/lists' } });
			const created = await run({ resource: 'list', operation: 'create', name: '={{ $json.name }}' }, [
				{ name: 'North' },
				{ name: 'South' },
				{ name: 'East' },
			]);
			expect(created.output.map((item) => item.json.name)).toEqual(['North', 'South', 'East']);

			const sids = created.output.map((item) => String(item.json.sid));
			sim.injectFault({ kind: 'bulkAnswer', order: [1, 2, 0], match: { method: 'PUT', path: '/lists' } });
			const updated = await run(
				{ resource: 'list', operation: 'update', listId: '={{ $json.sid }}', updateFields: { tag: '={{ $json.tag }}' } },
				sids.map((sid, k) => ({ sid, tag: `t${k}` })),
			);
			expect(updated.errorOutput).toEqual([]);
			expect(updated.output.map((item) => [item.json.sid, item.json.tag])).toEqual(sids.map((sid, k) => [sid, `t${k}`]));
		});

		it('Contact → Update, shuffled: tied by SID', async () => {
			const contacts = sim.seedContacts(3);
			sim.injectFault({ kind: 'bulkAnswer', order: [2, 0, 1], match: { method: 'PUT', path: '/contacts' } });
			const result = await run(
				{ resource: 'contact', operation: 'update', contactId: '={{ $json.sid }}', updateFields: { firstName: '={{ $json.name }}' } },
				contacts.map((contact, k) => ({ sid: contact.sid, name: `Name ${k}` })),
			);
			expect(result.output.map((item) => [item.json.sid, item.json.first_name])).toEqual(
				contacts.map((contact, k) => [contact.sid, `Name ${k}`]),
			);
		});

		it('List Contact → Add, reversed, one already a member: tied by contact SID', async () => {
			const list = sim.seedList('Members');
			const [member] = sim.seedContacts(1, { listSid: list.sid });
			const others = sim.seedContacts(2);
			sim.injectFault({ kind: 'bulkAnswer', order: 'reverse', match: { method: 'POST' } });
			const sids = [others[0].sid, member.sid, others[1].sid];
			const result = await run(
				{ resource: 'listContact', operation: 'add', listId: rl(list.sid), contactId: '={{ $json.sid }}' },
				sids.map((sid) => ({ sid })),
			);
			expect(result.errorOutput).toEqual([]);
			expect(result.output.map((item) => [item.json.sid, item.json.existing])).toEqual([
				[sids[0], false],
				[sids[1], true],
				[sids[2], false],
			]);
		});
	});

	describe('an item Exotel did not report on is an error saying it may have been saved', () => {
		it('entries left out: those items on the error output, the others saved, in input order', async () => {
			const phones = numbers(5);
			sim.injectFault({ kind: 'bulkAnswer', omit: [1, 3], match: { method: 'POST', path: '/contacts' } });
			const result = await run(createContacts, phones.map((phone) => ({ phone })));
			expect(result.output.map((item) => [item.json.number, item.pairedItem])).toEqual([
				[phones[0], { item: 0 }],
				[phones[2], { item: 2 }],
				[phones[4], { item: 4 }],
			]);
			expect(result.errorOutput.map((item) => [item.json.error, item.pairedItem])).toEqual([
				[maybeSaved(2), { item: 1 }],
				[maybeSaved(4), { item: 3 }],
			]);
			const details = result.errorOutput[0].json.details as IDataObject;
			expect(details.description).toBe(
				'Items 1–5 went to Exotel in one request; its answer could be tied to 3 of the 5 contacts (by their phone number), not to this one. Check in Exotel whether it was saved before sending it again.',
			);
			// They were saved: the simulator carried out the whole request before leaving entries out.
			expect(sim.state.contacts.size).toBe(5);
		});

		it('stopping on errors: the run fails naming the first such item and how many may have been saved', async () => {
			sim.injectFault({ kind: 'bulkAnswer', omit: [2], match: { method: 'POST', path: '/contacts' } });
			const result = await run(createContacts, numbers(3).map((phone) => ({ phone })), 'stopWorkflow');
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe(
				"Exotel did not report on 1 of 3 contacts; the first is item 3: Exotel's answer did not report on it: it may have been saved",
			);
			expect(result.error?.description).toMatch(/^2 contacts were saved\. The 1 not reported on may have been saved\./);
		});

		it('answers that echo nothing, out of order: never guessed, each such item an error', async () => {
			sim.seedList('Taken 1');
			sim.seedList('Taken 2');
			// Two names that exist: their 409s carry no data, so once reordered they cannot be told apart.
			sim.injectFault({ kind: 'bulkAnswer', order: 'reverse', match: { method: 'POST', path: '/lists' } });
			const result = await run({ resource: 'list', operation: 'create', name: '={{ $json.name }}' }, [
				{ name: 'New 1' },
				{ name: 'Taken 1' },
				{ name: 'New 2' },
				{ name: 'Taken 2' },
			]);
			expect(result.output.map((item) => item.json.name)).toEqual(['New 1', 'New 2']);
			expect(result.errorOutput.map((item) => [item.json.error, item.pairedItem])).toEqual([
				[maybeSaved(2), { item: 1 }],
				[maybeSaved(4), { item: 3 }],
			]);
		});

		it('an empty answer: every item an error, and the run does not crash', async () => {
			sim.injectFault({ kind: 'bulkAnswer', order: [], match: { method: 'POST', path: '/lists' } });
			const result = await run({ resource: 'list', operation: 'create', name: '={{ $json.name }}' }, [{ name: 'A' }, { name: 'B' }]);
			expect(result.status).toBe('success');
			expect(result.output).toEqual([]);
			expect(result.errorOutput.map((item) => item.json.error)).toEqual([maybeSaved(1), maybeSaved(2)]);
		});
	});

	describe('a request that fails as a whole fails each of its items, naming them all', () => {
		it('401 on a batch: every item its own error item, the message naming the items it covered', async () => {
			const result = await runExotel({
				credentials: { ...sim.credentials, apiToken: 'wrong-token' },
				parameters: createContacts as never,
				items: numbers(3).map((phone) => ({ phone })),
				onError: 'continueErrorOutput',
			});
			expect(result.output).toEqual([]);
			expect(result.errorOutput.map((item) => [item.json.error, item.pairedItem])).toEqual(
				[0, 1, 2].map((item) => ['Items 1–3: Exotel: Authentication failed (1010): Invalid API key or token', { item }]),
			);
		});

		it('stopping on errors: the run fails with the range', async () => {
			sim.injectFault({ kind: 'drop', match: { method: 'POST' } });
			const result = await run(createContacts, numbers(4).map((phone) => ({ phone })), 'stopWorkflow');
			expect(result.error?.message).toMatch(/^Items 1–4: Could not reach Exotel/);
		});
	});
});

describe('matchAnswers and itemRange', () => {
	const answer = (key: string | undefined): ExotelResult =>
		(key === undefined
			? { code: 400, status: 'failure', data: null, error_data: { code: 1002, message: 'Invalid parameter' } }
			: { code: 200, status: 'success', data: { key }, error_data: null }) as unknown as ExotelResult;
	const echo = {
		record: (record: IDataObject) => (record.key === undefined ? undefined : String(record.key)),
		answer: (result: ExotelResult) => {
			const key = (result.data as IDataObject | null)?.key;
			return key === undefined ? undefined : String(key);
		},
	};

	it('never ties an answer to a record with another key, never ties one answer twice, keeps request order when nothing contradicts it', () => {
		fc.assert(
			fc.property(
				// Records with small keys (duplicates likely) or none; each answered or not, in any order.
				fc.array(fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { nil: undefined }), { maxLength: 12 }).chain((keys) =>
					fc.tuple(
						fc.constant(keys),
						fc.shuffledSubarray(
							keys.map((_, position) => position),
							{ minLength: 0, maxLength: keys.length },
						),
						fc.boolean(),
					),
				),
				([keys, answeredPositions, keepOrder]) => {
					const records = keys.map((key) => (key === undefined ? {} : { key }));
					const order = keepOrder ? [...answeredPositions].sort((a, b) => a - b) : answeredPositions;
					const results = order.map((position) => answer(keys[position]));
					const matched = matchAnswers(records, results, echo);
					expect(matched).toHaveLength(records.length);
					// An answer with a key is only ever tied to a record with that key.
					matched.forEach((result, position) => {
						const key = result ? echo.answer(result) : undefined;
						if (key !== undefined) expect(key).toBe(keys[position]);
					});
					// No answer object is used twice.
					const used = matched.filter((result) => result !== undefined);
					expect(new Set(used).size).toBe(used.length);
					// Every record answered, in request order: answers are taken as they come.
					if (order.length === records.length && order.every((position, k) => position === k)) {
						expect(matched).toEqual(results);
					}
					// Every keyed answer finds a record when all records are answered.
					if (order.length === records.length) {
						const tiedKeyed = used.filter((result) => echo.answer(result) !== undefined).length;
						expect(tiedKeyed).toBe(results.filter((result) => echo.answer(result) !== undefined).length);
					}
				},
			),
		);
	});

	it('an answer whose echo matches no record (Exotel may reformat it) does not count against request order', () => {
		const records = [{ key: '09800000001' }, { key: '09800000002' }];
		const results = [answer('+919800000001'), answer('+919800000002')];
		expect(matchAnswers(records, results, echo)).toEqual(results);
	});

	it('itemRange names the items n8n numbers', () => {
		expect(itemRange([2])).toBe('Item 3');
		expect(itemRange([0, 1, 2, 3])).toBe('Items 1–4');
		expect(itemRange([0, 3, 8])).toBe('Items 1, 4 and 9');
		expect(itemRange(Array.from({ length: 40 }, (_, k) => 1 + k * 2))).toBe('Items 2–80 (40 of them)');
	});
});
