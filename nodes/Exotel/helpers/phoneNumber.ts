/**
 * Phone numbers as CRMs and spreadsheets hold them, made into what Exotel takes. The one place these
 * rules live: node code calls the wrapper `normalizePhoneNumber` in `validation.ts`, which turns the
 * errors below into an error naming the item and the field.
 *
 * `phoneNumberToSend(value, defaultCountryCode?)` returns the number to send, or throws
 * `InvalidPhoneNumber` (its `reason` says why in a few words, `hint` what to write instead) or
 * `InvalidCountryCode` (the country code is wrong, not the number). It never guesses: a number that
 * could be read two ways is refused.
 *
 * The rules (the README's table shows examples):
 * 1. A spreadsheet's number comes as its digits: a JSON number must be a whole number; `9876543210.0`
 *    (a float written out) is `9876543210`; scientific notation (`9.87654321E9`) is read only when it
 *    is exact, i.e. it has all the digits but at most 2 trailing zeros (a sheet showing `9.87654E+09`
 *    has rounded the number away).
 * 2. Spaces, dashes, dots and brackets are removed; `+44 (0)20…` loses the `(0)` written after a
 *    country code. Letters, or any other character, make it not a phone number.
 * 3. `00` at the start is the international prefix: `0091…` is `+91…`.
 * 4. It must have 6 to 15 digits (not counting a `00` prefix), and a country code after `+` does not
 *    start with 0.
 * 5. With `+` (or `00`) it goes as E.164. For the countries in COUNTRIES, a trunk 0 written after the
 *    country code is dropped (`+91 09876543210` → `+919876543210`) and the national number must have
 *    one of the country's lengths.
 * 6. Without `+` and without a default country code it goes as written, digits only (Exotel matches it
 *    to a country itself): `9876543210`, `919876543210`, `08012345678`.
 * 7. Without `+` and with a default country code `cc` it becomes E.164:
 *    - for a country in COUNTRIES: a leading trunk 0 is dropped (`09876543210` → `+919876543210`); a
 *      number of a national length is national (`9876543210`, also `9123456789`); a number that starts
 *      with `cc` and has a national length after it carries the country code (`919876543210`, also
 *      `9109876543210`). Anything else is refused, naming the lengths the country's numbers have;
 *    - for another country: a leading trunk 0 is dropped, more than 10 digits starting with `cc` carry
 *      it, anything else is national.
 */

/** A country whose numbering Exotel's users call: national significant number lengths, trunk prefix. */
export interface Country {
	name: string;
	/** Lengths of the national number (without country code and without trunk 0). */
	lengths: number[];
	/** Whether numbers are written nationally with a leading 0 that is dropped after the country code. */
	trunkZero: boolean;
	/** Toll-free or other national numbers whose length is outside `lengths`. */
	special?: RegExp;
}

/**
 * Countries where Exotel has customers or their customers call, from the ITU national numbering plans
 * (national significant numbers: mobiles and landlines with their area codes). Country codes are
 * prefix-free, so one number matches at most one entry.
 */
export const COUNTRIES: Record<string, Country> = {
	'1': { name: 'the US and Canada', lengths: [10], trunkZero: false },
	'44': { name: 'the UK', lengths: [9, 10], trunkZero: true },
	'60': { name: 'Malaysia', lengths: [8, 9, 10], trunkZero: true },
	'61': { name: 'Australia', lengths: [9], trunkZero: true },
	'62': { name: 'Indonesia', lengths: [8, 9, 10, 11, 12], trunkZero: true },
	'63': { name: 'the Philippines', lengths: [8, 9, 10], trunkZero: true },
	'65': { name: 'Singapore', lengths: [8], trunkZero: false, special: /^1[89]00\d{7}$/ },
	'66': { name: 'Thailand', lengths: [8, 9], trunkZero: true },
	'84': { name: 'Vietnam', lengths: [9, 10], trunkZero: true },
	'91': { name: 'India', lengths: [10], trunkZero: true, special: /^1(?:800|860)\d{6,7}$/ },
	'94': { name: 'Sri Lanka', lengths: [9], trunkZero: true },
	'880': { name: 'Bangladesh', lengths: [8, 9, 10], trunkZero: true },
	'966': { name: 'Saudi Arabia', lengths: [9], trunkZero: true, special: /^800\d{7}$/ },
	'971': { name: 'the UAE', lengths: [8, 9], trunkZero: true },
	'977': { name: 'Nepal', lengths: [8, 10], trunkZero: true },
};

