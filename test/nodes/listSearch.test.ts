import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { exotelLoadOptionsContext } from '../helpers/harness';
import { ExotelSimulator } from '../simulator/server';
import { Exotel } from '../../nodes/Exotel/Exotel.node';

/** The list picker (`listId` in mode `list`) calls this through n8n-core's LoadOptionsContext. */
describe('listSearch.searchLists', () => {
	let sim: ExotelSimulator;
	const node = new Exotel();
	const search = (filter?: string, paginationToken?: string): Promise<INodeListSearchResult> => {
		const context = exotelLoadOptionsContext({
			credentials: { ...sim.credentials },
			parameters: { resource: 'list', operation: 'get' },
		});
		return node.methods.listSearch.searchLists.call(
			context as unknown as ILoadOptionsFunctions,
			filter,
			paginationToken,
		);
	};

	beforeAll(async () => {
		sim = await ExotelSimulator.start();
	});
	afterAll(async () => sim.stop());
	beforeEach(() => sim.reset());

	it('is wired to the listId locator', () => {
		const locators = node.description.properties.filter((p) => p.name === 'listId');
		expect(locators.length).toBeGreaterThan(0);
		for (const locator of locators) {
			const listMode = locator.modes?.find((m) => m.name === 'list');
			expect(listMode?.typeOptions?.searchListMethod).toBe('searchLists');
		}
	});

	it('pages through more than 20 lists with paginationToken, sorted by name', async () => {
		// 45 lists created out of name order: the picker shows them by name.
		const created = [];
		for (let i = 45; i >= 1; i--) created.push(sim.seedList(`List ${String(i).padStart(2, '0')}`));
		sim.seedContacts(3, { listSid: created[0].sid }); // "List 45" gets 3 contacts

		const first = await search();
		expect(first.results).toHaveLength(20);
		expect(first.results[0]).toEqual({
			name: 'List 01',
			value: created.find((l) => l.name === 'List 01')!.sid,
		});
		expect(first.paginationToken).toBe('20');

		const second = await search(undefined, first.paginationToken);
		expect(second.results.map((r) => r.name)[0]).toBe('List 21');
		expect(second.paginationToken).toBe('40');

		const third = await search(undefined, second.paginationToken);
		expect(third.results).toHaveLength(5);
		expect(third.results[4]).toEqual({ name: 'List 45', value: created[0].sid });
		expect(third.paginationToken).toBeUndefined();

		const all = [...first.results, ...second.results, ...third.results].map((r) => r.value);
		expect(new Set(all).size).toBe(45);
		expect(new Set(all)).toEqual(new Set(created.map((l) => l.sid)));

		const gets = sim.requests.filter((r) => r.method === 'GET');
		expect(gets.map((r) => r.query)).toEqual([
			{ sort_by: 'name:asc', offset: '0', limit: '20' },
			{ sort_by: 'name:asc', offset: '20', limit: '20' },
			{ sort_by: 'name:asc', offset: '40', limit: '20' },
		]);
		for (const r of gets) {
			expect(r.path).toBe(`/v2/accounts/${sim.credentials.accountSid}/lists`);
			expect(r.status).toBe(200);
			expect(String(r.headers.authorization)).toMatch(/^Basic /);
		}
	});

	it('filters by name on Exotel’s side (case-insensitive contains) and pages the filtered lists', async () => {
		for (let i = 1; i <= 25; i++) sim.seedList(`Renewals ${String(i).padStart(2, '0')}`);
		sim.seedList('Onboarding');
		sim.seedList('Q4 renewals backlog');

		const first = await search('renewals');
		expect(first.results).toHaveLength(20);
		expect(first.paginationToken).toBe('20');
		const second = await search('renewals', first.paginationToken);
		// 25 "Renewals nn" + "Q4 renewals backlog" = 26 matches; "Onboarding" never shows up.
		expect(second.results).toHaveLength(6);
		expect(second.paginationToken).toBeUndefined();
		const names = [...first.results, ...second.results].map((r) => String(r.name));
		expect(names.some((n) => n.startsWith('Onboarding'))).toBe(false);
		expect(names).toContain('Q4 renewals backlog');
		expect(sim.requests.map((r) => r.query.name)).toEqual(['renewals', 'renewals']);

		const one = await search('onboard');
		expect(one.results.map((r) => r.name)).toEqual(['Onboarding']);
		expect(one.paginationToken).toBeUndefined();

		const none = await search('no such list');
		expect(none).toEqual({ results: [], paginationToken: undefined });
	});

	it('reports Exotel’s own error when the credential is wrong', async () => {
		const context = exotelLoadOptionsContext({
			credentials: { ...sim.credentials, apiToken: 'wrong-token' },
		});
		await expect(
			node.methods.listSearch.searchLists.call(context as unknown as ILoadOptionsFunctions),
		).rejects.toThrow(/Authentication failed \(1010\)/);
	});
});
