import type { IDataObject } from 'n8n-workflow';

import { runExotel } from '../helpers/harness';
import type { OnError } from '../helpers/harness';
import { rl, useSimulator } from '../helpers/simulatorSuite';
import type { Fault } from '../simulator/faults';
import type { ExotelSimulator } from '../simulator/server';

/** Each attempt waits this long for an answer: a lost answer costs half a second, not 30. */
const SHORT_TIMEOUT = { timeout: 500 };

/**
 * A DELETE or campaign action whose answer is lost is sent again by the node. When the lost attempt did
 * the work, the resend meets a record already gone (404) or a campaign already in the wanted status
 * (refused): the item has succeeded. Only a resend is read that way; a 404 to the first attempt is
 * still "not found".
 */
describe('retries never turn success into failure', () => {
	let sim: ExotelSimulator;
	let root: string;
	useSimulator((started, accountRoot) => {
		sim = started;
		root = accountRoot;
	});

	const run = (parameters: IDataObject, items?: IDataObject[], onError?: OnError) =>
		runExotel({
			credentials: { ...sim.credentials },
			parameters: { requestOptions: SHORT_TIMEOUT, ...parameters } as never,
			items,
			onError,
		});

	const requests = (method: string) => sim.requests.filter((request) => request.method === method);

	/** A campaign that has not started (Created), on a list of two contacts. */
	async function newCampaign(): Promise<string> {
		const list = sim.seedList('Callers');
		sim.seedContacts(2, { listSid: list.sid });
		const created = await run({
			resource: 'campaign',
			operation: 'create',
			name: 'Later',
			callerId: '08047112345',
			listIds: list.sid,
			appId: '926',
			additionalFields: { sendAt: '2099-01-01T00:00:00Z' },
		});
		expect(created.error).toBeUndefined();
		sim.requests.length = 0;
		return String(created.output[0].json.id);
	}

	// Each loses the answer of a DELETE that Exotel carried out: no answer, a 502, or a cut connection.
	const lostAnswers: Array<[string, Fault]> = [
		['no answer', { kind: 'hang', apply: true, match: { method: 'DELETE' } }],
		['a 502 after deleting', { kind: 'status', status: 502, apply: true, match: { method: 'DELETE' } }],
		['a connection cut after deleting', { kind: 'drop', apply: true, match: { method: 'DELETE' } }],
	];
	/** How the simulator logs the first, lost answer. */
	const lostStatus = (fault: Fault) => (fault.kind === 'status' ? fault.status : 0);

	describe.each(lostAnswers)('a DELETE answered with %s, then 404 to the resend, is deleted', (_name, fault) => {
		it('Contact → Delete', async () => {
			const [contact] = sim.seedContacts(1);
			sim.injectFault(fault);
			const result = await run({ resource: 'contact', operation: 'delete', contactId: contact.sid });
			expect(result.error).toBeUndefined();
			expect(result.output.map((item) => item.json)).toEqual([{ deleted: true, sid: contact.sid }]);
			expect(requests('DELETE').map((request) => request.path)).toEqual([
				`${root}/contacts/${contact.sid}`,
				`${root}/contacts/${contact.sid}`,
			]);
			expect(requests('DELETE')[1].status).toBe(404);
			expect(sim.state.contacts.has(contact.sid)).toBe(false);
		});

		it('List → Delete', async () => {
			const list = sim.seedList('Doomed');
			sim.injectFault(fault);
			const result = await run({ resource: 'list', operation: 'delete', listId: rl(list.sid) });
			expect(result.error).toBeUndefined();
			expect(result.output.map((item) => item.json)).toEqual([{ deleted: true, sid: list.sid }]);
			expect(requests('DELETE').map((request) => request.status)).toEqual([lostStatus(fault), 404]);
			expect(sim.state.lists.has(list.sid)).toBe(false);
		});

		it('List Contact → Remove', async () => {
			const list = sim.seedList('Members');
			const [leave, stay] = sim.seedContacts(2, { listSid: list.sid });
			sim.injectFault(fault);
			const result = await run({ resource: 'listContact', operation: 'remove', listId: rl(list.sid), contactId: leave.sid });
			expect(result.error).toBeUndefined();
			expect(result.output.map((item) => item.json)).toEqual([{ deleted: true, sid: leave.sid, list_id: list.sid }]);
			expect(requests('DELETE')).toHaveLength(2);
			expect(sim.listMembers(list.sid)).toEqual([stay.sid]);
		});

		it('Campaign → Delete', async () => {
			const id = await newCampaign();
			sim.injectFault(fault);
			const result = await run({ resource: 'campaign', operation: 'delete', campaignId: rl(id) });
			expect(result.error).toBeUndefined();
			expect(result.output.map((item) => item.json)).toEqual([{ deleted: true, id }]);
			expect(requests('DELETE').map((request) => request.status)).toEqual([lostStatus(fault), 404]);
		});
	});

	describe('a 404 to the first attempt is still not found', () => {
		it('for every delete, on the error output with the item and its field', async () => {
			const list = sim.seedList('Members');
			const cases: Array<[IDataObject, string | undefined]> = [
				[{ resource: 'contact', operation: 'delete', contactId: 'nosuchcontact' }, 'Contact ID'],
				[{ resource: 'list', operation: 'delete', listId: rl('nosuchlist') }, 'List'],
				// Two IDs in the path: Exotel's 404 does not say which one it could not find.
				[{ resource: 'listContact', operation: 'remove', listId: rl(list.sid), contactId: 'nosuchcontact' }, undefined],
				[{ resource: 'campaign', operation: 'delete', campaignId: rl('nosuchcampaign') }, 'Campaign'],
			];
			for (const [parameters, field] of cases) {
				sim.requests.length = 0;
				const result = await run(parameters, [{}], 'continueErrorOutput');
				expect(result.output).toEqual([]);
				expect(result.errorOutput).toHaveLength(1);
				const { error, details } = result.errorOutput[0].json as { error: string; details: IDataObject };
				expect(error).toMatch(/^Item 1: Exotel: Not found \(1000\)/);
				expect(details.field).toBe(field);
				expect(requests('DELETE')).toHaveLength(1);
			}
		});

		it('a connection dropped before Exotel read the DELETE: sent again, deleted by the resend', async () => {
			const [contact] = sim.seedContacts(1);
			sim.injectFault({ kind: 'drop', match: { method: 'DELETE' } });
			const result = await run({ resource: 'contact', operation: 'delete', contactId: contact.sid });
			expect(result.output.map((item) => item.json)).toEqual([{ deleted: true, sid: contact.sid }]);
			expect(requests('DELETE').map((request) => request.status)).toEqual([0, 200]);
		});

		it('many items: each its own answer, in input order', async () => {
			const contacts = sim.seedContacts(3);
			// The second item's first DELETE is carried out and its answer lost.
			sim.injectFault({ kind: 'status', status: 503, apply: true, match: { method: 'DELETE', path: `/contacts/${contacts[1].sid}` } });
			const result = await run(
				{ resource: 'contact', operation: 'delete', contactId: '={{ $json.sid }}' },
				[{ sid: contacts[0].sid }, { sid: contacts[1].sid }, { sid: 'gone' }, { sid: contacts[2].sid }],
				'continueErrorOutput',
			);
			expect(result.output.map((item) => [item.json, item.pairedItem])).toEqual([
				[{ deleted: true, sid: contacts[0].sid }, { item: 0 }],
				[{ deleted: true, sid: contacts[1].sid }, { item: 1 }],
				[{ deleted: true, sid: contacts[2].sid }, { item: 3 }],
			]);
			expect(result.errorOutput.map((item) => [item.json.error, item.pairedItem])).toEqual([
				['Item 3: Exotel: Not found (1000): Contact gone not found', { item: 2 }],
			]);
			expect(sim.state.contacts.size).toBe(0);
		});
	});

	describe('a campaign action whose resend finds it done has succeeded', () => {
		const campaignRequests = () => sim.requests.map((request) => [request.method, request.status]);

		it('pause answered 502 after pausing: the resend is refused, the campaign is Paused, the item is that campaign', async () => {
			const id = await newCampaign();
			sim.injectFault({ kind: 'status', status: 502, apply: true, match: { method: 'PUT' } });
			const result = await run({ resource: 'campaign', operation: 'pause', campaignId: rl(id) });
			expect(result.error).toBeUndefined();
			expect(result.output).toHaveLength(1);
			expect(result.output[0].json).toMatchObject({ id, status: 'Paused' });
			expect(campaignRequests()).toEqual([
				['PUT', 502],
				['PUT', 400],
				['GET', 200],
			]);
		});

		it('pause whose connection was cut after pausing: the same', async () => {
			const id = await newCampaign();
			sim.injectFault({ kind: 'drop', apply: true, match: { method: 'PUT' } });
			const result = await run({ resource: 'campaign', operation: 'pause', campaignId: rl(id) });
			expect(result.error).toBeUndefined();
			expect(result.output[0].json).toMatchObject({ id, status: 'Paused' });
		});

		it('resume, complete and archive whose answers got lost', async () => {
			const id = await newCampaign();
			const paused = await run({ resource: 'campaign', operation: 'pause', campaignId: rl(id) });
			expect(paused.output[0].json.status).toBe('Paused');
			// A campaign that never started goes back to Created when resumed.
			for (const [action, status] of [
				['resume', 'Created'],
				['pause', 'Paused'],
				['complete', 'Completed'],
				['archive', 'Archived'],
			]) {
				sim.injectFault({ kind: 'hang', apply: true, match: { method: 'PUT' } });
				const result = await run({ resource: 'campaign', operation: action, campaignId: rl(id) });
				expect(result.error).toBeUndefined();
				expect(result.output[0].json).toMatchObject({ id, status });
			}
		});

		it('a refusal of the first attempt still fails: pausing a paused campaign', async () => {
			const id = await newCampaign();
			await run({ resource: 'campaign', operation: 'pause', campaignId: rl(id) });
			sim.requests.length = 0;
			const result = await run({ resource: 'campaign', operation: 'pause', campaignId: rl(id) });
			expect(result.error?.message).toBe(`Item 1: Exotel refused to pause campaign ${id}: it is Paused, which allows resume, complete, update (callbacks only)`);
			expect(campaignRequests()).toEqual([
				['PUT', 400],
				['GET', 200],
			]);
		});

		it('a resend refused for another status still fails, naming that status', async () => {
			const id = await newCampaign();
			// Complete is not allowed from Created: the first attempt, answered 502, changed nothing.
			sim.injectFault({ kind: 'status', status: 502, apply: true, match: { method: 'PUT' } });
			const result = await run({ resource: 'campaign', operation: 'complete', campaignId: rl(id) });
			expect(result.error?.message).toBe(`Item 1: Exotel refused to complete campaign ${id}: it is Created, which allows pause, delete, update (any field)`);
		});
	});
});
