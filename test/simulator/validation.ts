/** Field formats Exotel checks, shared by the JSON contact calls and the CSV import. */

const NUMBER_RE = /^(?:\+[1-9]\d{7,14}|0\d{7,14})$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** E.164 (+919XXXXXXXXX) or a landline with its STD code (0XXXXXXXXXX). */
export function isValidNumber(n: unknown): n is string {
	return typeof n === 'string' && NUMBER_RE.test(n);
}

export function isValidEmail(e: string): boolean {
	return EMAIL_RE.test(e);
}
