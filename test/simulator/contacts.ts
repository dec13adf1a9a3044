/**
 * /contacts: bulk create, page (sort, list filter, show_list), bulk update, get/update/delete one.
 * An account holds a number once: creating (or renaming to) a number another contact has answers that
 * entry 409 / 1008 with the existing contact in `data`, as Exotel does.
 */
import { removeMember } from './listContacts';
import {
	HttpError,
	bulkArray,
	bulkReply,
	compareNullable,
	envelope,
	failure,
	isFailure,
	isObject,
	jsonObject,
	pageReply,
	paging,
	sortSpec,
	success,
	throwEntry,
	type Entry,
	type Reply,
} from './replies';
import type { ApiRequest, ResourceFactory } from './routing';
import { newSid, nowIso, type ContactRecord, type Store } from './store';
import { isValidEmail, isValidNumber } from './validation';

const CONTACT_PAGE_CAP = 20;
export const CONTACT_STRING_FIELDS = ['first_name', 'last_name', 'company_name', 'email', 'tag'] as const;

export const contacts: ResourceFactory = ({ store }) => ({
	routes: [
		{ method: 'GET', path: '/contacts', handle: (r) => getContacts(store, r) },
		{ method: 'POST', path: '/contacts', handle: (r) => createContacts(store, r) },
		{ method: 'PUT', path: '/contacts', handle: (r) => updateContactsBulk(store, r) },
		{ method: 'GET', path: '/contacts/:sid', handle: (r) => envelope('GET', 200, success(requireContact(store, r.params.sid))) },
		{ method: 'PUT', path: '/contacts/:sid', handle: (r) => updateContact(store, r) },
		{ method: 'DELETE', path: '/contacts/:sid', handle: (r) => deleteContact(store, r.params.sid) },
	],
});

export function createContact(store: Store, fields: Partial<ContactRecord> & { number: string }): ContactRecord {
	const sid = newSid();
	const now = nowIso();
	const c: ContactRecord = {
		sid,
		date_created: now,
		date_updated: now,
		account_sid: store.accountSid,
		number: fields.number,
		first_name: fields.first_name ?? null,
		last_name: fields.last_name ?? null,
		company_name: fields.company_name ?? null,
		email: fields.email ?? null,
		tag: fields.tag ?? null,
		custom_field: fields.custom_field ?? null,
		uri: `/v2/accounts/${store.accountSid}/contacts/${sid}`,
	};
	store.state.contacts.set(sid, c);
	store.contactNumbers.set(c.number, sid);
	store.invalidate();
	return c;
}

/** The contact that already has this number, other than `self`. */
export function contactWithNumber(store: Store, number: string, self?: string): ContactRecord | undefined {
	const sid = store.contactNumbers.get(number);
	return sid === undefined || sid === self ? undefined : store.state.contacts.get(sid);
}

function duplicateNumber(existing: ContactRecord): Entry {
	return failure(409, 1008, `A contact with number ${existing.number} already exists`, existing);
}

function requireContact(store: Store, sid: string): ContactRecord {
	const c = store.state.contacts.get(sid);
	if (!c) throw new HttpError(404, 1000, `Contact ${sid} not found`);
	return c;
}

/** Validates contact fields. partial=false requires number. Returns the field values to set, or a failure entry. */
function contactFields(input: Record<string, unknown>, partial: boolean): Partial<ContactRecord> | Entry {
	const out: Partial<ContactRecord> = {};
	const num = input.number;
	if (num === undefined || num === null || num === '') {
		if (!partial) return failure(400, 1001, 'number is mandatory');
	} else if (!isValidNumber(num)) {
		return failure(400, 1002, `Invalid number '${String(num)}': use E.164 (+919XXXXXXXXX) or a landline with STD code (0XXXXXXXXXX)`);
	} else {
		out.number = num;
	}
	for (const f of CONTACT_STRING_FIELDS) {
		if (!(f in input)) continue;
		const v = input[f];
		if (v === null || v === '') {
			out[f] = null;
			continue;
		}
		if (typeof v !== 'string') return failure(400, 1002, `${f} must be a string`);
		if (f === 'email' && !isValidEmail(v)) return failure(400, 1002, `Invalid email '${v}'`);
		out[f] = v;
	}
	if ('custom_field' in input) {
		const cf = input.custom_field;
		if (cf !== null && !isObject(cf)) return failure(400, 1002, 'custom_field must be a JSON object');
		out.custom_field = cf;
	}
	return out;
}

