import { apiFamily } from '../../nodes/Exotel/transport';

// Exotel limits each family of its APIs on its own, so a 429 in one never holds another.
describe('transport: API families', () => {
	it.each([
		['v2', '/campaigns', 'campaigns'],
		['v2', '/campaigns/abc/call-details', 'campaigns'],
		['v2', '/contacts', 'contacts'],
		['v2', '/lists/abc/contacts', 'contacts'],
		['v2', '/contacts/csv-upload', 'contacts'],
		['v1', '/Calls/connect.json', 'voice'],
		['v1', '/Calls.json', 'voice'],
		['v1', '/Numbers/09876543210.json', 'voice'],
		['v2_beta', '/IncomingPhoneNumbers', 'voice'],
		['v1', '/Sms/send.json', 'sms'],
		['v1', '/SMS/Messages/abc.json', 'sms'],
		['v1', '/Sms/bulksend.json', 'smsBulk'],
	] as const)('%s %s counts against %s', (api, path, family) => {
		expect(apiFamily(api, path)).toBe(family);
	});
});
