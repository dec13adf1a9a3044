import fc from 'fast-check';

import { COUNTRIES, InvalidCountryCode, InvalidPhoneNumber, phoneNumberToSend } from '../../nodes/Exotel/helpers/phoneNumber';

/** Property-based tests of the one phone number normaliser (rules in its file). */

const digits = (length: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));

/** A valid Indian mobile: 10 digits, the first 6 to 9. */
const indianMobile = fc.tuple(fc.integer({ min: 6, max: 9 }), digits(9)).map(([first, rest]) => `${first}${rest}`);

/** Separators people put between digits. */
const separator = fc.constantFrom('', '', '', ' ', '-', '.', '  ', '\u2013');

/** `text` with a random separator after each character (a leading `+` stays in front). */
function spaced(text: string, separators: string[]): string {
	return [...text].map((char, index) => char + (char === '+' ? '' : (separators[index] ?? ''))).join('');
}

/** Scientific notation as Java or a script writes a double (`9.87654321E9`), trailing zeros dropped. */
function scientific(number: string): { text: string; zerosDropped: number } {
	const fraction = number.slice(1).replace(/0+$/, '');
	return { text: `${number[0]}${fraction ? `.${fraction}` : ''}E${number.length - 1}`, zerosDropped: number.length - 1 - fraction.length };
}

describe('phone numbers: properties', () => {
	it('any valid Indian mobile, in any accepted spelling, normalises to the same E.164 with country code 91', () => {
		fc.assert(
			fc.property(indianMobile, fc.array(separator, { minLength: 16, maxLength: 16 }), (mobile, separators) => {
				const expected = `+91${mobile}`;
				const spellings: unknown[] = [
					mobile,
					`0${mobile}`,
					`91${mobile}`,
					`910${mobile}`,
					`+91${mobile}`,
					`+910${mobile}`,
					`+91 (0)${mobile}`,
					`0091${mobile}`,
					`(+91) ${mobile}`,
					`${mobile}.0`,
					`+91${mobile}.0`,
					Number(mobile),
					spaced(mobile, separators),
					spaced(`+91${mobile}`, separators),
					spaced(`0${mobile}`, separators),
				];
				for (const spelling of spellings) expect([spelling, phoneNumberToSend(spelling, '91')]).toEqual([spelling, expected]);
				// Numbers with + need no default country code.
				expect(phoneNumberToSend(`+91 0${mobile}`)).toBe(expected);
				const { text, zerosDropped } = scientific(mobile);
				if (zerosDropped <= 2) expect(phoneNumberToSend(text, '91')).toBe(expected);
				else expect(() => phoneNumberToSend(text, '91')).toThrow(InvalidPhoneNumber);
			}),
			{ numRuns: 200 },
		);
	});

	it('a number one digit short or long for India is refused with country code 91, never sent as someone else’s', () => {
		fc.assert(
			fc.property(indianMobile, fc.boolean(), fc.integer({ min: 0, max: 9 }), (mobile, longer, extra) => {
				const wrong = longer ? `${mobile}${extra}` : mobile.slice(0, 9);
				// A longer number that reads as 91 + a national number (or 1800/1860 + 6–7 digits) is a real one.
				const readsAsOther = /^91[1-9]\d{9}$/.test(wrong) || /^91?0?1(800|860)/.test(wrong);
				fc.pre(!readsAsOther);
				expect(() => phoneNumberToSend(wrong, '91')).toThrow(InvalidPhoneNumber);
				expect(() => phoneNumberToSend(`+91${wrong}`)).toThrow(InvalidPhoneNumber);
			}),
			{ numRuns: 200 },
		);
	});

	/** Every way `input` (its digits `written`) may legitimately become `sent` (its digits, no `+`). */
	function explains(written: string, sent: string, countryCode: string | undefined): boolean {
		const bases = [written, ...(written.startsWith('00') ? [written.slice(2)] : [])];
		const candidates = new Set<string>();
		for (const base of bases) {
			candidates.add(base);
			if (countryCode !== undefined) {
				candidates.add(countryCode + base);
				if (base.startsWith('0')) candidates.add(countryCode + base.slice(1));
			}
			for (const code of Object.keys(COUNTRIES)) {
				if (base.startsWith(`${code}0`)) candidates.add(code + base.slice(code.length + 1));
			}
		}
		return candidates.has(sent);
	}

	it('output is "+" and 6 to 15 digits (or, without a country code, the digits as written); only a 00, trunk 0 or country code changes', () => {
		const countryCode = fc.option(fc.constantFrom(...Object.keys(COUNTRIES), '49', '39', '7'), { nil: undefined });
		const written = fc.tuple(fc.constantFrom('', '', '+', '00', '0'), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 4, maxLength: 17 }));
		fc.assert(
			fc.property(written, fc.array(separator, { minLength: 20, maxLength: 20 }), countryCode, ([prefix, numberDigits], separators, code) => {
				const input = spaced(`${prefix}${numberDigits.join('')}`, separators);
				let sent: string;
				try {
					sent = phoneNumberToSend(input, code);
				} catch (error) {
					expect(error).toBeInstanceOf(InvalidPhoneNumber);
					return;
				}
				const inputDigits = input.replace(/\D/g, '');
				if (sent.startsWith('+')) {
					expect(sent).toMatch(/^\+[1-9]\d{5,14}$/);
				} else {
					// Sent as written: only without + and without a default country code.
					expect(code).toBeUndefined();
					expect(prefix).not.toBe('+');
					expect(sent).toBe(inputDigits);
				}
				expect(explains(inputDigits, sent.replace(/^\+/, ''), code)).toBe(true);
			}),
			{ numRuns: 1000 },
		);
	});

	it('random junk never throws anything but InvalidPhoneNumber (or InvalidCountryCode for the code)', () => {
		const junk = fc.oneof(
			fc.string(),
			fc.string({ unit: fc.constantFrom('0', '1', '9', '+', '(', ')', '.', 'e', 'E', ' ', '-', ',', '0') }),
			fc.string({ unit: 'grapheme' }),
			fc.double(),
			fc.bigInt(),
			fc.anything(),
		);
		const code = fc.oneof(fc.constant(undefined), fc.constantFrom('91', '+44', '1', ''), fc.string(), fc.anything());
		fc.assert(
			fc.property(junk, code, (value, countryCode) => {
				try {
					const sent = phoneNumberToSend(value, countryCode);
					expect(sent).toMatch(/^\+?\d{6,15}$/);
				} catch (error) {
					expect(error instanceof InvalidPhoneNumber || error instanceof InvalidCountryCode).toBe(true);
				}
			}),
			{ numRuns: 1000 },
		);
	});
});
