/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules and plain errors */
/**
 * POST /contacts/csv-upload and GET /csv-status/<upload id>: the upload is checked at once, answered
 * in-progress, and imported after sim.csvProcessingMs in batches across event-loop turns.
 * Stats: `duplicate` counts repeats of a number within the file; a row whose number the account already
 * has puts the existing contact in the list and counts as `success`.
 */
import { CONTACT_STRING_FIELDS, contactWithNumber, createContact } from './contacts';
import { parseCsv, parseCsvFrom } from './csv';
import { addMember } from './listContacts';
import { createList, requireList } from './lists';
import { boundaryFromContentType } from './multipart';
import { HttpError, envelope, success, type Reply } from './replies';
import type { ApiRequest, ResourceContext, ResourceFactory } from './routing';
import { newSid, nowIso, type ContactRecord, type UploadRecord } from './store';
import { isValidEmail, isValidNumber } from './validation';

export const MAX_CSV_FILE_BYTES = 60 * 1024 * 1024;
const STATIC_ROW_LIMIT = 100_000;
const DYNAMIC_ROW_LIMIT = 500_000;
const MAX_DYNAMIC_VARIABLES = 5;
const CSV_COLUMNS = ['number', 'first_name', 'last_name', 'company_name', 'email', 'tag'] as const;
/** Rows imported per event-loop turn. */
const IMPORT_BATCH_ROWS = 20_000;

interface PendingUpload {
	text: string;
	columns: string[];
	timer: NodeJS.Timeout;
	terminalStatus: string;
}

export const csvUploads: ResourceFactory = (context) => {
	const pending = new Map<string, PendingUpload>();
	return {
		routes: [
			{ method: 'POST', path: '/contacts/csv-upload', handle: (r) => csvUpload(context, pending, r) },
			{ method: 'GET', path: '/csv-status/:uploadId', handle: (r) => csvStatus(context, r.params.uploadId) },
		],
		reset() {
			for (const p of pending.values()) clearTimeout(p.timer);
			pending.clear();
		},
	};
};

function csvStatus({ store }: ResourceContext, uploadId: string): Reply {
	const up = store.state.uploads.get(uploadId);
	if (!up) throw new HttpError(404, 1000, `Upload ${uploadId} not found`);
	return envelope('GET', 200, success(uploadStatusData(up)));
}

function csvUpload(context: ResourceContext, pending: Map<string, PendingUpload>, request: ApiRequest): Reply {
	const { store } = context;
	const body = request.body;
	if (!boundaryFromContentType(request.contentType)) {
		throw new HttpError(415, 1011, `Content-Type must be multipart/form-data with a boundary, got '${request.contentType || 'none'}'`);
	}
	if (body.kind === 'malformed-multipart') throw new HttpError(400, 1007, `Malformed multipart body: ${body.reason}`);
	if (body.kind !== 'multipart') throw new HttpError(400, 1007, 'Empty multipart body');
	if (body.tooLarge) throw new HttpError(413, 1002, `file_name exceeds ${MAX_CSV_FILE_BYTES} bytes (60 MB)`);
	const listName = body.fields.list_name;
	if (listName === undefined || listName.trim() === '') throw new HttpError(400, 1001, 'list_name is mandatory');
	const type = body.fields.type ?? 'static';
	if (type !== 'static' && type !== 'dynamic') throw new HttpError(400, 1002, `Invalid type '${type}': use static or dynamic`);
	const filePart = body.files.find((f) => f.name === 'file_name');
	let content: Buffer;
	if (filePart?.content) content = filePart.content;
	else if (body.fields.file_name !== undefined) content = Buffer.from(body.fields.file_name, 'utf8');
	else throw new HttpError(400, 1001, 'file_name (the CSV file part) is mandatory');

	const text = content.toString('utf8');
	let columns: string[] | undefined;
	let rows = 0;
	try {
		parseCsv(text, (fields) => {
			if (!columns) columns = fields.map((h) => h.trim().toLowerCase());
			else rows++;
		});
	} catch (e) {
		throw new HttpError(400, 1002, `Malformed CSV: ${e instanceof Error ? e.message : String(e)}`);
	}
	if (!columns || !columns.includes('number')) throw new HttpError(400, 1002, 'number column is mandatory');
	// Assumption about Exotel's importer: a column without a name (Excel writes one for a trailing
	// comma) is ignored, like any cell under it.
	const named = columns.filter((c) => c !== '');
	if (new Set(named).size !== named.length) throw new HttpError(400, 1002, 'Duplicate column in CSV header');
	const extra = named.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
	if (type === 'static' && extra.length) {
		throw new HttpError(400, 1002, `Unknown column(s) ${extra.join(', ')}; allowed: ${CSV_COLUMNS.join(', ')}`);
	}
	if (type === 'dynamic' && extra.length > MAX_DYNAMIC_VARIABLES) {
		throw new HttpError(400, 1002, `At most ${MAX_DYNAMIC_VARIABLES} variable columns in a dynamic list, got ${extra.length}`);
	}
	const rowLimit = type === 'static' ? STATIC_ROW_LIMIT : DYNAMIC_ROW_LIMIT;
	if (rows > rowLimit) throw new HttpError(400, 1002, `A ${type} list holds at most ${rowLimit} contacts, the file has ${rows}`);

	const listSid = store.listNames.get(listName);
	const list = listSid ? requireList(store, listSid) : createList(store, listName, null);
	const uploadId = newSid();
	const now = nowIso();
	const up: UploadRecord = {
		upload_id: uploadId,
		list_sid: list.sid,
		url: `/v2/accounts/${store.accountSid}/csv-status/${uploadId}`,
		accountSid: store.accountSid,
		date_created: now,
		date_updated: now,
		status: 'in-progress',
		stats: { duplicate: null, total: null, success: null, failed: null },
		type,
		list_name: listName,
		file_name: filePart?.filename ?? null,
		file_size: content.length,
		rows,
	};
	store.state.uploads.set(uploadId, up);
	const terminalStatus = store.nextUploadStatus ?? 'completed';
	store.nextUploadStatus = undefined;
	const timer = setTimeout(() => processUpload(context, pending, uploadId), context.csvProcessingMs);
	timer.unref();
	pending.set(uploadId, { text, columns, timer, terminalStatus });

	const summary = {
		upload_id: up.upload_id,
		list_sid: up.list_sid,
		url: up.url,
		accountSid: up.accountSid,
		date_created: up.date_created,
		date_updated: up.date_updated,
		status: up.status,
		Stats: { ...up.stats },
	};
	return envelope('POST', 200, success({ list: { ...list }, summary }));
}

