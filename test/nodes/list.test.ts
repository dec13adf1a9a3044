import type { IDataObject } from 'n8n-workflow';

import { runExotel } from '../helpers/harness';
import type { OnError } from '../helpers/harness';
import type { ExotelSimulator } from '../simulator/server';
import { rl, useSimulator } from '../helpers/simulatorSuite';

describe('list', () => {
	let sim: ExotelSimulator;
	let root: string;
	useSimulator((started, accountRoot) => {
		sim = started;
		root = accountRoot;
	});

	const run = (parameters: IDataObject, items?: IDataObject[], onError?: OnError) =>
		runExotel({ credentials: { ...sim.credentials }, parameters: { resource: 'list', ...parameters } as never, items, onError });

	describe('create', () => {
		it('creates one list per item in one request, with tag', async () => {
			const result = await run(
				{ operation: 'create', name: '={{ $json.name }}', additionalFields: { tag: '={{ $json.tag }}' } },
				[
					{ name: 'November renewals', tag: 'renewals' },
					{ name: ' Untagged ', tag: '' },
				],
			);
			expect(result.error).toBeUndefined();
			expect(sim.requests).toHaveLength(1);
			expect(sim.requests[0].method).toBe('POST');
			expect(sim.requests[0].path).toBe(`${root}/lists`);
			expect(sim.requests[0].body).toEqual({
				lists: [{ name: 'November renewals', tag: 'renewals' }, { name: 'Untagged' }],
			});
			expect(result.output).toHaveLength(2);
			expect(result.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(result.output[0].json).toMatchObject({ name: 'November renewals', tag: 'renewals', contact_count: 0 });
			expect(result.output[1].json).toMatchObject({ name: 'Untagged', tag: null });
			expect(result.output[0].json).not.toHaveProperty('response');
			expect(sim.state.lists.get(String(result.output[0].json.sid))?.tag).toBe('renewals');
		});

		it('an empty name is an error naming the item, nothing is sent', async () => {
			const result = await run({ operation: 'create', name: '={{ $json.name }}' }, [{ name: 'ok' }, { name: '  ' }]);
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/^Item 2: Name is empty/);
			expect(sim.requests).toHaveLength(0);
		});

		describe('Exotel rejects some records (207)', () => {
			const items = [{ name: 'Fresh 1' }, { name: 'Taken' }, { name: 'Fresh 2' }, { name: 'Fresh 1' }];
			beforeEach(() => sim.seedList('Taken'));

			it('continueErrorOutput: each rejected record on the error output with Exotel’s code and message', async () => {
				const result = await run({ operation: 'create', name: '={{ $json.name }}' }, items, 'continueErrorOutput');
				expect(result.error).toBeUndefined();
				expect(sim.requests).toHaveLength(1);
				expect(sim.requests[0].status).toBe(207);

				expect(result.output.map((i) => i.json.name)).toEqual(['Fresh 1', 'Fresh 2']);
				expect(result.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);

				expect(result.errorOutput).toHaveLength(2);
				expect(result.errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
				const [taken, duplicate] = result.errorOutput;
				expect(taken.json.error).toBe(
					"Item 2: Exotel rejected it: Duplicate resource (1008): A list named 'Taken' already exists",
				);
				// n8n's engine reduces an error item's json to { error: message }; the hint stays on the error.
				expect(Object.keys(taken.json)).toEqual(['error']);
				expect(taken.error?.description).toMatch(/same unique value already exists/);
				expect(String(duplicate.json.error)).toMatch(/^Item 4: .*\(1008\).*'Fresh 1'/);
				expect(taken.error?.message).toBe(taken.json.error);
				expect((taken.error as unknown as { httpCode?: string }).httpCode).toBe('409');

				expect([...sim.state.lists.values()].map((l) => l.name).sort()).toEqual(['Fresh 1', 'Fresh 2', 'Taken']);
			});

			it('stop on error: the node fails naming the first failed item, Exotel’s message and how many succeeded', async () => {
				const result = await run({ operation: 'create', name: '={{ $json.name }}' }, items);
				expect(result.status).toBe('error');
				expect(result.error?.message).toBe(
					"Exotel rejected 2 of 4 lists; the first is item 2: Duplicate resource (1008): A list named 'Taken' already exists",
				);
				expect(result.error?.description).toMatch(/^2 lists were saved\./);
				expect(result.output).toHaveLength(0);
				expect(sim.requests).toHaveLength(1);
			});

			it('continueRegularOutput: error items stay in the main output, in input order, with json.error', async () => {
				const result = await run({ operation: 'create', name: '={{ $json.name }}' }, items, 'continueRegularOutput');
				expect(result.error).toBeUndefined();
				expect(result.errorOutput).toHaveLength(0);
				expect(result.output).toHaveLength(4);
				expect(result.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
				expect(result.output[0].json.name).toBe('Fresh 1');
				expect(String(result.output[1].json.error)).toMatch(/^Item 2: Exotel rejected it: Duplicate resource \(1008\)/);
				expect(result.output[2].json.name).toBe('Fresh 2');
				expect(String(result.output[3].json.error)).toMatch(/^Item 4: Exotel rejected it/);
			});
		});
	});

	describe('get', () => {
		it('by SID', async () => {
			const list = sim.seedList('By id', 'x');
			const result = await run({ operation: 'get', listId: rl(list.sid) });
			expect(result.error).toBeUndefined();
			expect(result.output).toHaveLength(1);
			expect(result.output[0].json).toEqual(list);
			expect(sim.requests.map((r) => [r.method, r.path])).toEqual([['GET', `${root}/lists/${list.sid}`]]);
		});

		it('by the list’s uri (as Exotel returns it, relative or absolute)', async () => {
			const list = sim.seedList('By uri');
			const relative = await run({ operation: 'get', listId: rl(list.uri) });
			expect(relative.error).toBeUndefined();
			expect(relative.output[0].json.sid).toBe(list.sid);
			const absolute = await run({ operation: 'get', listId: rl(`https://api.exotel.com${list.uri}/`) });
			expect(absolute.output[0].json.sid).toBe(list.sid);
			expect(sim.requests.map((r) => r.path)).toEqual([`${root}/lists/${list.sid}`, `${root}/lists/${list.sid}`]);
		});

		it('from the list picker (mode list) and as a plain string from an expression', async () => {
			const list = sim.seedList('Picked');
			const picked = await run({ operation: 'get', listId: rl(list.sid, 'list') });
			expect(picked.output[0].json.name).toBe('Picked');
			const fromItem = await run({ operation: 'get', listId: rl('={{ $json.list }}') }, [{ list: list.sid }]);
			expect(fromItem.error).toBeUndefined();
			expect(fromItem.output[0].json.name).toBe('Picked');
		});
	});

	describe('update', () => {
		it('renames and re-tags (PUT body has only what changed)', async () => {
			const list = sim.seedList('Old name', 'old');
			const result = await run({ operation: 'update', listId: rl(list.sid), updateFields: { name: 'New name', tag: 'new' } });
			expect(result.error).toBeUndefined();
			expect(sim.requests).toHaveLength(1);
			expect(sim.requests[0].method).toBe('PUT');
			expect(sim.requests[0].path).toBe(`${root}/lists/${list.sid}`);
			expect(sim.requests[0].body).toEqual({ name: 'New name', tag: 'new' });
			expect(result.output[0].json).toMatchObject({ sid: list.sid, name: 'New name', tag: 'new' });
			expect(sim.state.lists.get(list.sid)?.name).toBe('New name');
		});

		it('re-tags only', async () => {
			const list = sim.seedList('Keep name', 'old');
			const result = await run({ operation: 'update', listId: rl(list.sid), updateFields: { tag: 'retagged' } });
			expect(sim.requests[0].body).toEqual({ tag: 'retagged' });
			expect(result.output[0].json).toMatchObject({ name: 'Keep name', tag: 'retagged' });
		});

		it('a rename to a taken name fails with Exotel’s message', async () => {
			sim.seedList('Taken');
			const list = sim.seedList('Mine');
			const result = await run({ operation: 'update', listId: rl(list.sid), updateFields: { name: 'Taken' } });
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe("Exotel: Duplicate resource (1008): A list named 'Taken' already exists");
		});

		it('no fields is an error before sending', async () => {
			const list = sim.seedList('Mine');
			const result = await run({ operation: 'update', listId: rl(list.sid), updateFields: {} });
			expect(result.error?.message).toMatch(/^Item 1: Update Fields is empty/);
			expect(sim.requests).toHaveLength(0);
		});
	});

	it('delete removes the list; its contacts stay in the address book', async () => {
		const list = sim.seedList('Doomed');
		const contacts = sim.seedContacts(3, { listSid: list.sid });
		const result = await run({ operation: 'delete', listId: rl(list.sid) });
		expect(result.error).toBeUndefined();
		expect(sim.requests.map((r) => [r.method, r.path])).toEqual([['DELETE', `${root}/lists/${list.sid}`]]);
		expect(result.output).toHaveLength(1);
		expect(result.output[0].json).toMatchObject({ sid: list.sid, name: 'Doomed', contact_count: 3 });
		expect(sim.state.lists.has(list.sid)).toBe(false);
		for (const c of contacts) expect(sim.state.contacts.has(c.sid)).toBe(true);
	});

	describe('getMany', () => {
		const seedLists = (n: number) =>
			Array.from({ length: n }, (_, i) => sim.seedList(`${i % 2 ? 'Promo' : 'Renewal'} ${String(i).padStart(2, '0')}`));

		it('Return All follows offset pages until metadata.total', async () => {
			const lists = seedLists(45);
			const result = await run({ operation: 'getMany', returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.output.map((i) => i.json.sid)).toEqual(lists.map((l) => l.sid));
			expect(sim.requests.map((r) => [r.path, r.query.offset, r.query.limit])).toEqual([
				[`${root}/lists`, '0', '20'],
				[`${root}/lists`, '20', '20'],
				[`${root}/lists`, '40', '20'],
			]);
		});

		it('Limit below a page: one request, exactly that many', async () => {
			const lists = seedLists(45);
			const result = await run({ operation: 'getMany', returnAll: false, limit: 3 });
			expect(result.output.map((i) => i.json.sid)).toEqual(lists.slice(0, 3).map((l) => l.sid));
			expect(sim.requests.map((r) => r.query)).toEqual([{ offset: '0', limit: '3' }]);
		});

		it('Limit above a page: exactly that many', async () => {
			seedLists(45);
			const result = await run({ operation: 'getMany', returnAll: false, limit: 25 });
			expect(result.output).toHaveLength(25);
			expect(sim.requests.map((r) => r.query.limit)).toEqual(['20', '5']);
		});

		it('filters by name and sorts', async () => {
			seedLists(30);
			sim.seedList('renewal late');
			const result = await run({
				operation: 'getMany',
				returnAll: true,
				filters: { name: 'renewal', sortBy: 'name:desc' },
			});
			expect(result.error).toBeUndefined();
			expect(sim.requests.every((r) => r.query.name === 'renewal' && r.query.sort_by === 'name:desc')).toBe(true);
			const names = result.output.map((i) => String(i.json.name));
			expect(names).toHaveLength(16);
			expect(names.every((n) => n.toLowerCase().includes('renewal'))).toBe(true);
			expect(names).toEqual([...names].sort().reverse());
			expect(names[0]).toBe('renewal late');
		});
	});
});
