/** Field formats Exotel checks, shared by the JSON contact calls and the CSV import. */

// Exotel also takes a number without + (matched to a country by Exotel): `919876543210`, `9876543210`.
const NUMBER_RE = /^(?:\+[1-9]\d{7,14}|0\d{7,14}|[1-9]\d{5,14})$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** E.164 (+919XXXXXXXXX), a landline with its STD code (0XXXXXXXXXX), or digits without + (9876543210). */
export function isValidNumber(n: unknown): n is string {
	return typeof n === 'string' && NUMBER_RE.test(n);
}

export function isValidEmail(e: string): boolean {
	return EMAIL_RE.test(e);
}
