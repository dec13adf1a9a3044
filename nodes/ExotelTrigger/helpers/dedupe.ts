import type { IDataObject } from 'n8n-workflow';

/** Exotel retries a failed delivery at most twice, within minutes; a day and 1000 keys cover that. */
export const DEDUPE_MAX_KEYS = 1000;
export const DEDUPE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const STATIC_KEY = 'recentDeliveries';

type Delivery = [key: string, receivedAt: number];

function isDelivery(value: unknown): value is Delivery {
	return Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number';
}

/**
 * True when `key` was recorded in the last day; otherwise records it. The list is replaced, never
 * changed in place, so n8n's static data sees the write and saves it.
 */
export function seenBefore(staticData: IDataObject, key: string, now: number): boolean {
	const stored = staticData[STATIC_KEY];
	const recent = (Array.isArray(stored) ? (stored as unknown[]) : [])
		.filter(isDelivery)
		.filter(([, receivedAt]) => now - receivedAt < DEDUPE_MAX_AGE_MS);
	if (recent.some(([seenKey]) => seenKey === key)) return true;
	recent.push([key, now]);
	staticData[STATIC_KEY] = recent.slice(-DEDUPE_MAX_KEYS).map(([k, t]) => [k, t]);
	return false;
}