/** Separators people type into numbers, which Exotel does not want. */
const SEPARATORS = /[\s\-\u2010-\u2015.()[\]]/g;
/** `+44 (0)20 …`: the trunk 0 some write after the country code. */
const TRUNK_ZERO_AFTER_COUNTRY_CODE = /^(\+\s*\d{1,3})[\s\-.]*\(0\)/;
/** A float written out by a spreadsheet or a script: `9876543210.0`. */
const WRITTEN_FLOAT = /^(\+?\d+)\.0{1,2}$/;
/** Scientific notation: `9.87654321E9`, `9,87654321E+09`. */
const SCIENTIFIC = /^(\+?)(\d)(?:[.,](\d+))?e\+?(\d{1,2})$/i;
/** Zeros an exponent may add: more means the spreadsheet rounded the number when it wrote it. */
const MAX_EXPONENT_ZEROS = 2;
const LETTERS = /\p{L}/u;
const MIN_DIGITS = 6;
const MAX_DIGITS = 15;
/** The longest national number in most countries not in COUNTRIES (rule 7). */
const MAX_NATIONAL_DIGITS = 10;

const HINT =
	'Write the number with its country code (e.g. +919876543210 or 919876543210), as a national number (9876543210), or as a landline with its STD code (08012345678).';
const AS_TEXT_HINT = 'Format the column as text (or plain number) in the sheet, so the number keeps all its digits.';

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
	if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number') {
		throw new InvalidCountryCode('is not a country code: use its 1 to 3 digits, e.g. 91 for India');
	}
	const text = value === undefined || value === null ? '' : String(value).trim().replace(/^\+/, '');
	if (!text) return undefined;
	if (!/^[1-9]\d{0,2}$/.test(text)) {
		throw new InvalidCountryCode('is not a country code: use its 1 to 3 digits, e.g. 91 for India');
	}
	return text;
}

/** The entry of COUNTRIES whose code starts `digits` (an E.164 number without its `+`). */
export function countryOf(digits: string): { code: string; country: Country } | undefined {
	for (const length of [1, 2, 3]) {
		const code = digits.slice(0, length);
		if (COUNTRIES[code]) return { code, country: COUNTRIES[code] };
	}
	return undefined;
}

function digitCountProblem(count: number): string | undefined {
	if (count < MIN_DIGITS || count > MAX_DIGITS) {
		return `it has ${count} digit${count === 1 ? '' : 's'}; a phone number has ${MIN_DIGITS} to ${MAX_DIGITS}`;
	}
	return undefined;
}

function isNational(country: Country, national: string): boolean {
	return !national.startsWith('0') && (country.lengths.includes(national.length) || country.special?.test(national) === true);
}

function lengthsText(country: Country): string {
	const { lengths } = country;
	const list = lengths.length === 1 ? `${lengths[0]}` : `${lengths.slice(0, -1).join(', ')} or ${lengths[lengths.length - 1]}`;
	return `numbers in ${country.name} have ${list} digits without the country code${country.trunkZero ? ' and the trunk 0' : ''}`;
}

/** The text of a value as a sheet or CRM gives it: a JSON number becomes its digits, if it is exact. */
function textOf(value: unknown): string {
	if (typeof value === 'number' || typeof value === 'bigint') {
		if (typeof value === 'number' && !Number.isSafeInteger(value)) {
			throw new InvalidPhoneNumber(
				Number.isInteger(value) || !Number.isFinite(value) ? 'it is too large to be exact as a number' : 'it is a number with a fraction',
				AS_TEXT_HINT,
			);
		}
		if (value < 0) throw new InvalidPhoneNumber('it is a negative number');
		return String(value);
	}
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string') throw new InvalidPhoneNumber(`it is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not text or a number`);
	return value.trim();
}

/** `9876543210.0` and `9.87654321E9` as their digits; anything else as it is. */
function unSpreadsheet(text: string): string {
	const float = WRITTEN_FLOAT.exec(text);
	if (float) return float[1];
	const scientific = SCIENTIFIC.exec(text);
	if (!scientific) return text;
	const [, plus, first, fraction = '', exponentText] = scientific;
	const zeros = Number(exponentText) - fraction.length;
	if (zeros < 0) throw new InvalidPhoneNumber('in scientific notation it is not a whole number', AS_TEXT_HINT);
	if (zeros > MAX_EXPONENT_ZEROS) {
		throw new InvalidPhoneNumber('it is in scientific notation, which has lost its last digits', AS_TEXT_HINT);
	}
	return `${plus}${first}${fraction}${'0'.repeat(zeros)}`;
}

