/** /lists: bulk create, page (name search, sort), bulk update, get/update/delete one. Names are unique. */
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
import { newSid, nowIso, type ListRecord, type Store } from './store';

const LIST_PAGE_CAP = 100;

export const lists: ResourceFactory = ({ store }) => ({
	routes: [
		{ method: 'GET', path: '/lists', handle: (r) => getLists(store, r) },
		{ method: 'POST', path: '/lists', handle: (r) => createLists(store, r) },
		{ method: 'PUT', path: '/lists', handle: (r) => updateListsBulk(store, r) },
		{ method: 'GET', path: '/lists/:sid', handle: (r) => envelope('GET', 200, success(requireList(store, r.params.sid))) },
		{ method: 'PUT', path: '/lists/:sid', handle: (r) => updateList(store, r) },
		{ method: 'DELETE', path: '/lists/:sid', handle: (r) => deleteList(store, r.params.sid) },
	],
});

export function createList(store: Store, name: string, tag: string | null): ListRecord {
	const sid = newSid();
	const now = nowIso();
	const l: ListRecord = {
		sid,
		date_created: now,
		date_updated: now,
		account_sid: store.accountSid,
		name,
		uri: `/v2/accounts/${store.accountSid}/lists/${sid}`,
		tag,
		contact_count: 0,
	};
	store.state.lists.set(sid, l);
	store.state.members.set(sid, new Map());
	store.listNames.set(name, sid);
	store.invalidate();
	return l;
}

export function requireList(store: Store, sid: string): ListRecord {
	const l = store.state.lists.get(sid);
	if (!l) throw new HttpError(404, 1000, `List ${sid} not found`);
	return l;
}

function listFields(item: Record<string, unknown>, needName: boolean): { name?: string; tag?: string | null } | Entry {
	const out: { name?: string; tag?: string | null } = {};
	if (item.name === undefined || item.name === null || item.name === '') {
		if (needName) return failure(400, 1001, 'name is mandatory');
	} else if (typeof item.name !== 'string') {
		return failure(400, 1002, 'name must be a string');
	} else {
		out.name = item.name;
	}
	if ('tag' in item) {
		if (item.tag !== null && typeof item.tag !== 'string') return failure(400, 1002, 'tag must be a string');
		out.tag = item.tag === '' ? null : item.tag;
	}
	return out;
}

function duplicateName(name: string): Entry {
	return failure(409, 1008, `A list named '${name}' already exists`);
}

/** Renames/retags a list, or returns a failure entry; shared by the single and bulk PUT. */
function applyListUpdate(store: Store, l: ListRecord, item: Record<string, unknown>): Entry {
	const fields = listFields(item, false);
	if (isFailure(fields)) return fields;
	const { name, tag } = fields;
	if (name !== undefined && name !== l.name) {
		if (store.listNames.has(name)) return duplicateName(name);
		store.listNames.delete(l.name);
		store.listNames.set(name, l.sid);
		l.name = name;
	}
	if (tag !== undefined) l.tag = tag;
	l.date_updated = nowIso();
	store.invalidate();
	return success(l);
}

function createLists(store: Store, request: ApiRequest): Reply {
	const items = bulkArray(request, 'lists');
	const entries = items.map((item): Entry => {
		if (!isObject(item)) return failure(400, 1002, 'Each list must be a JSON object');
		const fields = listFields(item, true);
		if (isFailure(fields)) return fields;
		const name = fields.name as string;
		if (store.listNames.has(name)) return duplicateName(name);
		return success(createList(store, name, fields.tag ?? null));
	});
	return bulkReply('POST', entries);
}

function updateListsBulk(store: Store, request: ApiRequest): Reply {
	const items = bulkArray(request, 'lists');
	const entries = items.map((item): Entry => {
		if (!isObject(item)) return failure(400, 1002, 'Each list must be a JSON object');
		if (typeof item.sid !== 'string' || item.sid === '') return failure(400, 1001, 'sid is mandatory');
		const l = store.state.lists.get(item.sid);
		if (!l) return failure(404, 1000, `List ${item.sid} not found`);
		return applyListUpdate(store, l, item);
	});
	return bulkReply('PUT', entries);
}

function updateList(store: Store, request: ApiRequest): Reply {
	const l = requireList(store, request.params.sid);
	const e = applyListUpdate(store, l, jsonObject(request));
	if (e.status === 'failure') throwEntry(e);
	return envelope('PUT', 200, e);
}

function deleteList(store: Store, sid: string): Reply {
	const l = requireList(store, sid);
	const snapshot = JSON.parse(JSON.stringify(l)) as unknown;
	for (const cs of store.state.members.get(sid)?.keys() ?? []) store.contactLists.get(cs)?.delete(sid);
	store.state.members.delete(sid);
	store.state.lists.delete(sid);
	store.listNames.delete(l.name);
	store.invalidate();
	return envelope('DELETE', 200, success(snapshot));
}

function getLists(store: Store, request: ApiRequest): Reply {
	const { offset, limit } = paging(request, LIST_PAGE_CAP);
	const sort = sortSpec(request, ['date_created', 'name']);
	const name = (request.query.get('name') ?? '').toLowerCase();
	const key = `${sort.field}:${sort.desc}|${name}`;
	let view = store.listViews.get(key);
	if (!view) {
		view = Array.from(store.state.lists.values());
		if (name) view = view.filter((l) => l.name.toLowerCase().includes(name));
		if (sort.field === 'name') view.sort((a, b) => (sort.desc ? -1 : 1) * compareNullable(a.name, b.name));
		else if (sort.desc) view.reverse();
		store.listViews.set(key, view);
	}
	return pageReply('GET', view, offset, limit);
}
