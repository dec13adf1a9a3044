import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { collectCursorPages, v2BetaListShape } from '../helpers/cursorPagination';

/** More ExoPhones than any account has; a bound on what one search reads. */
const MAX_EXOPHONES = 1000;

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/** Digits only, so "080 4711" finds "+918047112345". */
const digits = (value: string) => value.replace(/\D/g, '');

function matches(phone: IDataObject, filter: string): boolean {
	const wanted = filter.trim().toLowerCase();
	if (!wanted) return true;
	const number = text(phone.phone_number);
	const name = text(phone.friendly_name).toLowerCase();
	if (name.includes(wanted) || number.toLowerCase().includes(wanted)) return true;
	const wantedDigits = digits(wanted);
	// Exotel answers with +91…, people type 080…: compare without the trunk 0 and the country code.
	return wantedDigits.length >= 3 && digits(number).includes(wantedDigits.replace(/^0/, ''));
}

/**
 * The caller-ID picker: the account's ExoPhones (Exotel's v2_beta IncomingPhoneNumbers, read through
 * the cursor pager), filtered by the typed text against the number and the friendly name.
 */
export async function searchExoPhones(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const phones = await collectCursorPages(
		this,
		{ method: 'GET', url: '/IncomingPhoneNumbers', api: 'v2_beta' },
		v2BetaListShape('incoming_phone_numbers'),
		MAX_EXOPHONES,
	);
	return {
		results: phones
			.filter((phone) => text(phone.phone_number) && matches(phone, filter ?? ''))
			.map((phone) => {
				const number = text(phone.phone_number);
				const name = text(phone.friendly_name).trim();
				return { name: name && name !== number ? `${number} (${name})` : number, value: number };
			}),
	};
}
