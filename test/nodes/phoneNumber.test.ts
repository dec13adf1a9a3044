import type { IDataObject } from 'n8n-workflow';

import { InvalidCountryCode, InvalidPhoneNumber, phoneNumberToSend } from '../../nodes/Exotel/helpers/phoneNumber';
import { runExotel } from '../helpers/harness';
import { PHONE_NUMBER_TABLE, TABLE_COUNTRY_CODE } from '../helpers/phoneNumberTable';
import type { PhoneNumberRow } from '../helpers/phoneNumberTable';
import { useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';

/** Every row of the README's number table, through a workflow, for Contact Create and Contact Update. */
describe('phone numbers (the README table)', () => {
	let sim: ExotelSimulator;
	useSimulator((started) => (sim = started));

	const run = (parameters: IDataObject, items: IDataObject[]) =>
		runExotel({ credentials: { ...sim.credentials }, parameters: { resource: 'contact', ...parameters } as never, items });

	const parametersFor = (operation: 'create' | 'update', options: IDataObject): IDataObject => {
		if (operation === 'create') return { operation, number: '={{ $json.phone }}', options };
		const [contact] = sim.seedContacts(1);
		return { operation, contactId: contact.sid, updateFields: { number: '={{ $json.phone }}' }, options };
	};

	const sentNumbers = () =>
		sim.requests.flatMap((request) => ((request.body as { contacts?: Array<{ number: string }> })?.contacts ?? []).map((c) => c.number));

	describe.each([['create' as const], ['update' as const]])('Contact %s', (operation) => {
		describe.each([
			['without Default Country Code', {}, (row: PhoneNumberRow) => row.withoutCountryCode],
			[`with Default Country Code ${TABLE_COUNTRY_CODE}`, { defaultCountryCode: TABLE_COUNTRY_CODE }, (row: PhoneNumberRow) => row.withCountryCode],
		])('%s', (_label, options, outcomeOf) => {
			it.each(PHONE_NUMBER_TABLE.map((row) => [row.input, row.note, row] as const))('"%s" (%s)', async (input, _note, row) => {
				const outcome = outcomeOf(row);
				const result = await run(parametersFor(operation, options), [{ phone: input }]);
				if ('sent' in outcome) {
					expect(result.error).toBeUndefined();
					expect(sim.requests.map((request) => [request.method, request.status])).toEqual([
						[operation === 'create' ? 'POST' : 'PUT', 207],
					]);
					expect(sentNumbers()).toEqual([outcome.sent]);
					expect(result.output).toHaveLength(1);
					expect(result.output[0].json.number).toBe(outcome.sent);
				} else {
					expect(result.status).toBe('error');
					expect(result.error?.message).toBe(`Item 1: Phone Number "${input}" is not a phone number: ${outcome.error}`);
					expect(sim.requests).toHaveLength(0);
				}
			});
		});
	});

	it('a number that arrives as a JSON number (a sheet column) is read as its digits', async () => {
		const result = await run({ operation: 'create', number: '={{ $json.phone }}', options: { defaultCountryCode: '91' } }, [
			{ phone: 9876543210 },
		]);
		expect(result.error).toBeUndefined();
		expect(sentNumbers()).toEqual(['+919876543210']);
	});

	it('a JSON number with a fraction, or too large to be exact, is refused; a whole one is its digits', async () => {
		const result = await runExotel({
			credentials: { ...sim.credentials },
			parameters: { resource: 'contact', operation: 'create', number: '={{ $json.phone }}', options: { defaultCountryCode: '91' } } as never,
			items: [{ phone: 9876543210.5 }, { phone: 9.87654321e9 }, { phone: 2 ** 60 }],
			onError: 'continueErrorOutput',
		});
		expect(result.errorOutput.map((item) => item.json.error)).toEqual([
			'Item 1: Phone Number "9876543210.5" is not a phone number: it is a number with a fraction',
			`Item 3: Phone Number "${2 ** 60}" is not a phone number: it is too large to be exact as a number`,
		]);
		expect(sentNumbers()).toEqual(['+919876543210']);
	});

	it('the Default Country Code may be written with +; anything but 1 to 3 digits is refused, naming the field', async () => {
		const plus = await run({ operation: 'create', number: '={{ $json.phone }}', options: { defaultCountryCode: '+91' } }, [
			{ phone: '9876543210' },
		]);
		expect(plus.error).toBeUndefined();
		expect(sentNumbers()).toEqual(['+919876543210']);

		sim.requests.length = 0;
		const wrong = await run({ operation: 'create', number: '={{ $json.phone }}', options: { defaultCountryCode: 'India' } }, [
			{ phone: '9876543210' },
		]);
		expect(wrong.status).toBe('error');
		expect(wrong.error?.message).toBe(
			'Item 1: Default Country Code "India" is not a country code: use its 1 to 3 digits, e.g. 91 for India',
		);
		expect(sim.requests).toHaveLength(0);
	});

	it('an empty number is refused as empty', async () => {
		const result = await run({ operation: 'create', number: '={{ $json.phone }}' }, [{ phone: '  ' }]);
		expect(result.error?.message).toBe('Item 1: Phone Number is empty');
	});

	describe('normalizePhoneNumber, the function CSV Upload from items shares', () => {
		it.each(PHONE_NUMBER_TABLE.map((row) => [row.input, row] as const))('"%s"', (input, row) => {
			for (const [countryCode, outcome] of [
				[undefined, row.withoutCountryCode],
				[TABLE_COUNTRY_CODE, row.withCountryCode],
			] as const) {
				if ('sent' in outcome) expect(phoneNumberToSend(input, countryCode)).toBe(outcome.sent);
				else expect(() => phoneNumberToSend(input, countryCode)).toThrow(new InvalidPhoneNumber(outcome.error));
			}
		});

		it('a wrong country code is its own error', () => {
			expect(() => phoneNumberToSend('9876543210', '091')).toThrow(InvalidCountryCode);
			expect(() => phoneNumberToSend('9876543210', '1234')).toThrow(InvalidCountryCode);
			expect(phoneNumberToSend('9876543210', ' +1 ')).toBe('+19876543210');
		});
	});
});
