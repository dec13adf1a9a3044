import type { IDataObject } from 'n8n-workflow';

import { runExotel } from '../helpers/harness';
import type { ExotelSimulator } from '../simulator/server';
import { useSimulator } from '../helpers/simulatorSuite';

describe('contact', () => {
	let sim: ExotelSimulator;
	let root: string;
	useSimulator((started, accountRoot) => {
		sim = started;
		root = accountRoot;
	});

	const run = (parameters: IDataObject, items?: IDataObject[], onError?: 'continueErrorOutput' | 'continueRegularOutput') =>
		runExotel({ credentials: { ...sim.credentials }, parameters: { resource: 'contact', ...parameters } as never, items, onError });

	describe('create', () => {
		it('reads mapped fields, nested and bracketed fields, fixed values and other expressions as n8n evaluates them', async () => {
			const result = await run(
				{
					operation: 'create',
					number: '={{ $json["Phone number"] }}',
					additionalFields: {
						firstName: '={{ $json.person.first }}',
						lastName: '={{ $json.person.last.toUpperCase() }}',
						companyName: 'Acme Ltd',
						tag: "={{ $json['lead source'] }}",
					},
				},
				[
					{ 'Phone number': '+919876500001', person: { first: 'Asha', last: 'Rao' }, 'lead source': 'web' },
					{ 'Phone number': '+919876500002', person: { first: 'Ravi', last: 'Iyer' } },
				],
			);
			expect(result.error).toBeUndefined();
			const [request] = sim.requests.filter((entry) => entry.method === 'POST');
			expect((request.body as IDataObject).contacts).toEqual([
				{ number: '+919876500001', first_name: 'Asha', last_name: 'RAO', company_name: 'Acme Ltd', tag: 'web' },
				{ number: '+919876500002', first_name: 'Ravi', last_name: 'IYER', company_name: 'Acme Ltd' },
			]);
		});

		it('maps every field, normalises the number and gives Exotel’s data object per item', async () => {
			const result = await run(
				{
					operation: 'create',
					number: '={{ $json.phone }}',
					additionalFields: {
						firstName: '={{ $json.first }}',
						lastName: 'Rao',
						companyName: 'Acme Ltd',
						email: '={{ $json.email }}',
						tag: 'vip',
						customFields: '={{ $json.custom }}',
					},
				},
				[
					{ phone: '+91 98765-43210', first: 'Asha', email: 'asha@example.com', custom: '{"plan":"gold","seats":3}' },
					{ phone: '(080) 1234.5678', first: 'Ravi', email: 'ravi@example.com', custom: { plan: 'silver' } },
				],
			);
			expect(result.error).toBeUndefined();
			expect(result.status).toBe('success');

			expect(sim.requests).toHaveLength(1);
			const [post] = sim.requests;
			expect(post.method).toBe('POST');
			expect(post.path).toBe(`${root}/contacts`);
			expect(post.body).toEqual({
				contacts: [
					{
						number: '+919876543210',
						first_name: 'Asha',
						last_name: 'Rao',
						company_name: 'Acme Ltd',
						email: 'asha@example.com',
						tag: 'vip',
						custom_field: { plan: 'gold', seats: 3 },
					},
					{
						number: '08012345678',
						first_name: 'Ravi',
						last_name: 'Rao',
						company_name: 'Acme Ltd',
						email: 'ravi@example.com',
						tag: 'vip',
						custom_field: { plan: 'silver' },
					},
				],
			});

			expect(result.output).toHaveLength(2);
			expect(result.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			const [first, second] = result.output.map((i) => i.json);
			// Exotel's data object, not the envelope.
			expect(first).not.toHaveProperty('response');
			expect(first).toMatchObject({
				number: '+919876543210',
				first_name: 'Asha',
				last_name: 'Rao',
				company_name: 'Acme Ltd',
				email: 'asha@example.com',
				tag: 'vip',
				custom_field: { plan: 'gold', seats: 3 },
				account_sid: sim.credentials.accountSid,
			});
			expect(second).toMatchObject({ number: '08012345678', first_name: 'Ravi', custom_field: { plan: 'silver' } });
			expect(sim.state.contacts.get(String(first.sid))?.email).toBe('asha@example.com');
			expect(sim.state.contacts.size).toBe(2);
		});

		it('accepts custom fields given as an object (not only as JSON text)', async () => {
			const result = await run({
				operation: 'create',
				number: '+919800000001',
				additionalFields: { customFields: { city: 'Pune', score: 7 } },
			});
			expect(result.error).toBeUndefined();
			expect((sim.requests[0].body as { contacts: IDataObject[] }).contacts).toEqual([
				{ number: '+919800000001', custom_field: { city: 'Pune', score: 7 } },
			]);
			expect(result.output[0].json.custom_field).toEqual({ city: 'Pune', score: 7 });
		});

		it('sends only the number when no additional fields are set', async () => {
			const result = await run({ operation: 'create', number: '+919800000002' });
			expect(result.error).toBeUndefined();
			expect(sim.requests[0].body).toEqual({ contacts: [{ number: '+919800000002' }] });
			expect(result.output[0].json).toMatchObject({ number: '+919800000002', first_name: null, custom_field: null });
		});
	});

	describe('numbers that already exist (If It Already Exists)', () => {
		const fiveItems = (existing: Array<{ number: string }>) => [
			{ phone: '+919811100001' },
			{ phone: existing[0].number },
			{ phone: '+919811100003' },
			{ phone: existing[1].number },
			{ phone: '+919811100005' },
		];

		it('Use Existing (the default): 5 contacts where 2 numbers exist give 5 items with the existing sids, in one request', async () => {
			const existing = sim.seedContacts(2);
			const result = await run({ operation: 'create', number: '={{ $json.phone }}' }, fiveItems(existing));
			expect(result.error).toBeUndefined();
			expect(sim.requests.map((r) => [r.method, r.path])).toEqual([['POST', `${root}/contacts`]]);
			expect(result.errorOutput).toHaveLength(0);
			expect(result.output).toHaveLength(5);
			expect(result.output.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
			expect(result.output.map((i) => i.json.existing)).toEqual([false, true, false, true, false]);
			expect(result.output[1].json).toEqual({ ...existing[0], existing: true });
			expect(result.output[3].json).toEqual({ ...existing[1], existing: true });
			expect(result.output.map((i) => i.json.number)).toEqual(fiveItems(existing).map((item) => item.phone));
			expect(sim.state.contacts.size).toBe(5);
		});

		it('a daily sync of national numbers finds the contacts the last run made (Default Country Code 91)', async () => {
			const parameters = { operation: 'create', number: '={{ $json.phone }}', options: { defaultCountryCode: '91' } };
			const first = await run(parameters, [{ phone: '98111 00001' }, { phone: '09811100002' }]);
			expect(first.output.map((i) => [i.json.number, i.json.existing])).toEqual([
				['+919811100001', false],
				['+919811100002', false],
			]);
			const second = await run(parameters, [{ phone: '9811100002' }, { phone: '919811100001' }, { phone: '9811100003' }]);
			expect(second.error).toBeUndefined();
			expect(second.output.map((i) => [i.json.sid, i.json.existing])).toEqual([
				[first.output[1].json.sid, true],
				[first.output[0].json.sid, true],
				[expect.any(String), false],
			]);
			expect(sim.state.contacts.size).toBe(3);
		});

		it('the same number twice in one input: the second item is the contact the first one made', async () => {
			const result = await run({ operation: 'create', number: '={{ $json.phone }}' }, [
				{ phone: '+919811100001' },
				{ phone: '+91 98111 00001' },
			]);
			expect(result.error).toBeUndefined();
			expect(sim.requests).toHaveLength(1);
			expect(result.output.map((i) => i.json.existing)).toEqual([false, true]);
			expect(result.output[1].json.sid).toBe(result.output[0].json.sid);
			expect(sim.state.contacts.size).toBe(1);
		});

		it('Error: the same 5 give 3 contacts and 2 error items with code 1008 (409), the field and the input', async () => {
			const existing = sim.seedContacts(2);
			const items = fiveItems(existing);
			const result = await run(
				{ operation: 'create', number: '={{ $json.phone }}', options: { onExisting: 'error' } },
				items,
				'continueErrorOutput',
			);
			expect(result.error).toBeUndefined();
			expect(sim.requests).toHaveLength(1);
			expect(result.output.map((i) => [i.json.number, i.json.existing, i.pairedItem])).toEqual([
				[items[0].phone, false, { item: 0 }],
				[items[2].phone, false, { item: 2 }],
				[items[4].phone, false, { item: 4 }],
			]);
			expect(result.errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
			result.errorOutput.forEach((item, n) => {
				expect(String(item.json.error)).toMatch(new RegExp(`^Item ${n * 2 + 2}: Exotel rejected its Phone Number: .*\\(1008\\)`));
				expect(item.json.details).toMatchObject({ code: 1008, httpCode: 409, field: 'Phone Number', input: items[n * 2 + 1] });
			});
		});
	});

	describe('bulk create', () => {
		const bad = new Map([
			[3000, '12345'],
			[6001, 'not a phone'],
			[9002, '+0123456789'],
		]);
		const bulkItems = (): IDataObject[] =>
			Array.from({ length: 12_000 }, (_, i) => ({ phone: bad.get(i) ?? `+9170${String(i).padStart(8, '0')}`, n: i }));

		it('sends 12,000 contacts in 3 requests; the 3 invalid numbers go to the error output with their pairedItem', async () => {
			const started = Date.now();
			const result = await run({ operation: 'create', number: '={{ $json.phone }}' }, bulkItems(), 'continueErrorOutput');
			const elapsed = Date.now() - started;

			expect(result.error).toBeUndefined();
			expect(result.status).toBe('success');

			const posts = sim.requests.filter((r) => r.method === 'POST');
			expect(sim.requests).toHaveLength(3);
			expect(posts).toHaveLength(3);
			const sizes = posts.map((r) => (r.body as { contacts: unknown[] }).contacts.length);
			expect(sizes).toEqual([5000, 5000, 11_997 - 10_000]);
			for (const r of posts) {
				expect(r.path).toBe(`${root}/contacts`);
				expect(r.status).toBe(207);
			}
			// The invalid numbers never reach Exotel.
			const sent = posts.flatMap((r) => (r.body as { contacts: Array<{ number: string }> }).contacts.map((c) => c.number));
			for (const number of bad.values()) expect(sent).not.toContain(number);
			// Records go out in input order.
			expect(sent[0]).toBe('+917000000000');
			expect(sent[2999]).toBe('+917000002999');
			expect(sent[3000]).toBe('+917000003001');
			expect(sent[sent.length - 1]).toBe('+917000011999');

			expect(result.errorOutput).toHaveLength(3);
			expect(result.errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 3000 }, { item: 6001 }, { item: 9002 }]);
			expect(String(result.errorOutput[0].json.error)).toMatch(/^Item 3001: Phone Number "12345" is not a phone number/);
			expect(String(result.errorOutput[1].json.error)).toMatch(/^Item 6002: Phone Number "not a phone"/);
			expect(String(result.errorOutput[2].json.error)).toMatch(/^Item 9003: Phone Number "\+0123456789"/);

			expect(result.output).toHaveLength(11_997);
			expect(sim.state.contacts.size).toBe(11_997);
			// Order and pairedItem kept: each output item is the contact of the input item it points at.
			const items = bulkItems();
			for (const item of result.output) {
				const index = (item.pairedItem as { item: number }).item;
				expect(item.json.number).toBe(items[index].phone);
			}
			const indexes = result.output.map((i) => (i.pairedItem as { item: number }).item);
			expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
			expect(indexes).not.toContain(3000);
			expect(elapsed).toBeLessThan(20_000);
		});

		it('without continue-on-fail, an invalid number stops the node before anything is sent', async () => {
			const items = [{ phone: '+919800000001' }, { phone: '+919800000002' }, { phone: '98' }];
			const result = await run({ operation: 'create', number: '={{ $json.phone }}' }, items);
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/^Item 3: Phone Number "98" is not a phone number/);
			expect(sim.requests).toHaveLength(0);
			expect(sim.state.contacts.size).toBe(0);
		});

		it('with continueRegularOutput, error items stay in the main output, in order, with json.error', async () => {
			const items = [{ phone: '+919800000001' }, { phone: 'x' }, { phone: '+919800000003' }];
			const result = await run({ operation: 'create', number: '={{ $json.phone }}' }, items, 'continueRegularOutput');
			expect(result.error).toBeUndefined();
			expect(result.errorOutput).toHaveLength(0);
			expect(result.output).toHaveLength(3);
			expect(result.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(result.output[0].json.number).toBe('+919800000001');
			expect(String(result.output[1].json.error)).toMatch(/^Item 2: Phone Number "x"/);
			expect(result.output[1].json.number).toBeUndefined();
			expect(result.output[2].json.number).toBe('+919800000003');
			expect(sim.requests).toHaveLength(1);
			expect((sim.requests[0].body as { contacts: unknown[] }).contacts).toHaveLength(2);
		});
	});

	describe('get, update, delete', () => {
		it('gets a contact by SID', async () => {
			const [contact] = sim.seedContacts(1);
			const result = await run({ operation: 'get', contactId: contact.sid });
			expect(result.error).toBeUndefined();
			expect(result.output).toHaveLength(1);
			expect(result.output[0].json).toEqual(contact);
			expect(result.output[0].pairedItem).toEqual({ item: 0 });
			expect(sim.requests.map((r) => [r.method, r.path])).toEqual([['GET', `${root}/contacts/${contact.sid}`]]);
			expect(sim.requests[0].body).toBeUndefined();
		});

		it('gets one contact per input item, with its pairedItem', async () => {
			const contacts = sim.seedContacts(3);
			const result = await run(
				{ operation: 'get', contactId: '={{ $json.sid }}' },
				[contacts[2], contacts[0]].map((c) => ({ sid: c.sid })),
			);
			expect(result.output.map((i) => i.json.sid)).toEqual([contacts[2].sid, contacts[0].sid]);
			expect(result.output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		});

		it('keeps at most 5 requests open when many items each get a contact, and answers them all in order', async () => {
			const contacts = sim.seedContacts(30);
			sim.latencyMs = 30;
			try {
				const result = await run({ operation: 'get', contactId: '={{ $json.sid }}' }, contacts.map((c) => ({ sid: c.sid })));
				expect(result.output.map((i) => i.json.sid)).toEqual(contacts.map((c) => c.sid));
				expect(sim.requests).toHaveLength(30);
				expect(sim.maxConcurrentRequests).toBe(5);
			} finally {
				sim.latencyMs = 0;
			}
		});

		it('updates only the given fields (bulk PUT /contacts with the sid), normalising a new number', async () => {
			const [contact] = sim.seedContacts(1);
			sim.state.contacts.get(contact.sid)!.last_name = 'Kept';
			const result = await run({
				operation: 'update',
				contactId: contact.sid,
				updateFields: { firstName: 'Meera', number: '+91 99999-00000', customFields: '{"tier":2}' },
			});
			expect(result.error).toBeUndefined();
			expect(sim.requests).toHaveLength(1);
			const [put] = sim.requests;
			expect(put.method).toBe('PUT');
			expect(put.path).toBe(`${root}/contacts`);
			expect(put.body).toEqual({
				contacts: [{ sid: contact.sid, first_name: 'Meera', number: '+919999900000', custom_field: { tier: 2 } }],
			});
			expect(result.output).toHaveLength(1);
			expect(result.output[0].json).toMatchObject({
				sid: contact.sid,
				first_name: 'Meera',
				last_name: 'Kept',
				number: '+919999900000',
				custom_field: { tier: 2 },
			});
			expect(result.output[0].json).not.toHaveProperty('existing');
			expect(sim.state.contacts.get(contact.sid)?.first_name).toBe('Meera');
		});

		it('Contact Update of 12,000 items sends 3 PUT /contacts and gives 12,000 items in input order', async () => {
			const contacts = sim.seedContacts(12_000).reverse(); // input order is not the address book's
			const items = contacts.map((c, i) => ({ id: c.sid, tag: `batch-${i % 7}`, first: `F${i}` }));
			const result = await run(
				{ operation: 'update', contactId: '={{ $json.id }}', updateFields: { tag: '={{ $json.tag }}', firstName: '={{ $json.first }}' } },
				items,
			);
			expect(result.error).toBeUndefined();
			expect(sim.requests.map((r) => [r.method, r.path, r.status])).toEqual([
				['PUT', `${root}/contacts`, 207],
				['PUT', `${root}/contacts`, 207],
				['PUT', `${root}/contacts`, 207],
			]);
			const sent = sim.requests.flatMap((r) => (r.body as { contacts: IDataObject[] }).contacts);
			expect(sim.requests.map((r) => (r.body as { contacts: unknown[] }).contacts.length)).toEqual([5000, 5000, 2000]);
			expect(sent.map((c) => c.sid)).toEqual(contacts.map((c) => c.sid));
			expect(sent[11_999]).toEqual({ sid: contacts[11_999].sid, tag: 'batch-1', first_name: 'F11999' });

			expect(result.output).toHaveLength(12_000);
			result.output.forEach((item, index) => {
				expect(item.pairedItem).toEqual({ item: index });
				expect(item.json.sid).toBe(items[index].id);
				expect(item.json.first_name).toBe(`F${index}`);
			});
			expect(sim.state.contacts.get(contacts[0].sid)?.tag).toBe('batch-0');
		});

		it('an update Exotel rejects (unknown contact) fails only its item, with code, field and input', async () => {
			const [contact] = sim.seedContacts(1);
			const result = await run(
				{ operation: 'update', contactId: '={{ $json.id }}', updateFields: { email: '={{ $json.email }}' } },
				[
					{ id: 'nobody', email: 'a@b.co' },
					{ id: contact.sid, email: 'new@example.com' },
				],
				'continueErrorOutput',
			);
			expect(result.error).toBeUndefined();
			expect(sim.requests).toHaveLength(1);
			expect(result.output.map((i) => [i.json.sid, i.json.email, i.pairedItem])).toEqual([
				[contact.sid, 'new@example.com', { item: 1 }],
			]);
			expect(result.errorOutput.map((i) => [i.pairedItem, i.json.error, i.json.details])).toEqual([
				[
					{ item: 0 },
					'Item 1: Exotel rejected its Contact ID: Not found (1000): Contact nobody not found',
					{
						code: 1000,
						httpCode: 404,
						field: 'Contact ID',
						description: 'The record does not exist in this Exotel account (check the SID, the account and the region).',
						input: { id: 'nobody', email: 'a@b.co' },
					},
				],
			]);
		});

		it('an update to a number another contact has fails its item with 1008 (409) and the field Phone Number', async () => {
			const [mine, theirs] = sim.seedContacts(2);
			const result = await run(
				{ operation: 'update', contactId: mine.sid, updateFields: { number: theirs.number } },
				undefined,
				'continueRegularOutput',
			);
			expect(result.output).toHaveLength(1);
			expect(String(result.output[0].json.error)).toMatch(/^Item 1: Exotel rejected its Phone Number: Duplicate resource \(1008\)/);
			expect(result.output[0].json.details).toMatchObject({ code: 1008, httpCode: 409, field: 'Phone Number' });
			expect(sim.state.contacts.get(mine.sid)?.number).toBe(mine.number);
		});

		it('refuses an update with no fields, before sending', async () => {
			const [contact] = sim.seedContacts(1);
			const result = await run({ operation: 'update', contactId: contact.sid, updateFields: {} });
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/Item 1: Update Fields is empty/);
			expect(sim.requests).toHaveLength(0);
		});

		it('deletes a contact from the address book and from its lists', async () => {
			const list = sim.seedList('Deletes');
			const [keep, gone] = sim.seedContacts(2, { listSid: list.sid });
			const result = await run({ operation: 'delete', contactId: gone.sid });
			expect(result.error).toBeUndefined();
			expect(sim.requests.map((r) => [r.method, r.path])).toEqual([['DELETE', `${root}/contacts/${gone.sid}`]]);
			expect(result.output).toHaveLength(1);
			expect(result.output[0].json).toEqual({ deleted: true, sid: gone.sid });
			expect(sim.state.contacts.has(gone.sid)).toBe(false);
			expect(sim.state.contacts.has(keep.sid)).toBe(true);
			expect(sim.listMembers(list.sid)).toEqual([keep.sid]);
		});
	});

	describe('getMany', () => {
		const queries = () => sim.requests.map((r) => r.query);

		it('Return All follows pages of 20 until metadata.total', async () => {
			const seeded = sim.seedContacts(45);
			const result = await run({ operation: 'getMany', returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.output).toHaveLength(45);
			expect(result.output.map((i) => i.json.sid)).toEqual(seeded.map((c) => c.sid));
			expect(result.output.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
			expect(sim.requests.every((r) => r.method === 'GET' && r.path === `${root}/contacts`)).toBe(true);
			expect(queries()).toEqual([
				{ offset: '0', limit: '20' },
				{ offset: '20', limit: '20' },
				{ offset: '40', limit: '20' },
			]);
		});

		it('Return All on an exact multiple of the page size stops at the total', async () => {
			sim.seedContacts(40);
			const result = await run({ operation: 'getMany', returnAll: true });
			expect(result.output).toHaveLength(40);
			expect(queries().map((q) => q.offset)).toEqual(['0', '20']);
		});

		it('Return All with no contacts gives no items after one request', async () => {
			const result = await run({ operation: 'getMany', returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.output).toHaveLength(0);
			expect(sim.requests).toHaveLength(1);
		});

		it('Limit 5 is one request for 5 records', async () => {
			const seeded = sim.seedContacts(45);
			const result = await run({ operation: 'getMany', returnAll: false, limit: 5 });
			expect(result.output).toHaveLength(5);
			expect(result.output.map((i) => i.json.sid)).toEqual(seeded.slice(0, 5).map((c) => c.sid));
			expect(queries()).toEqual([{ offset: '0', limit: '5' }]);
		});

		it('Limit 30 (above a page) is two requests for exactly 30 records', async () => {
			const seeded = sim.seedContacts(45);
			const result = await run({ operation: 'getMany', returnAll: false, limit: 30 });
			expect(result.output).toHaveLength(30);
			expect(result.output.map((i) => i.json.sid)).toEqual(seeded.slice(0, 30).map((c) => c.sid));
			expect(queries()).toEqual([
				{ offset: '0', limit: '20' },
				{ offset: '20', limit: '10' },
			]);
		});

		it('the default limit is 50', async () => {
			sim.seedContacts(60);
			const result = await run({ operation: 'getMany' });
			expect(result.output).toHaveLength(50);
			expect(queries().map((q) => q.limit)).toEqual(['20', '20', '10']);
		});

		it('Limit above what exists returns what exists', async () => {
			sim.seedContacts(7);
			const result = await run({ operation: 'getMany', returnAll: false, limit: 30 });
			expect(result.output).toHaveLength(7);
			expect(sim.requests).toHaveLength(1);
		});

		it('filters by lists (list_sids, comma-separated, spaces trimmed)', async () => {
			const a = sim.seedList('A');
			const b = sim.seedList('B');
			const c = sim.seedList('C');
			const inA = sim.seedContacts(2, { listSid: a.sid });
			const inB = sim.seedContacts(3, { listSid: b.sid });
			sim.seedContacts(4, { listSid: c.sid });
			sim.seedContacts(5);
			const result = await run({
				operation: 'getMany',
				returnAll: true,
				filters: { listId: ` ${a.sid} ,  ${b.sid},` },
			});
			expect(result.error).toBeUndefined();
			expect(sim.requests[0].query.list_sids).toBe(`${a.sid},${b.sid}`);
			expect(new Set(result.output.map((i) => i.json.sid))).toEqual(new Set([...inA, ...inB].map((x) => x.sid)));
			expect(result.output).toHaveLength(5);
		});

		it('sorts (sort_by in the query)', async () => {
			const seeded = sim.seedContacts(25);
			const result = await run({ operation: 'getMany', returnAll: true, filters: { sortBy: 'number:desc' } });
			expect(queries().map((q) => q.sort_by)).toEqual(['number:desc', 'number:desc']);
			expect(result.output.map((i) => i.json.number)).toEqual(seeded.map((c) => c.number).reverse());
		});

		it('includes each contact’s lists with filter=show_list', async () => {
			const a = sim.seedList('Alpha');
			const [contact] = sim.seedContacts(1, { listSid: a.sid });
			sim.seedContacts(1);
			const result = await run({ operation: 'getMany', returnAll: true, options: { includeLists: true } });
			expect(sim.requests[0].query.filter).toBe('show_list');
			expect(result.output).toHaveLength(2);
			expect(result.output[0].json).toMatchObject({ sid: contact.sid, lists: [{ sid: a.sid, name: 'Alpha' }] });
			expect(result.output[1].json.lists).toEqual([]);
		});

		it('does not send filter when includeLists is off', async () => {
			sim.seedContacts(1);
			const result = await run({ operation: 'getMany', returnAll: true, options: { includeLists: false } });
			expect(result.output).toHaveLength(1);
			expect(sim.requests[0].query).not.toHaveProperty('filter');
			expect(result.output[0].json).not.toHaveProperty('lists');
		});
	});
});
