/**
 * Number metadata: `GET /v1/Accounts/<sid>/Numbers/<number>.json` (Indian numbers only).
 *
 * Answer `{"Numbers":{PhoneNumber, Circle, CircleName, Type, Operator, OperatorName, DND}}` with PhoneNumber
 * in `0XXXXXXXXXX` form; `sim.numberSettings.key = 'Number'` answers under `Number` instead (both are seen).
 * Deterministic by the digits of the number (any Indian form: +91…, 91…, 0…, ten digits):
 * - Type: Mobile when the ten digits start 6–9, else Landline (an STD code such as 022, 044).
 * - DND by the last digit: 3 → Yes, 4 → Unavailable, else No.
 * - Circle by the second-last digit, Operator by the third-last (tables below).
 * A number that is not Indian (another country code, wrong length) → 400 RestException, or 404 with
 * `sim.numberSettings.nonIndianStatus = 404`.
 */
import type { ResourceFactory } from './routing';
import type { Store } from './store';
import { RestError, indianNumber, stripJson, v1Json } from './v1Replies';

export interface NumberSettings {
	/** Key of the answer object: `Numbers` (default) or `Number`. */
	key: 'Numbers' | 'Number';
	/** Status for a number that is not Indian: 400 (default) or 404. */
	nonIndianStatus: 400 | 404;
}

const CIRCLES: Array<[string, string]> = [
	['GJ', 'Gujarat Telecom Circle'],
	['MH', 'Maharashtra Telecom Circle'],
	['MU', 'Mumbai Metro Telecom Circle'],
	['DL', 'Delhi Metro Telecom Circle'],
	['KA', 'Karnataka Telecom Circle'],
	['TN', 'Tamil Nadu Telecom Circle'],
	['KO', 'Kolkata Metro Telecom Circle'],
	['UE', 'Uttar Pradesh (East) Telecom Circle'],
	['AP', 'Andhra Pradesh Telecom Circle'],
	['KL', 'Kerala Telecom Circle'],
];
const OPERATORS: Array<[string, string]> = [
	['R', 'Reliance'],
	['A', 'Airtel'],
	['V', 'Vodafone'],
	['VI', 'Vodafone Idea'],
	['B', 'BSNL'],
	['I', 'Idea'],
	['J', 'Reliance Jio'],
	['T', 'Tata Docomo'],
	['M', 'MTNL'],
	['U', 'Uninor'],
];

const registry = new WeakMap<Store, NumberSettings>();

export function numbersSettingsOf(store: Store): NumberSettings {
	const s = registry.get(store);
	if (!s) throw new Error('numbers resource is not installed');
	return s;
}

/** The metadata Exotel gives for an Indian number in `0XXXXXXXXXX` form. */
export function numberMetadata(number: string): Record<string, string> {
	const d = (fromEnd: number) => Number(number[number.length - fromEnd]);
	const [circle, circleName] = CIRCLES[d(2)];
	const [operator, operatorName] = OPERATORS[d(3)];
	const last = d(1);
	return {
		PhoneNumber: number,
		Circle: circle,
		CircleName: circleName,
		Type: /^[6-9]/.test(number.slice(1)) ? 'Mobile' : 'Landline',
		Operator: operator,
		OperatorName: operatorName,
		DND: last === 3 ? 'Yes' : last === 4 ? 'Unavailable' : 'No',
	};
}

export const numbers: ResourceFactory = ({ store }) => {
	const settings: NumberSettings = { key: 'Numbers', nonIndianStatus: 400 };
	registry.set(store, settings);
	return {
		routes: [
			{
				api: 'v1',
				method: 'GET',
				path: '/Numbers/:number',
				handle: (r) => {
					const raw = stripJson(r.params.number);
					const number = indianNumber(raw);
					if (!number) throw new RestError(settings.nonIndianStatus, `'${raw}' is not a valid Indian phone number`);
					return v1Json({ [settings.key]: numberMetadata(number) });
				},
			},
		],
		reset() {
			settings.key = 'Numbers';
			settings.nonIndianStatus = 400;
		},
	};
};