function createContacts(store: Store, request: ApiRequest): Reply {
	const items = bulkArray(request, 'contacts');
	const entries = items.map((item): Entry => {
		if (!isObject(item)) return failure(400, 1002, 'Each contact must be a JSON object');
		const fields = contactFields(item, false);
		if (isFailure(fields)) return fields;
		const existing = contactWithNumber(store, fields.number as string);
		if (existing) return duplicateNumber(existing);
		return success(createContact(store, fields as Partial<ContactRecord> & { number: string }));
	});
	return bulkReply('POST', entries);
}

/** Applies validated fields, or returns the 409 entry when the new number belongs to another contact. */
function applyContactUpdate(store: Store, c: ContactRecord, fields: Partial<ContactRecord>): Entry {
	if (fields.number !== undefined && fields.number !== c.number) {
		const existing = contactWithNumber(store, fields.number, c.sid);
		if (existing) return duplicateNumber(existing);
		store.contactNumbers.delete(c.number);
		store.contactNumbers.set(fields.number, c.sid);
	}
	Object.assign(c, fields, { date_updated: nowIso() });
	store.invalidate();
	return success(c);
}

function updateContact(store: Store, request: ApiRequest): Reply {
	const c = requireContact(store, request.params.sid);
	const fields = contactFields(jsonObject(request), true);
	if (isFailure(fields)) throwEntry(fields);
	const entry = applyContactUpdate(store, c, fields);
	return envelope('PUT', entry.code, entry);
}

function updateContactsBulk(store: Store, request: ApiRequest): Reply {
	const items = bulkArray(request, 'contacts');
	const entries = items.map((item): Entry => {
		if (!isObject(item)) return failure(400, 1002, 'Each contact must be a JSON object');
		if (typeof item.sid !== 'string' || item.sid === '') return failure(400, 1001, 'sid is mandatory');
		const c = store.state.contacts.get(item.sid);
		if (!c) return failure(404, 1000, `Contact ${item.sid} not found`);
		const fields = contactFields(item, true);
		if (isFailure(fields)) return fields;
		return applyContactUpdate(store, c, fields);
	});
	return bulkReply('PUT', entries);
}

function deleteContact(store: Store, sid: string): Reply {
	const c = requireContact(store, sid);
	const snapshot = JSON.stringify(c); // data as it was, serialized before we touch it
	for (const listSid of store.contactLists.get(sid) ?? []) removeMember(store, listSid, sid);
	store.contactLists.delete(sid);
	store.contactNumbers.delete(c.number);
	store.state.contacts.delete(sid);
	store.invalidate();
	return envelope('DELETE', 200, success(JSON.parse(snapshot) as unknown));
}

function getContacts(store: Store, request: ApiRequest): Reply {
	const { offset, limit } = paging(request, CONTACT_PAGE_CAP);
	const sort = sortSpec(request, ['date_created', 'number', 'first_name', 'last_name']);
	const listSids = (request.query.get('list_sids') ?? '')
		.split(',')
		.map((x) => x.trim())
		.filter(Boolean);
	const view = contactView(store, sort.field, sort.desc, listSids);
	const showList = request.query.get('filter') === 'show_list';
	return pageReply(
		'GET',
		view,
		offset,
		limit,
		showList
			? (item) => {
					const c = item as ContactRecord;
					const lists = Array.from(store.contactLists.get(c.sid) ?? []).map((ls) => ({
						sid: ls,
						name: store.state.lists.get(ls)?.name ?? null,
					}));
					return { ...c, lists };
				}
			: undefined,
	);
}

function contactView(store: Store, field: string, desc: boolean, listSids: string[]): ContactRecord[] {
	const key = `${field}:${desc ? 'desc' : 'asc'}|${listSids.join(',')}`;
	const cached = store.contactViews.get(key);
	if (cached) return cached;
	let view = Array.from(store.state.contacts.values()); // insertion order == date_created order
	if (listSids.length) {
		const wanted = new Set<string>();
		for (const ls of listSids) for (const cs of store.state.members.get(ls)?.keys() ?? []) wanted.add(cs);
		view = view.filter((c) => wanted.has(c.sid));
	}
	if (field === 'date_created') {
		if (desc) view.reverse();
	} else {
		const f = field as 'number' | 'first_name' | 'last_name';
		view.sort((a, b) => (desc ? -1 : 1) * compareNullable(a[f], b[f]));
	}
	store.contactViews.set(key, view);
	return view;
}
