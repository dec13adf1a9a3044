/**
 * Phone numbers as CRMs and spreadsheets hold them, made into what Exotel takes. Shared by Contact
 * Create, Contact Update and CSV Upload from items.
 *
 * `normalizePhoneNumber(value, defaultCountryCode?)` returns the number to send, or throws
 * `InvalidPhoneNumber` (its `reason` says why in a few words, e.g. `it has 5 digits; a phone number has
 * 6 to 15`, and `hint` what to write instead) or `InvalidCountryCode` (the country code is wrong, not
 * the number). Node code usually calls the wrapper in `validation.ts`, which turns both into an error
 * naming the item and the field.
 *
 * The rules (the README's table shows examples):
 * 1. Spaces, dashes, dots and brackets are removed; `+44 (0)20…` loses the `(0)` written after a
 *    country code. Letters, or any other character, make it not a phone number.
 * 2. `00` at the start is the international prefix: `0091…` is `+91…`.
 * 3. It must have 6 to 15 digits (not counting a `00` prefix), and a country code after `+` does not
 *    start with 0.
 * 4. With `+` (or `00`) it goes as E.164: `+` and the digits.
 * 5. Without `+` and without a default country code it goes as written (Exotel matches it to a
 *    country itself): `9876543210`, `919876543210`, `08012345678`.
 * 6. Without `+` and with a default country code `cc` it becomes E.164:
 *    - a leading trunk 0 is dropped and `+cc` put before the rest: `09876543210` → `+919876543210`;
 *    - more than 10 digits starting with `cc` already carry it: `919876543210` → `+919876543210`;
 *    - anything else is a national number: `9876543210` → `+919876543210`.
 *    (National numbers have at most 10 digits in India, the US, the UK and most countries, so 11 or more
 *    digits starting with the country code are taken to include it.)
 */

/** Separators people type into numbers, which Exotel does not want. */
const SEPARATORS = /[\s\-\u2010-\u2015.()[\]]/g;
/** `+44 (0)20 …`: the trunk 0 some write after the country code. */
const TRUNK_ZERO_AFTER_COUNTRY_CODE = /^(\+\s*\d{1,3})[\s\-.]*\(0\)/;
const LETTERS = /\p{L}/u;
const MIN_DIGITS = 6;
const MAX_DIGITS = 15;
/** The longest national number in the countries this node's users call (see rule 6 above). */
const MAX_NATIONAL_DIGITS = 10;

const HINT =
	'Write the number with its country code (e.g. +919876543210 or 919876543210), as a national number (9876543210), or as a landline with its STD code (08012345678).';

export class InvalidPhoneNumber extends Error {
	constructor(
		readonly reason: string,
		readonly hint: string = HINT,
	) {
		super(reason);
		this.name = 'InvalidPhoneNumber';
	}
}

export class InvalidCountryCode extends Error {
	constructor(readonly reason: string) {
		super(reason);
		this.name = 'InvalidCountryCode';
	}
}

/** A default country code as digits (`91`); `+91` and ` 91 ` are accepted, empty means none. */
export function normalizeCountryCode(value: unknown): string | undefined {
	const text = value === undefined || value === null ? '' : String(value).trim().replace(/^\+/, '');
	if (!text) return undefined;
	if (!/^[1-9]\d{0,2}$/.test(text)) {
		throw new InvalidCountryCode('is not a country code: use its 1 to 3 digits, e.g. 91 for India');
	}
	return text;
}

function digitCountProblem(count: number): string | undefined {
	if (count < MIN_DIGITS || count > MAX_DIGITS) {
		return `it has ${count} digit${count === 1 ? '' : 's'}; a phone number has ${MIN_DIGITS} to ${MAX_DIGITS}`;
	}
	return undefined;
}

/** The number to send to Exotel (see the rules above), or an InvalidPhoneNumber / InvalidCountryCode. */
export function normalizePhoneNumber(value: string, defaultCountryCode?: string): string {
	const countryCode = normalizeCountryCode(defaultCountryCode);
	const text = String(value ?? '').trim();
	if (!text) throw new InvalidPhoneNumber('it is empty', 'Every contact needs a phone number, e.g. +919876543210.');
	if (LETTERS.test(text)) throw new InvalidPhoneNumber('it contains letters');

	const compact = text.replace(TRUNK_ZERO_AFTER_COUNTRY_CODE, '$1').replace(SEPARATORS, '');
	if (!/^\+?\d+$/.test(compact)) {
		throw new InvalidPhoneNumber('it has characters other than digits, a leading +, spaces, dashes, dots and brackets');
	}

	const international = compact.startsWith('+') ? compact.slice(1) : compact.startsWith('00') ? compact.slice(2) : undefined;
	if (international !== undefined) {
		const problem = digitCountProblem(international.length);
		if (problem) throw new InvalidPhoneNumber(problem);
		if (international.startsWith('0')) {
			throw new InvalidPhoneNumber('a country code after + (or 00) cannot start with 0');
		}
		return `+${international}`;
	}

	const problem = digitCountProblem(compact.length);
	if (problem) throw new InvalidPhoneNumber(problem);
	if (countryCode === undefined) return compact;

	let e164: string;
	if (compact.startsWith('0')) e164 = `+${countryCode}${compact.slice(1)}`;
	else if (compact.length > MAX_NATIONAL_DIGITS && compact.startsWith(countryCode)) e164 = `+${compact}`;
	else e164 = `+${countryCode}${compact}`;
	if (e164.length - 1 > MAX_DIGITS) {
		throw new InvalidPhoneNumber(
			`with country code ${countryCode} it has ${e164.length - 1} digits; a phone number has at most ${MAX_DIGITS}`,
		);
	}
	return e164;
}
