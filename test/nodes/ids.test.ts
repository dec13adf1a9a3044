import type { IDataObject } from 'n8n-workflow';

import { runExotel } from '../helpers/harness';
import { rl, useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';

/**
 * Every ID a user types goes into a URL path. A dot segment (`.`, `..`, percent-encoded or not) or a
 * slash would make the request about another record, e.g. `DELETE /lists/<sid>/contacts/..` is
 * `DELETE /lists/<sid>/`, the whole list. Each must fail naming the item and the field, with nothing sent.
 */
const DOT_SEGMENTS = ['.', '..', '%2e%2e', '%2E.', '.%2e', '%2e', '..%2f', '%252e%252e', ' .. '];

describe('IDs cannot leave their resource', () => {
	let sim: ExotelSimulator;
	let root: string;
	useSimulator((started, accountRoot) => {
		sim = started;
		root = accountRoot;
	});

	const run = (parameters: IDataObject, items?: IDataObject[]) =>
		runExotel({ credentials: { ...sim.credentials }, parameters: parameters as never, items, onError: 'continueErrorOutput' });

	/** Runs one item per bad ID; every item must be an error naming it and the field, and nothing sent. */
	async function expectRefused(parameters: IDataObject, field: string) {
		const items = DOT_SEGMENTS.map((id) => ({ id }));
		const result = await run(parameters, items);
		expect(sim.requests).toEqual([]);
		expect(result.output).toEqual([]);
		expect(result.errorOutput.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		result.errorOutput.forEach((item, index) => {
			expect(String(item.json.error)).toMatch(new RegExp(`^Item ${index + 1}: ${field} `));
			expect((item.json.details as IDataObject).field).toBe(field);
		});
	}

	it('List Contact → Remove with Contact ID ".." sends nothing and the list stays', async () => {
		const list = sim.seedList('Keep');
		sim.seedContacts(2, { listSid: list.sid });
		await expectRefused({ resource: 'listContact', operation: 'remove', listId: rl(list.sid), contactId: '={{ $json.id }}' }, 'Contact ID');
		expect(sim.state.lists.has(list.sid)).toBe(true);
		expect(sim.listMembers(list.sid)).toHaveLength(2);
	});

	it('List Contact → Remove with a dot-segment List sends nothing', async () => {
		const [contact] = sim.seedContacts(1);
		await expectRefused({ resource: 'listContact', operation: 'remove', listId: rl('={{ $json.id }}'), contactId: contact.sid }, 'List');
	});

	it.each([
		['contact', 'delete', { contactId: '={{ $json.id }}' }, 'Contact ID'],
		['contact', 'get', { contactId: '={{ $json.id }}' }, 'Contact ID'],
		['contact', 'update', { contactId: '={{ $json.id }}', updateFields: { firstName: 'X' } }, 'Contact ID'],
		['list', 'delete', { listId: rl('={{ $json.id }}') }, 'List'],
		['list', 'get', { listId: rl('={{ $json.id }}') }, 'List'],
		['list', 'update', { listId: rl('={{ $json.id }}'), updateFields: { name: 'X' } }, 'List'],
		['listContact', 'getMany', { listId: rl('={{ $json.id }}') }, 'List'],
		['listContact', 'add', { listId: rl('={{ $json.id }}'), contactId: 'abc123' }, 'List'],
		['listContact', 'add', { listId: rl('abc123'), contactId: '={{ $json.id }}' }, 'Contact ID'],
		['campaign', 'delete', { campaignId: rl('={{ $json.id }}') }, 'Campaign'],
		['campaign', 'get', { campaignId: rl('={{ $json.id }}') }, 'Campaign'],
		['campaign', 'pause', { campaignId: rl('={{ $json.id }}') }, 'Campaign'],
		['campaign', 'getCallDetails', { campaignId: rl('={{ $json.id }}') }, 'Campaign'],
		['csvUpload', 'getStatus', { uploadId: '={{ $json.id }}' }, 'Upload ID'],
		['campaign', 'create', { name: 'Renewals', callerId: '08047112345', appId: '926', listIds: '={{ $json.id }}' }, 'List IDs'],
		['campaign', 'update', { campaignId: rl('abc123'), updateFields: { listIds: '={{ $json.id }}' } }, 'List IDs'],
		['call', 'get', { callSid: '={{ $json.id }}' }, 'Call SID'],
		['call', 'waitForCompletion', { callSid: '={{ $json.id }}' }, 'Call SID'],
		['sms', 'get', { smsSid: '={{ $json.id }}' }, 'SMS SID'],
		['exoPhone', 'get', { exoPhoneId: rl('={{ $json.id }}') }, 'ExoPhone'],
	])('%s %s: a dot-segment %s (any encoding) is refused before any request', async (resource, operation, parameters, field) => {
		await expectRefused({ resource, operation, ...parameters }, field as string);
	});

	it('the same dot segments inside a pasted URI are refused too', async () => {
		const uris = [
			`${root}/lists/..`,
			`${root}/lists/%2e%2e`,
			`${sim.url}${root}/lists/%2E.?x=1`,
			`${root}/lists/../lists`,
			`${root}/lists/x/../..`,
		];
		const result = await run(
			{ resource: 'list', operation: 'delete', listId: rl('={{ $json.id }}') },
			uris.map((id) => ({ id })),
		);
		expect(sim.requests).toEqual([]);
		expect(result.errorOutput).toHaveLength(uris.length);
		result.errorOutput.forEach((item, index) => expect(String(item.json.error)).toMatch(new RegExp(`^Item ${index + 1}: List `)));
	});

	it('v1 URIs as Exotel gives them (a call\'s Uri, an SMS\'s Uri) give their SID; dot segments in them send nothing', async () => {
		const sid = 'b6cfaf5b2ed8c01b0ec1bc2b7b0f1622';
		const account = sim.credentials.accountSid;
		const result = await run({ resource: 'call', operation: 'get', callSid: '={{ $json.id }}' }, [
			{ id: `/v1/Accounts/${account}/Calls/${sid}.json` },
			{ id: `/v1/Accounts/${account}/Calls.json/${sid}` },
			{ id: `/v1/Accounts/${account}/Calls/%2e%2e.json` },
			{ id: `/v1/Accounts/${account}/Calls/../Calls/${sid}` },
		]);
		// The simulator does not know this call: both readable URIs ask for it by its SID, the others ask nothing.
		expect(sim.requests.map((request) => request.path)).toEqual(Array(2).fill(`/v1/Accounts/${account}/Calls/${sid}.json`));
		expect(result.errorOutput.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(String(result.errorOutput[2].json.error)).toMatch(/^Item 3: Call SID ".*" is not a call SID or URI/);
		expect(String(result.errorOutput[3].json.error)).toMatch(/^Item 4: Call SID ".*" is not a call SID or URI: it has a "\." or "\.\." segment/);
	});

	it('a URI of another resource is not taken as this one', async () => {
		const [contact] = sim.seedContacts(1);
		const result = await run({ resource: 'list', operation: 'delete', listId: rl(`${root}/contacts/${contact.sid}`) });
		expect(sim.requests).toEqual([]);
		expect(String(result.errorOutput[0].json.error)).toMatch(/^Item 1: List ".*" is not a list ID or URI/);
	});

	it('SIDs, and the URIs Exotel gives, still work: the SID is taken from them', async () => {
		const list = sim.seedList('Mine');
		const [contact] = sim.seedContacts(1, { listSid: list.sid });
		const result = await run({ resource: 'contact', operation: 'get', contactId: '={{ $json.id }}' }, [
			{ id: contact.sid },
			{ id: ` ${contact.sid} ` },
			{ id: `${root}/contacts/${contact.sid}` },
			{ id: `${sim.url}${root}/contacts/${contact.sid}/` },
		]);
		expect(result.errorOutput).toEqual([]);
		expect(sim.requests.map((request) => request.path)).toEqual(Array(4).fill(`${root}/contacts/${contact.sid}`));

		sim.requests.length = 0;
		const lists = await run({ resource: 'list', operation: 'get', listId: rl('={{ $json.id }}') }, [{ id: list.uri }, { id: list.sid }]);
		expect(lists.errorOutput).toEqual([]);
		expect(sim.requests.map((request) => request.path)).toEqual(Array(2).fill(`${root}/lists/${list.sid}`));
	});
});
