/**
 * ExoPhones (the account's virtual numbers) and sender IDs: what calls accept as CallerId and SMS as From.
 *
 * - `GET /v2_beta/Accounts/<sid>/IncomingPhoneNumbers?Page=&PageSize=`: snake_case page
 *   `{page, page_size, uri, first_page_uri, previous_page_uri, next_page_uri, incoming_phone_numbers:[…]}`,
 *   Page 0-based, PageSize default 50 (at most 100, more is cut to 100). `next_page_uri` is an absolute URL on
 *   twilix.exotel.com (Exotel's own host, not the one asked), null on the last page.
 * - `GET /v2_beta/Accounts/<sid>/IncomingPhoneNumbers/<sid>`: the record itself; unknown → 404.
 * - `GET /v1/Accounts/<sid>/IncomingPhoneNumbers.json` (the v1 twin): `{IncomingPhoneNumbers:[{IncomingPhoneNumber:{…}}],
 *   Metadata:{Total, Page, PageSize, NextPageUri}}` (NextPageUri a path, null on the last page), same paging.
 * ExoPhones come from sim.seedExoPhones(n) (numbers +9180471XXXXX, Bengaluru, voice and SMS capable).
 * Sender IDs (SMS headers) accepted as From: `EXOTEL` unless changed through sim.exoPhones.senderIds.
 */
import type { ResourceFactory } from './routing';
import { newSid, nowIso, type Store } from './store';
import { RestError, indianNumber, stripJson, v1Json } from './v1Replies';

export interface ExoPhoneRecord {
	sid: string;
	/** E.164, as v2_beta answers it. */
	phone_number: string;
	friendly_name: string;
	capabilities: { voice: boolean; sms: boolean };
	country: 'IN';
	region: string;
	date_created: string;
	date_updated: string;
	uri: string;
}

export interface ExoPhoneSettings {
	/** The account's ExoPhones in the order added. */
	readonly list: ExoPhoneRecord[];
	/** Registered DLT headers accepted as SMS From (default ['EXOTEL']). */
	senderIds: string[];
	seed(n: number, opts?: { region?: string; sms?: boolean }): ExoPhoneRecord[];
	/** The ExoPhone whose number is `raw` in any Indian form (+91…, 0…, ten digits). */
	find(raw: string): ExoPhoneRecord | undefined;
}

const registry = new WeakMap<Store, ExoPhoneSettings>();
const MAX_PAGE_SIZE = 100;
const TWILIX = 'https://twilix.exotel.com';

export function exoPhonesOf(store: Store): ExoPhoneSettings {
	const s = registry.get(store);
	if (!s) throw new Error('exoPhones resource is not installed');
	return s;
}

function paging(query: URLSearchParams): { page: number; size: number } {
	const rawPage = query.get('Page') ?? '0';
	const rawSize = query.get('PageSize') ?? '50';
	if (!/^\d+$/.test(rawPage)) throw new RestError(400, `Invalid Page '${rawPage}'`);
	if (!/^\d+$/.test(rawSize) || Number(rawSize) === 0) throw new RestError(400, `Invalid PageSize '${rawSize}'`);
	return { page: Number(rawPage), size: Math.min(Number(rawSize), MAX_PAGE_SIZE) };
}

export const exoPhones: ResourceFactory = ({ store, accountSid }) => {
	const list: ExoPhoneRecord[] = [];
	let seq = 0;
	const settings: ExoPhoneSettings = {
		list,
		senderIds: ['EXOTEL'],
		seed(n, opts = {}) {
			const out: ExoPhoneRecord[] = [];
			for (let i = 0; i < n; i++) {
				seq++;
				const sid = newSid();
				const now = nowIso();
				const rec: ExoPhoneRecord = {
					sid,
					phone_number: `+9180471${String(seq).padStart(5, '0')}`,
					friendly_name: `ExoPhone ${seq}`,
					capabilities: { voice: true, sms: opts.sms ?? true },
					country: 'IN',
					region: opts.region ?? 'KA',
					date_created: now,
					date_updated: now,
					uri: `/v2_beta/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}`,
				};
				list.push(rec);
				out.push(rec);
			}
			return out;
		},
		find(raw) {
			const n = indianNumber(raw);
			return n === undefined ? undefined : list.find((p) => indianNumber(p.phone_number) === n);
		},
	};
	registry.set(store, settings);

	const base = `/v2_beta/Accounts/${accountSid}/IncomingPhoneNumbers`;
	return {
		routes: [
			{
				api: 'v2_beta',
				method: 'GET',
				path: '/IncomingPhoneNumbers',
				handle: (r) => {
					const { page, size } = paging(r.query);
					const items = list.slice(page * size, page * size + size);
					const more = (page + 1) * size < list.length;
					const uri = (p: number) => `${base}?Page=${p}&PageSize=${size}`;
					return v1Json({
						page,
						page_size: size,
						uri: uri(page),
						first_page_uri: uri(0),
						previous_page_uri: page > 0 ? TWILIX + uri(page - 1) : null,
						next_page_uri: more ? TWILIX + uri(page + 1) : null,
						incoming_phone_numbers: items,
					});
				},
			},
			{
				api: 'v2_beta',
				method: 'GET',
				path: '/IncomingPhoneNumbers/:sid',
				handle: (r) => {
					const rec = list.find((p) => p.sid === r.params.sid);
					if (!rec) throw new RestError(404, `ExoPhone ${r.params.sid} not found`);
					return v1Json(rec);
				},
			},
			{
				api: 'v1',
				method: 'GET',
				path: '/IncomingPhoneNumbers.json',
				handle: (r) => {
					const { page, size } = paging(r.query);
					const items = list.slice(page * size, page * size + size);
					const more = (page + 1) * size < list.length;
					return v1Json({
						IncomingPhoneNumbers: items.map((p) => ({ IncomingPhoneNumber: v1ExoPhone(p, accountSid) })),
						Metadata: {
							Total: list.length,
							Page: page,
							PageSize: size,
							NextPageUri: more ? `/v1/Accounts/${accountSid}/IncomingPhoneNumbers.json?Page=${page + 1}&PageSize=${size}` : null,
						},
					});
				},
			},
			{
				api: 'v1',
				method: 'GET',
				path: '/IncomingPhoneNumbers/:sid',
				handle: (r) => {
					const sid = stripJson(r.params.sid);
					const rec = list.find((p) => p.sid === sid);
					if (!rec) throw new RestError(404, `ExoPhone ${sid} not found`);
					return v1Json({ IncomingPhoneNumber: v1ExoPhone(rec, accountSid) });
				},
			},
		],
		reset() {
			list.length = 0;
			seq = 0;
			settings.senderIds = ['EXOTEL'];
		},
	};
};

function v1ExoPhone(p: ExoPhoneRecord, accountSid: string): Record<string, unknown> {
	return {
		Sid: p.sid,
		AccountSid: accountSid,
		PhoneNumber: indianNumber(p.phone_number) ?? p.phone_number,
		FriendlyName: p.friendly_name,
		Capabilities: { Voice: p.capabilities.voice, Sms: p.capabilities.sms },
		Country: p.country,
		Region: p.region,
		DateCreated: p.date_created,
		DateUpdated: p.date_updated,
		Uri: `/v1/Accounts/${accountSid}/IncomingPhoneNumbers/${p.sid}.json`,
	};
}
