/**
 * /lists/<sid>/contacts: list membership (bulk add by contact sid, page members, remove one).
 * Adding a contact already in the list (or twice in one request) answers that entry 409 / 1008 with
 * `data: { contact_sid, list_sid }`.
 */
import { requireList } from './lists';
import { HttpError, bulkArray, bulkReply, envelope, failure, isObject, pageReply, paging, success, type Entry, type Reply } from './replies';
import type { ApiRequest, ResourceFactory } from './routing';
import { nowIso, type MembershipRecord, type Store } from './store';

const MEMBER_PAGE_CAP = 20;

export const listContacts: ResourceFactory = ({ store }) => ({
	routes: [
		{ method: 'GET', path: '/lists/:listSid/contacts', handle: (r) => getListContacts(store, r) },
		{ method: 'POST', path: '/lists/:listSid/contacts', handle: (r) => addListContacts(store, r) },
		{ method: 'DELETE', path: '/lists/:listSid/contacts/:contactSid', handle: (r) => removeListContact(store, r.params.listSid, r.params.contactSid) },
	],
});

/** Returns the membership, or undefined when the contact already is a member. */
export function addMember(store: Store, listSid: string, contactSid: string): MembershipRecord | undefined {
	const members = store.state.members.get(listSid);
	const list = store.state.lists.get(listSid);
	if (!members || !list) throw new Error(`unknown list ${listSid}`);
	if (members.has(contactSid)) return undefined;
	const now = nowIso();
	const m: MembershipRecord = {
		sid: contactSid,
		date_created: now,
		date_updated: now,
		account_sid: store.accountSid,
		list_id: listSid,
		uri: `/v2/accounts/${store.accountSid}/contacts/${contactSid}`,
	};
	members.set(contactSid, m);
	let sets = store.contactLists.get(contactSid);
	if (!sets) store.contactLists.set(contactSid, (sets = new Set()));
	sets.add(listSid);
	list.contact_count = members.size;
	store.invalidate();
	return m;
}

export function removeMember(store: Store, listSid: string, contactSid: string): MembershipRecord | undefined {
	const members = store.state.members.get(listSid);
	const m = members?.get(contactSid);
	if (!members || !m) return undefined;
	members.delete(contactSid);
	store.contactLists.get(contactSid)?.delete(listSid);
	const list = store.state.lists.get(listSid);
	if (list) list.contact_count = members.size;
	store.invalidate();
	return m;
}

function addListContacts(store: Store, request: ApiRequest): Reply {
	const listSid = request.params.listSid;
	requireList(store, listSid);
	const items = bulkArray(request, 'contact_references');
	const entries = items.map((item): Entry => {
		if (!isObject(item)) return failure(400, 1002, 'Each contact reference must be a JSON object');
		const cs = item.contact_sid;
		if (typeof cs !== 'string' || cs === '') return failure(400, 1001, 'contact_sid is mandatory');
		if (!store.state.contacts.has(cs)) return failure(404, 1000, `Contact ${cs} not found`);
		const m = addMember(store, listSid, cs);
		// Exotel's data for this case is not documented; the pair is what a client needs to carry on.
		if (!m) return failure(409, 1008, `Contact ${cs} is already in list ${listSid}`, { contact_sid: cs, list_sid: listSid });
		return success(m);
	});
	return bulkReply('POST', entries);
}

function getListContacts(store: Store, request: ApiRequest): Reply {
	const listSid = request.params.listSid;
	requireList(store, listSid);
	const { offset, limit } = paging(request, MEMBER_PAGE_CAP);
	const key = `members|${listSid}`;
	let view = store.contactViews.get(key);
	if (!view) {
		view = [];
		for (const cs of store.state.members.get(listSid)?.keys() ?? []) {
			const c = store.state.contacts.get(cs);
			if (c) view.push(c);
		}
		store.contactViews.set(key, view);
	}
	return pageReply('GET', view, offset, limit);
}

function removeListContact(store: Store, listSid: string, contactSid: string): Reply {
	requireList(store, listSid);
	const m = removeMember(store, listSid, contactSid);
	if (!m) throw new HttpError(404, 1000, `Contact ${contactSid} is not in list ${listSid}`);
	m.date_updated = nowIso();
	return envelope('DELETE', 200, success(m));
}
