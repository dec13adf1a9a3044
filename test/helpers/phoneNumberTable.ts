/**
 * The README's table of phone numbers: what the node sends for each way a number is written, without
 * and with the Default Country Code option (`91`). Contact Create, Contact Update and CSV Upload from
 * items are each tested on every row. `error` is part of the reason the item is rejected with.
 */
export type PhoneNumberOutcome = { sent: string } | { error: string };

export interface PhoneNumberRow {
	input: string;
	/** What the row shows, for the README and test names. */
	note: string;
	withoutCountryCode: PhoneNumberOutcome;
	withCountryCode: PhoneNumberOutcome;
}

export const TABLE_COUNTRY_CODE = '91';

const same = (sent: string) => ({ withoutCountryCode: { sent }, withCountryCode: { sent } });
const rejected = (error: string) => ({ withoutCountryCode: { error }, withCountryCode: { error } });

export const PHONE_NUMBER_TABLE: PhoneNumberRow[] = [
	{ input: '+919876543210', note: 'E.164', ...same('+919876543210') },
	{ input: '+91 98765-43210', note: 'E.164 with a space and a dash', ...same('+919876543210') },
	{
		input: '919876543210',
		note: 'country code without +',
		withoutCountryCode: { sent: '919876543210' },
		withCountryCode: { sent: '+919876543210' },
	},
	{
		input: '9876543210',
		note: 'national (10-digit mobile)',
		withoutCountryCode: { sent: '9876543210' },
		withCountryCode: { sent: '+919876543210' },
	},
	{
		input: '98765 43210',
		note: 'national with a space',
		withoutCountryCode: { sent: '9876543210' },
		withCountryCode: { sent: '+919876543210' },
	},
	{
		input: '9123456789',
		note: 'national mobile that starts with 91',
		withoutCountryCode: { sent: '9123456789' },
		withCountryCode: { sent: '+919123456789' },
	},
	{
		input: '09876543210',
		note: 'mobile with the trunk 0',
		withoutCountryCode: { sent: '09876543210' },
		withCountryCode: { sent: '+919876543210' },
	},
	{ input: '00919876543210', note: '00 international prefix', ...same('+919876543210') },
	{
		input: '08012345678',
		note: 'landline with STD code',
		withoutCountryCode: { sent: '08012345678' },
		withCountryCode: { sent: '+918012345678' },
	},
	{
		input: '(080) 1234.5678',
		note: 'landline with brackets and a dot',
		withoutCountryCode: { sent: '08012345678' },
		withCountryCode: { sent: '+918012345678' },
	},
	{ input: '+44 (0)20 7946 0958', note: 'E.164 with (0) after the country code', ...same('+442079460958') },
	{ input: '+1 (212) 555-1234', note: 'another country, E.164', ...same('+12125551234') },
	{ input: '+91 09876543210', note: 'trunk 0 after the country code', ...same('+919876543210') },
	{
		input: '9109876543210',
		note: 'country code and trunk 0 without +',
		withoutCountryCode: { sent: '9109876543210' },
		withCountryCode: { sent: '+919876543210' },
	},
	{
		input: '9876543210.0',
		note: 'a spreadsheet float',
		withoutCountryCode: { sent: '9876543210' },
		withCountryCode: { sent: '+919876543210' },
	},
	{
		input: '9.87654321E9',
		note: 'scientific notation with all the digits',
		withoutCountryCode: { sent: '9876543210' },
		withCountryCode: { sent: '+919876543210' },
	},
	{
		input: '9.87654E+09',
		note: 'scientific notation, rounded by the sheet',
		...rejected('it is in scientific notation, which has lost its last digits'),
	},
	{
		input: '1800 123 4567',
		note: 'Indian toll-free',
		withoutCountryCode: { sent: '18001234567' },
		withCountryCode: { sent: '+9118001234567' },
	},
	{ input: '+971 050 123 4567', note: 'UAE mobile, trunk 0 after the country code', ...same('+971501234567') },
	{ input: '+65 6123 4567', note: 'Singapore (8 digits, no trunk 0)', ...same('+6561234567') },
	{
		input: '+91 98765 4321',
		note: 'Indian number one digit short',
		...rejected('after +91 it has 9 digits; numbers in India have 10 digits without the country code and the trunk 0'),
	},
	{
		input: '987654321',
		note: 'national, one digit short',
		withoutCountryCode: { sent: '987654321' },
		withCountryCode: { error: 'with country code 91 it has 9 digits; numbers in India have 10 digits without the country code and the trunk 0' },
	},
	{
		input: '987654321012345',
		note: '15 digits: not an Indian number with the country code',
		withoutCountryCode: { sent: '987654321012345' },
		withCountryCode: { error: 'with country code 91 it has 15 digits; numbers in India have 10 digits without the country code and the trunk 0' },
	},
	{ input: '12345', note: 'too short', ...rejected('it has 5 digits; a phone number has 6 to 15') },
	{ input: '+91987654321012345', note: 'too long', ...rejected('it has 17 digits; a phone number has 6 to 15') },
	{ input: '98765 43210x', note: 'letters', ...rejected('it contains letters') },
	{
		input: '98765#43210',
		note: 'other characters',
		...rejected('it has characters other than digits, a leading +, spaces, dashes, dots and brackets'),
	},
	{ input: '+0919876543210', note: 'country code starting with 0', ...rejected('a country code after + (or 00) cannot start with 0') },
];
