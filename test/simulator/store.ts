/**
 * The simulator's data: the records Exotel keeps for one account, the indexes over them, and the cached
 * sorted views that keep paging O(page). Resources change records through their own modules
 * (contacts.ts, lists.ts, listContacts.ts, csvUploads.ts); this file only holds and clears them.
 */
import { randomUUID } from 'node:crypto';

export interface ContactRecord {
	sid: string;
	date_created: string;
	date_updated: string;
	account_sid: string;
	number: string;
	first_name: string | null;
	last_name: string | null;
	company_name: string | null;
	email: string | null;
	tag: string | null;
	custom_field: Record<string, unknown> | null;
	uri: string;
}

export interface ListRecord {
	sid: string;
	date_created: string;
	date_updated: string;
	account_sid: string;
	name: string;
	uri: string;
	tag: string | null;
	contact_count: number;
}

/** Membership data as Exotel returns it: `sid` is the contact sid. */
export interface MembershipRecord {
	sid: string;
	date_created: string;
	date_updated: string;
	account_sid: string;
	list_id: string;
	uri: string;
}

export interface UploadStats {
	duplicate: number | null;
	total: number | null;
	success: number | null;
	failed: number | null;
}

export interface UploadRecord {
	upload_id: string;
	list_sid: string;
	url: string;
	accountSid: string;
	date_created: string;
	date_updated: string;
	status: string;
	stats: UploadStats;
	type: 'static' | 'dynamic';
	list_name: string;
	file_name: string | null;
	file_size: number;
	rows: number;
}

export interface SimulatorState {
	contacts: Map<string, ContactRecord>;
	lists: Map<string, ListRecord>;
	uploads: Map<string, UploadRecord>;
	/** list sid → (contact sid → membership), insertion ordered. */
	members: Map<string, Map<string, MembershipRecord>>;
}

export function newSid(): string {
	return randomUUID().replace(/-/g, '');
}

// toISOString is surprisingly costly in bulk imports; reuse the string within the same millisecond.
let lastMs = -1;
let lastIso = '';
export function nowIso(): string {
	const ms = Date.now();
	if (ms !== lastMs) {
		lastMs = ms;
		lastIso = new Date(ms).toISOString();
	}
	return lastIso;
}

export class Store {
	/** The records, exposed as `sim.state`. */
	readonly state: SimulatorState = {
		contacts: new Map(),
		lists: new Map(),
		uploads: new Map(),
		members: new Map(),
	};
	/** contact sid → list sids, insertion ordered, for show_list and deletes. */
	readonly contactLists = new Map<string, Set<string>>();
	/** list name → list sid (names are unique, case-sensitive). */
	readonly listNames = new Map<string, string>();
	/** number → contact sid (an account holds a number once). */
	readonly contactNumbers = new Map<string, string>();
	/** Sorted/filtered views, rebuilt only after a mutation, so paging stays O(page). */
	contactViews = new Map<string, ContactRecord[]>();
	listViews = new Map<string, ListRecord[]>();
	/** Set by sim.failNextUpload: the terminal status of the next CSV upload. */
	nextUploadStatus: string | undefined;

	constructor(readonly accountSid: string) {}

	/** Drops the cached views; call after every change to records or memberships. */
	invalidate(): void {
		if (this.contactViews.size) this.contactViews = new Map();
		if (this.listViews.size) this.listViews = new Map();
	}

	clear(): void {
		this.state.contacts.clear();
		this.state.lists.clear();
		this.state.uploads.clear();
		this.state.members.clear();
		this.contactLists.clear();
		this.listNames.clear();
		this.contactNumbers.clear();
		this.nextUploadStatus = undefined;
		this.invalidate();
	}
}
