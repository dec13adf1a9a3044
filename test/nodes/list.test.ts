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

		describe('a name that exists, with If It Already Exists: Error (Exotel rejects some records, 207)', () => {
			const items = [{ name: 'Fresh 1' }, { name: 'Taken' }, { name: 'Fresh 2' }, { name: 'Fresh 1' }];
			const create = { operation: 'create', name: '={{ $json.name }}', options: { onExisting: 'error' } };
			beforeEach(() => sim.seedList('Taken'));

			it('continueErrorOutput: each rejected record on the error output with Exotel’s code, the field and the input', async () => {
				const result = await run(create, items, 'continueErrorOutput');
				expect(result.error).toBeUndefined();
				expect(sim.requests).toHaveLength(1);
				expect(sim.requests[0].status).toBe(207);

				expect(result.output.map((i) => [i.json.name, i.json.existing])).toEqual([
					['Fresh 1', false],
					['Fresh 2', false],
				]);
				expect(result.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);

				expect(result.errorOutput).toHaveLength(2);
				expect(result.errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
				const [taken, duplicate] = result.errorOutput;
				// n8n puts the input item's fields beside error and details on the error output.
				expect(taken.json).toEqual({
					name: 'Taken',
					error: "Item 2: Exotel rejected its Name: Duplicate resource (1008): A list named 'Taken' already exists",
					details: {
						code: 1008,
						httpCode: 409,
						field: 'Name',
						description: 'A record with the same unique value already exists.',
						input: { name: 'Taken' },
					},
				});
				expect(taken.error).toBeUndefined();
				expect(String(duplicate.json.error)).toMatch(/^Item 4: .*\(1008\).*'Fresh 1'/);
				expect(duplicate.json.details).toMatchObject({ code: 1008, httpCode: 409, field: 'Name', input: { name: 'Fresh 1' } });

				expect([...sim.state.lists.values()].map((l) => l.name).sort()).toEqual(['Fresh 1', 'Fresh 2', 'Taken']);
			});

			it('stop on error: the node fails naming the first failed item, Exotel’s message and how many succeeded', async () => {
				const result = await run(create, items);
				expect(result.status).toBe('error');
				expect(result.error?.message).toBe(
					"Exotel rejected 2 of 4 lists; the first is item 2: Duplicate resource (1008): A list named 'Taken' already exists",
				);
				expect(result.error?.description).toMatch(/^2 lists were saved\./);
				expect(result.output).toHaveLength(0);
				expect(sim.requests).toHaveLength(1);
			});

			it('continueRegularOutput: error items stay in the main output, in input order, with error and details', async () => {
				const result = await run(create, items, 'continueRegularOutput');
				expect(result.error).toBeUndefined();
				expect(result.errorOutput).toHaveLength(0);
				expect(result.output).toHaveLength(4);
				expect(result.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
				expect(result.output[0].json.name).toBe('Fresh 1');
				expect(String(result.output[1].json.error)).toMatch(/^Item 2: Exotel rejected its Name: Duplicate resource \(1008\)/);
				expect(Object.keys(result.output[1].json)).toEqual(['error', 'details']);
				expect(result.output[1].json.details).toMatchObject({ code: 1008, field: 'Name', input: { name: 'Taken' } });
				expect(result.output[2].json.name).toBe('Fresh 2');
				expect(String(result.output[3].json.error)).toMatch(/^Item 4: Exotel rejected it/);
			});
		});

		describe('a name that exists, with If It Already Exists: Use Existing (the default)', () => {
			it('gives the existing list, found by its exact name, marked existing: true; a name given twice gives the list this run made', async () => {
				const taken = sim.seedList('Taken', 'old');
				sim.seedList('Taken too'); // contains the name: Exotel's name filter matches it as well
				const result = await run({ operation: 'create', name: '={{ $json.name }}' }, [
					{ name: 'Fresh 1' },
					{ name: 'Taken' },
					{ name: 'Fresh 2' },
					{ name: 'Fresh 1' },
				]);
				expect(result.error).toBeUndefined();
				expect(result.output).toHaveLength(4);
				expect(result.output.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
				const [fresh1, existing, fresh2, again] = result.output.map((i) => i.json);
				expect(fresh1).toMatchObject({ name: 'Fresh 1', existing: false });
				expect(existing).toEqual({ ...taken, existing: true });
				expect(fresh2).toMatchObject({ name: 'Fresh 2', existing: false });
				expect(again).toEqual({ ...fresh1, existing: true });
				// One create, one lookup for the one name made before this run.
				expect(sim.requests.map((r) => [r.method, r.path, r.query.name])).toEqual([
					['POST', `${root}/lists`, undefined],
					['GET', `${root}/lists`, 'Taken'],
				]);
				expect(sim.state.lists.size).toBe(4);
			});

			const seed100 = () => Array.from({ length: 100 }, (_, i) => sim.seedList(`L${String(i).padStart(3, '0')}`));

			it('a few existing names: one lookup by name each (after one page of all lists)', async () => {
				const lists = seed100();
				const names = ['L050', 'L070', 'L090'];
				const result = await run({ operation: 'create', name: '={{ $json.name }}' }, names.map((name) => ({ name })));
				expect(result.error).toBeUndefined();
				expect(result.output.map((i) => [i.json.sid, i.json.existing])).toEqual([
					[lists[50].sid, true],
					[lists[70].sid, true],
					[lists[90].sid, true],
				]);
				const gets = sim.requests.filter((r) => r.method === 'GET');
				expect(gets.map((r) => r.query.name)).toEqual([undefined, 'L050', 'L070', 'L090']);
			});

			it('many existing names: one pass over all lists instead of a lookup each', async () => {
				const lists = seed100();
				const indexes = [3, 12, 25, 31, 44, 58, 61, 77, 80, 95, 96, 99];
				const result = await run(
					{ operation: 'create', name: '={{ $json.name }}' },
					indexes.map((i) => ({ name: lists[i].name })),
				);
				expect(result.error).toBeUndefined();
				expect(result.output.map((i) => i.json.sid)).toEqual(indexes.map((i) => lists[i].sid));
				expect(result.output.every((i) => i.json.existing === true)).toBe(true);
				const gets = sim.requests.filter((r) => r.method === 'GET');
				expect(gets).toHaveLength(5); // 100 lists, 20 a page
				expect(gets.every((r) => r.query.name === undefined)).toBe(true);
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

	describe('update (bulk PUT /lists)', () => {
		it('List Update of 3 items sends 1 PUT /lists with only what changed, and gives 3 items in order', async () => {
			const lists = [sim.seedList('Old 1', 'old'), sim.seedList('Old 2', 'old'), sim.seedList('Old 3', 'old')];
			const result = await run(
				{ operation: 'update', listId: rl('={{ $json.sid }}'), updateFields: { name: '={{ $json.name }}', tag: 'new' } },
				[
					{ sid: lists[2].sid, name: 'New 3' },
					{ sid: lists[0].uri, name: 'New 1' }, // a list's uri works too
					{ sid: lists[1].sid, name: 'New 2' },
				],
			);
			expect(result.error).toBeUndefined();
			expect(sim.requests.map((r) => [r.method, r.path, r.status])).toEqual([['PUT', `${root}/lists`, 207]]);
			expect(sim.requests[0].body).toEqual({
				lists: [
					{ sid: lists[2].sid, name: 'New 3', tag: 'new' },
					{ sid: lists[0].sid, name: 'New 1', tag: 'new' },
					{ sid: lists[1].sid, name: 'New 2', tag: 'new' },
				],
			});
			expect(result.output.map((i) => [i.json.sid, i.json.name, i.json.tag, i.pairedItem])).toEqual([
				[lists[2].sid, 'New 3', 'new', { item: 0 }],
				[lists[0].sid, 'New 1', 'new', { item: 1 }],
				[lists[1].sid, 'New 2', 'new', { item: 2 }],
			]);
			expect(result.output[0].json).not.toHaveProperty('existing');
			expect(sim.state.lists.get(lists[0].sid)?.name).toBe('New 1');
		});

		it('re-tags only', async () => {
			const list = sim.seedList('Keep name', 'old');
			const result = await run({ operation: 'update', listId: rl(list.sid), updateFields: { tag: 'retagged' } });
			expect(sim.requests[0].body).toEqual({ lists: [{ sid: list.sid, tag: 'retagged' }] });
			expect(result.output[0].json).toMatchObject({ name: 'Keep name', tag: 'retagged' });
		});

		it('a rename to a taken name fails that item with Exotel’s message; the others are saved', async () => {
			sim.seedList('Taken');
			const mine = sim.seedList('Mine');
			const other = sim.seedList('Other');
			const items = [
				{ sid: mine.sid, name: 'Taken' },
				{ sid: other.sid, name: 'Renamed' },
			];
			const parameters = { operation: 'update', listId: rl('={{ $json.sid }}'), updateFields: { name: '={{ $json.name }}' } };
			const stopped = await run(parameters, items);
			expect(stopped.status).toBe('error');
			expect(stopped.error?.message).toBe(
				"Exotel rejected 1 of 2 lists; the first is item 1: Duplicate resource (1008): A list named 'Taken' already exists",
			);
			expect(sim.state.lists.get(other.sid)?.name).toBe('Renamed');

			const continued = await run({ ...parameters, updateFields: { name: '={{ $json.name }}' } }, items, 'continueErrorOutput');
			expect(continued.errorOutput.map((i) => [i.pairedItem, i.json.details])).toEqual([
				[
					{ item: 0 },
					{
						code: 1008,
						httpCode: 409,
						field: 'Name',
						description: 'A record with the same unique value already exists.',
						input: items[0],
					},
				],
			]);
			expect(continued.output.map((i) => [i.json.name, i.pairedItem])).toEqual([['Renamed', { item: 1 }]]);
		});

		it('a list that does not exist fails its own item (field List)', async () => {
			const list = sim.seedList('Here');
			const result = await run(
				{ operation: 'update', listId: rl('={{ $json.sid }}'), updateFields: { tag: 't' } },
				[{ sid: 'gone' }, { sid: list.sid }],
				'continueErrorOutput',
			);
			expect(sim.requests).toHaveLength(1);
			expect(result.errorOutput.map((i) => [i.json.error, i.json.details])).toEqual([
				[
					'Item 1: Exotel rejected its List: Not found (1000): List gone not found',
					{
						code: 1000,
						httpCode: 404,
						field: 'List',
						description: 'The record does not exist in this Exotel account (check the SID, the account and the region).',
						input: { sid: 'gone' },
					},
				],
			]);
			expect(result.output.map((i) => i.json.sid)).toEqual([list.sid]);
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
		expect(result.output[0].json).toEqual({ deleted: true, sid: list.sid });
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