/** `+` and the digits after it, for a number written with `+` or `00` (rule 5). */
function international(digits: string): string {
	const problem = digitCountProblem(digits.length);
	if (problem) throw new InvalidPhoneNumber(problem);
	if (digits.startsWith('0')) throw new InvalidPhoneNumber('a country code after + (or 00) cannot start with 0');
	const known = countryOf(digits);
	if (!known) return `+${digits}`;
	const { code, country } = known;
	let national = digits.slice(code.length);
	if (country.trunkZero && national.startsWith('0')) national = national.slice(1);
	if (!isNational(country, national)) {
		throw new InvalidPhoneNumber(`after +${code} it has ${national.length} digits; ${lengthsText(country)}`);
	}
	return `+${code}${national}`;
}

/** E.164 for digits written without `+`, given the default country code (rule 7). */
function withCountryCode(digits: string, code: string): string {
	const country = COUNTRIES[code];
	if (country) {
		if (country.trunkZero && digits.startsWith('0')) {
			const national = digits.slice(1);
			if (isNational(country, national)) return `+${code}${national}`;
		} else if (isNational(country, digits)) {
			return `+${code}${digits}`;
		} else if (digits.startsWith(code)) {
			let national = digits.slice(code.length);
			if (country.trunkZero && national.startsWith('0')) national = national.slice(1);
			if (isNational(country, national)) return `+${code}${national}`;
		}
		throw new InvalidPhoneNumber(`with country code ${code} it has ${digits.length} digits; ${lengthsText(country)}`);
	}
	let e164: string;
	if (digits.startsWith('0')) e164 = `+${code}${digits.slice(1)}`;
	else if (digits.length > MAX_NATIONAL_DIGITS && digits.startsWith(code)) e164 = `+${digits}`;
	else e164 = `+${code}${digits}`;
	if (e164.length - 1 > MAX_DIGITS) {
		throw new InvalidPhoneNumber(`with country code ${code} it has ${e164.length - 1} digits; a phone number has at most ${MAX_DIGITS}`);
	}
	return e164;
}

/** The number to send to Exotel (see the rules above), or an InvalidPhoneNumber / InvalidCountryCode. */
export function phoneNumberToSend(value: unknown, defaultCountryCode?: unknown): string {
	const countryCode = normalizeCountryCode(defaultCountryCode);
	const text = unSpreadsheet(textOf(value));
	if (!text) throw new InvalidPhoneNumber('it is empty', 'Every contact needs a phone number, e.g. +919876543210.');
	if (LETTERS.test(text)) throw new InvalidPhoneNumber('it contains letters');

	const compact = text.replace(TRUNK_ZERO_AFTER_COUNTRY_CODE, '$1').replace(SEPARATORS, '');
	if (!/^\+?\d+$/.test(compact)) {
		throw new InvalidPhoneNumber('it has characters other than digits, a leading +, spaces, dashes, dots and brackets');
	}
	if (compact.startsWith('+')) return international(compact.slice(1));
	if (compact.startsWith('00')) return international(compact.slice(2));

	const problem = digitCountProblem(compact.length);
	if (problem) throw new InvalidPhoneNumber(problem);
	return countryCode === undefined ? compact : withCountryCode(compact, countryCode);
}

/** Digits only, national trunk zeros dropped: `09123456789` and `+919123456789` end the same way. */
function digitsOf(number: unknown): string {
	return String(number ?? '').replace(/\D/g, '').replace(/^0+/, '');
}

/**
 * A number's key for comparing: Exotel answers `0XXXXXXXXXX` for a number sent as E.164, so numbers
 * of 10 digits or more compare on their last 10.
 */
export function numberKey(number: unknown): string {
	const digits = digitsOf(number);
	return digits.length >= 10 ? digits.slice(-10) : digits;
}

/** Whether two numbers are the same as far as Exotel's answers tell. */
export function sameNumber(a: unknown, b: unknown): boolean {
	const key = numberKey(a);
	return key !== '' && key === numberKey(b);
}
