import type { IDataObject } from 'n8n-workflow';

import { runExotel } from '../helpers/harness';
import type { OnError } from '../helpers/harness';
import { useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';

describe('Number → Get Metadata', () => {
	let sim: ExotelSimulator;
	useSimulator((started) => (sim = started));

	const run = (items: IDataObject[], onError?: OnError) =>
		runExotel({
			credentials: { ...sim.credentials },
			parameters: { resource: 'number', operation: 'getMetadata', number: '={{ $json.phone }}' },
			items,
			onError,
		});

	it('gives circle, operator, type and DND as Exotel spells them, plus dnd true/false/null, for numbers as CRMs hold them', async () => {
		// The simulator's DND comes from the last digit: 3 Yes, 4 Unavailable, others No.
		const result = await run([{ phone: '98765 43213' }, { phone: '+91 98765-43210' }, { phone: '09876543214' }, { phone: '919876543219' }]);
		expect(result.error).toBeUndefined();
		// Exotel's examples write Indian numbers as 0 and ten digits: sent that way whatever the input.
		expect(sim.requests.map((request) => request.path)).toEqual(
			['09876543213', '09876543210', '09876543214', '09876543219'].map((n) => `/v1/Accounts/${sim.credentials.accountSid}/Numbers/${n}.json`),
		);
		expect(result.output.map((item) => [item.json.DND, item.json.dnd])).toEqual([
			['Yes', true],
			['No', false],
			['Unavailable', null],
			['No', false],
		]);
		expect(result.output[0].json).toMatchObject({ PhoneNumber: '09876543213', Type: 'Mobile' });
		expect(Object.keys(result.output[0].json)).toEqual(
			expect.arrayContaining(['Circle', 'CircleName', 'Operator', 'OperatorName']),
		);
		expect(result.output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	});

	it('reads the answer under Number as well as Numbers', async () => {
		sim.numberSettings.key = 'Number';
		const result = await run([{ phone: '9876543213' }]);
		expect(result.error).toBeUndefined();
		expect(result.output[0].json).toMatchObject({ DND: 'Yes', dnd: true });
	});

	it('refuses a number that is not Indian, or not a number, before any request, naming the item and the field', async () => {
		const result = await run([{ phone: '+14155550123' }, { phone: 'call me' }, { phone: '9876543210' }], 'continueErrorOutput');
		expect(sim.requests).toHaveLength(1);
		expect(result.errorOutput.map((item) => item.json.error)).toEqual([
			'Item 1: Phone Number "+14155550123" is not an Indian number; Exotel looks up Indian numbers only',
			expect.stringMatching(/^Item 2: Phone Number "call me" is not a phone number/),
		]);
		expect(result.errorOutput.map((item) => (item.json.details as IDataObject).field)).toEqual(['Phone Number', 'Phone Number']);
		expect(result.output.map((item) => item.json.dnd)).toEqual([false]);
	});

	it("gives Exotel's refusal (its RestException) as the item's error, the other items going through", async () => {
		sim.injectFault({ kind: 'status', status: 403, match: { path: '/Numbers/09876543211.json' } });
		const result = await run([{ phone: '9876543210' }, { phone: '9876543211' }], 'continueErrorOutput');
		expect(result.output.map((item) => item.json.PhoneNumber)).toEqual(['09876543210']);
		expect(result.errorOutput).toHaveLength(1);
		expect(result.errorOutput[0].json.error).toMatch(/^Exotel: /);
		expect(result.errorOutput[0].pairedItem).toEqual({ item: 1 });
		expect((result.errorOutput[0].json.details as IDataObject).httpCode).toBe(403);
	});
});
