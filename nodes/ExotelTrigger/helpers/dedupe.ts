import type { IDataObject } from 'n8n-workflow';

/**
 * Deliveries seen, per trigger node, held in this module so that a check and its record happen in
 * one synchronous step: two requests for the same delivery in one process cannot both pass, however
 * close together they arrive. Static data (read fresh from the database for every request) is only
 * a copy for what must survive a restart or be seen by another webhook process; it is written at
 * most every PERSIST_EVERY_MS, merged with what is stored, never replaced by one request's view.
 */

/** Exotel retries a failed delivery at most twice, within minutes; a day covers that. */
export const DEDUPE_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Keys held in memory per trigger node (about 100 bytes each). */
export const DEDUPE_MAX_KEYS = 20_000;
/** Keys copied into the workflow's static data. */
export const PERSIST_MAX_KEYS = 1000;
/** How often static data is rewritten: each write is a database update inside the request. */
export const PERSIST_EVERY_MS = 2000;

const STATIC_KEY = 'deliveries';
/** Where versions before this one kept the list, as `[key, receivedAt][]`. */
const LEGACY_STATIC_KEY = 'recentDeliveries';

interface Scope {
	/** Key → when it was first received; insertion order is arrival order. */
	seen: Map<string, number>;
	/** Keys whose execution n8n has not yet confirmed (answered), and what the answer will say. */
	pending: Map<string, { settled: Promise<void>; settle: (started: boolean) => void }>;
	/** The newest keys recorded here, oldest first, for the next write to static data. */
	recent: Array<[key: string, receivedAt: number]>;
	lastPersistAt: number;
}

const scopes = new Map<string, Scope>();

function scopeFor(name: string): Scope {
	let scope = scopes.get(name);
	if (scope === undefined) {
		scope = { seen: new Map(), pending: new Map(), recent: [], lastPersistAt: Number.NEGATIVE_INFINITY };
		scopes.set(name, scope);
	}
	return scope;
}

/** The stored keys, from this version's object or the older list. */
function storedDeliveries(staticData: IDataObject): Map<string, number> {
	const stored = new Map<string, number>();
	const legacy = staticData[LEGACY_STATIC_KEY];
	if (Array.isArray(legacy)) {
		for (const entry of legacy as unknown[]) {
			if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number') stored.set(entry[0], entry[1]);
		}
	}
	const current = staticData[STATIC_KEY];
	if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
		for (const [key, receivedAt] of Object.entries(current)) {
			if (typeof receivedAt === 'number') stored.set(key, receivedAt);
		}
	}
	return stored;
}

function storedAt(staticData: IDataObject, key: string): number | undefined {
	const current = staticData[STATIC_KEY];
	if (typeof current === 'object' && current !== null && !Array.isArray(current) && Object.prototype.hasOwnProperty.call(current, key)) {
		const receivedAt = (current as IDataObject)[key];
		if (typeof receivedAt === 'number') return receivedAt;
	}
	if (Array.isArray(staticData[LEGACY_STATIC_KEY])) return storedDeliveries(staticData).get(key);
	return undefined;
}

function prune(seen: Map<string, number>, now: number): void {
	for (const [key, receivedAt] of seen) {
		if (seen.size <= DEDUPE_MAX_KEYS && now - receivedAt < DEDUPE_MAX_AGE_MS) break;
		seen.delete(key);
	}
}

/** Writes the newest keys of memory and storage together into static data. */
function persist(scope: Scope, staticData: IDataObject, now: number): void {
	const merged = storedDeliveries(staticData);
	// Only keys still held: a delivery whose execution did not start was forgotten.
	for (const [key, receivedAt] of scope.recent) if (scope.seen.get(key) === receivedAt) merged.set(key, receivedAt);
	const newest = [...merged]
		.filter(([, receivedAt]) => now - receivedAt < DEDUPE_MAX_AGE_MS)
		.sort((a, b) => a[1] - b[1])
		.slice(-PERSIST_MAX_KEYS);
	// fromEntries defines each key as data, a `__proto__` key included.
	const deliveries = Object.fromEntries(newest) as IDataObject;
	// Assigned, not changed in place, so n8n marks the static data as changed and saves it.
	staticData[STATIC_KEY] = deliveries;
	if (LEGACY_STATIC_KEY in staticData) delete staticData[LEGACY_STATIC_KEY];
	scope.lastPersistAt = now;
}

/**
 * `duplicate` when `key` was received by this trigger node (`scopeName`: workflow and node) in the
 * last day, in this process or as stored in `staticData`; otherwise records it: `new`, or `newStored`
 * when this call also wrote the keys into `staticData` (which n8n must then save).
 * The check and the record run without an `await` between them.
 */
export type DeliveryCheck = 'duplicate' | 'new' | 'newStored';

export function checkDelivery(scopeName: string, staticData: IDataObject, key: string, now: number): DeliveryCheck {
	const scope = scopeFor(scopeName);
	const inMemory = scope.seen.get(key);
	const stored = inMemory === undefined ? storedAt(staticData, key) : undefined;
	const receivedAt = inMemory ?? stored;
	if (receivedAt !== undefined && now - receivedAt < DEDUPE_MAX_AGE_MS) {
		// Seen by another process (or before a restart): remember it here too.
		if (inMemory === undefined) scope.seen.set(key, receivedAt);
		return 'duplicate';
	}
	scope.seen.delete(key);
	scope.seen.set(key, now);
	prune(scope.seen, now);
	let settle: (started: boolean) => void = () => {};
	const settled = new Promise<void>((resolve) => {
		settle = (started) => {
			if (scope.pending.get(key)?.settled !== settled) return;
			scope.pending.delete(key);
			// Not started (n8n answered an error): a redelivery must start it, so forget the key.
			if (!started && scope.seen.get(key) === now) scope.seen.delete(key);
			resolve();
		};
	});
	scope.pending.set(key, { settled, settle });
	scope.recent.push([key, now]);
	// Trimmed in batches, so recording stays O(1) on average.
	if (scope.recent.length >= 2 * PERSIST_MAX_KEYS) scope.recent.splice(0, scope.recent.length - PERSIST_MAX_KEYS);
	if (now - scope.lastPersistAt < PERSIST_EVERY_MS) return 'new';
	persist(scope, staticData, now);
	return 'newStored';
}

/**
 * While the first copy of a delivery waits for n8n to register its execution, the same key is
 * pending: a copy arriving meanwhile waits for that outcome (then checks again) rather than being
 * answered as a duplicate of an execution that may fail to start.
 */
export function pendingDelivery(scopeName: string, key: string): Promise<void> | undefined {
	return scopes.get(scopeName)?.pending.get(key)?.settled;
}

/** Reports whether the execution of a delivery recorded as new started (n8n answered 2xx/3xx). */
export function settleDelivery(scopeName: string, key: string, started: boolean): void {
	scopes.get(scopeName)?.pending.get(key)?.settle(started);
}

/** Forgets what this process has seen, as a restart does (for tests). */
export function forgetDeliveriesInMemory(): void {
	scopes.clear();
}
