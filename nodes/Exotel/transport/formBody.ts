import type { IDataObject } from 'n8n-workflow';

/**
 * A form-urlencoded body the way Exotel's v1 API reads arrays and nested records: arrays are indexed
 * (`StatusCallbackEvents[0]=terminal&StatusCallbackEvents[1]=answered`; a comma-joined value subscribes
 * to nothing) and records nest (`Messages[0][To]=…`). Empty values (undefined, null, '') are left out, so
 * Exotel applies its own default instead of refusing an empty field.
 */
export function formBody(fields: IDataObject): string {
	const pairs: string[] = [];
	const add = (key: string, value: unknown): void => {
		if (value === undefined || value === null || value === '') return;
		if (Array.isArray(value)) {
			value.forEach((entry, index) => add(`${key}[${index}]`, entry));
		} else if (typeof value === 'object') {
			for (const [name, entry] of Object.entries(value as IDataObject)) add(`${key}[${name}]`, entry);
		} else {
			pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
		}
	};
	for (const [key, value] of Object.entries(fields)) add(key, value);
	return pairs.join('&');
}