/**
 * Imports the CSV in batches across event-loop turns so a 500,000-row upload does not stall
 * other requests (status polls keep answering in-progress meanwhile).
 */
function processUpload({ store }: ResourceContext, pendingUploads: Map<string, PendingUpload>, uploadId: string): void {
	const pending = pendingUploads.get(uploadId);
	const up = store.state.uploads.get(uploadId);
	if (!pending || !up) return;
	const { columns } = pending;
	const numberIdx = columns.indexOf('number');
	// Column roles computed once: a contact field name, or a custom_field variable.
	const roles = columns.map((col) =>
		col === '' ? 'none' : (CONTACT_STRING_FIELDS as readonly string[]).includes(col) ? 'field' : col === 'number' ? 'number' : 'custom',
	);
	const stats = { duplicate: 0, total: 0, success: 0, failed: 0 };
	const seen = new Set<string>();
	let header = true;
	let pos = 0;
	const onRow = (fields: string[]): void => {
		if (header) {
			header = false;
			return;
		}
		stats.total++;
		const number = (fields[numberIdx] ?? '').trim();
		if (fields.length > columns.length || !isValidNumber(number)) {
			stats.failed++;
			return;
		}
		if (seen.has(number)) {
			stats.duplicate++;
			return;
		}
		seen.add(number);
		const c: Partial<ContactRecord> & { number: string } = { number };
		let custom: Record<string, string> | null = null;
		for (let k = 0; k < columns.length; k++) {
			const role = roles[k];
			if (role === 'number' || role === 'none') continue;
			const v = (fields[k] ?? '').trim();
			if (role === 'field') c[columns[k] as (typeof CONTACT_STRING_FIELDS)[number]] = v === '' ? null : v;
			else (custom ??= {})[columns[k]] = v;
		}
		if (c.email && !isValidEmail(c.email)) {
			stats.failed++;
			return;
		}
		c.custom_field = custom;
		// A number the account already has: that contact joins the list (an account holds a number once).
		const contact = contactWithNumber(store, number) ?? createContact(store, c);
		if (store.state.lists.has(up.list_sid)) addMember(store, up.list_sid, contact.sid);
		stats.success++;
	};
	const step = (): void => {
		if (pendingUploads.get(uploadId) !== pending) return; // reset() or stop() happened
		pos = parseCsvFrom(pending.text, pos, onRow, IMPORT_BATCH_ROWS);
		if (pos >= 0) {
			pending.timer = setTimeout(step, 0);
			pending.timer.unref();
			return;
		}
		pendingUploads.delete(uploadId); // drops the CSV text
		up.stats = stats;
		up.status = store.state.lists.has(up.list_sid) ? pending.terminalStatus : 'failed';
		up.date_updated = nowIso();
	};
	step();
}

function uploadStatusData(up: UploadRecord): Record<string, unknown> {
	return {
		upload_id: up.upload_id,
		list_sid: up.list_sid,
		url: up.url,
		accountSid: up.accountSid,
		date_created: up.date_created,
		date_updated: up.date_updated,
		status: up.status,
		stats: { ...up.stats },
	};
}
