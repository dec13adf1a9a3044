/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * /campaigns: create (wrapped `{"campaigns":[…]}` or flat), get, page (name, status, sort), update,
 * actions (pause/resume/complete/archive via PUT), delete before start, call details; plus the clock
 * that runs campaigns and POSTs their callbacks, as Exotel's Campaign API pages describe them.
 *
 * The clock (sim.campaignClock):
 * - created → InProgress when the virtual time reaches `schedule.send_at` (at once without one);
 *   `advance(ms)` moves the virtual time forward. A campaign with no number to call ends Failed.
 * - Every `callMs` (real ms) each running campaign makes one call attempt: the next number whose turn
 *   has come. Retries wait `interval_mins` × `minuteMs` of virtual time (Exponential doubles each one).
 * - Outcome by the number's last digit: 7 → busy on the first attempt, completed on a retry;
 *   8 → no-answer every time; 9 → failed every time; any other digit → completed (duration 30 + digit s).
 *   A number gets retried when its outcome is in `retries.on_status` (default: all three) and attempts remain.
 * - `end_at` reached while InProgress → Completed, numbers not done marked failed; while Paused → Canceled
 *   (an assumption: Exotel does not document what end_at does to a paused campaign).
 * Refused actions, updates after start and deletes after start: 400, error_data code 1002, with a description
 * naming the current status and what is allowed from it.
 */
import { randomUUID } from 'node:crypto';

import { HttpError, envelope, isObject, jsonObject, paging, success, type Reply } from './replies';
import type { ApiRequest, ResourceFactory } from './routing';
import { newSid, type Store } from './store';
import { isValidNumber } from './validation';

export type CampaignStatus = 'Created' | 'InProgress' | 'Paused' | 'Completed' | 'Failed' | 'Canceled' | 'Archived';
export type CallOutcome = 'completed' | 'busy' | 'no-answer' | 'failed';

export interface CampaignCallbackSettings {
	/** `snake` (snake_case keys, the default) or `pascal` (PascalCase keys), the two spellings of Exotel's callbacks. */
	casing: 'snake' | 'pascal';
	/** How the POST body is encoded. */
	encoding: 'json' | 'form' | 'multipart';
}

/** One callback the simulator POSTed (or tried to). */
export interface DeliveredCallback {
	kind: 'call_status' | 'call_schedule' | 'status';
	url: string;
	payload: Record<string, unknown>;
	/** HTTP status of the receiver's answer; 0 when the POST failed. */
	status: number;
}

export interface CampaignClock {
	/** Real ms between two call attempts of a running campaign (default 5). */
	callMs: number;
	/** Real ms that stand for one minute of retry interval (default 5). */
	minuteMs: number;
	/** Status spelling in answers: `pascal` (InProgress, default) or `lower` (in-progress). */
	statusStyle: 'pascal' | 'lower';
	/** `wrapped` (each campaign in {code,status,data}, default) or `bare` for GET /campaigns pages. */
	listItems: 'wrapped' | 'bare';
	/** `bare` (default, as N-cd shows) or `wrapped` for call-details pages. */
	callDetailItems: 'wrapped' | 'bare';
	callbacks: CampaignCallbackSettings;
	/** Every callback POSTed, in order. Cleared by reset(). */
	readonly delivered: DeliveredCallback[];
	/** Moves the virtual time forward by `ms` (send_at, end_at and retry waits come sooner) and runs due work. */
	advance(ms: number): void;
	/** Resolves when every callback POST started so far has been answered. */
	settled(): Promise<void>;
}

interface NumberState {
	number: string;
	name: string | null;
	attempts: number;
	/** Virtual time from which its next attempt may go. */
	dueAt: number;
	done: boolean;
	finalStatus?: CallOutcome;
	callSids: string[];
}

interface CallDetail {
	call_sid: string;
	number: string;
	name: string | null;
	status: CallOutcome;
	duration: number;
	digit: string | null;
	recording_url: string | null;
	attempt_number: number;
	date_created: string;
	start_time: string;
	end_time: string;
	caller_id: string;
	direction: 'Outgoing';
}

interface Campaign {
	id: string;
	account_sid: string;
	name: string;
	type: 'trans';
	campaign_type: 'static' | 'dynamic';
	caller_id: string;
	url: string | null;
	lists: string[];
	from: string[];
	retries: { number_of_retries: number; interval_mins: number; mechanism: 'Linear' | 'Exponential'; on_status: CallOutcome[] } | null;
	schedule: { send_at: string | null; end_at: string | null };
	call_status_callback: string | null;
	call_schedule_callback: string | null;
	status_callback: string | null;
	mode: 'auto' | 'custom';
	throttle: number | null;
	call_duplicate_numbers: boolean;
	custom_field: string | null;
	status: CampaignStatus;
	date_created: string;
	date_updated: string;
	date_started: string | null;
	/** Filled at start. */
	numbers: NumberState[];
	calls: CallDetail[];
	createdSeq: number;
}

const ACTIONS: Record<string, { from: CampaignStatus[] }> = {
	pause: { from: ['Created', 'InProgress'] },
	resume: { from: ['Paused'] },
	complete: { from: ['Paused'] },
	archive: { from: ['Completed'] },
};
const FINAL: CampaignStatus[] = ['Completed', 'Failed', 'Canceled', 'Archived'];
const CALLBACK_FIELDS = ['call_status_callback', 'call_schedule_callback', 'status_callback'] as const;
const CAMPAIGN_PAGE_CAP = 500;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const clocks = new WeakMap<Store, CampaignClock>();

/** The campaign clock of a simulator's store (ExotelSimulator exposes it as `sim.campaignClock`). */
export function campaignClockOf(store: Store): CampaignClock {
	const clock = clocks.get(store);
	if (!clock) throw new Error('campaigns resource is not installed');
	return clock;
}

export const normalizeStatus = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

/** Outcome of attempt `attempt` (1-based) to `number`: see the header comment. */
export function callOutcome(number: string, attempt: number): CallOutcome {
	const digit = number.slice(-1);
	if (digit === '7') return attempt === 1 ? 'busy' : 'completed';
	if (digit === '8') return 'no-answer';
	if (digit === '9') return 'failed';
	return 'completed';
}

function lowerStatus(status: CampaignStatus): string {
	return status === 'InProgress' ? 'in-progress' : status.toLowerCase();
}

export const campaigns: ResourceFactory = ({ store, accountSid }) => {
	const byId = new Map<string, Campaign>();
	let offsetMs = 0;
	let seq = 0;
	let timer: NodeJS.Timeout | undefined;
	const pending = new Set<Promise<void>>();
	const now = () => Date.now() + offsetMs;
	const iso = (ms: number = now()) => new Date(ms).toISOString();

	const clock: CampaignClock = {
		callMs: 5,
		minuteMs: 5,
		statusStyle: 'pascal',
		listItems: 'wrapped',
		callDetailItems: 'bare',
		callbacks: { casing: 'snake', encoding: 'json' },
		delivered: [],
		advance(ms: number) {
			offsetMs += ms;
			tick();
		},
		async settled() {
			while (pending.size) await Promise.all([...pending]);
		},
	};
	clocks.set(store, clock);

	// ----- presentation ----------------------------------------------------------------------------

	function stats(c: Campaign): Record<string, number> {
		const s = { created: c.numbers.length, completed: 0, failed: 0, busy: 0, no_answer: 0, in_progress: 0, pending: 0 };
		if (c.status === 'Created' && c.numbers.length === 0) s.created = countNumbers(c);
		for (const n of c.numbers) {
			if (!n.done) {
				s.pending++;
				continue;
			}
			if (n.finalStatus === 'completed') s.completed++;
			else if (n.finalStatus === 'busy') s.busy++;
			else if (n.finalStatus === 'no-answer') s.no_answer++;
			else s.failed++;
		}
		if (c.numbers.length === 0) s.pending = s.created;
		return s;
	}

	function view(c: Campaign): Record<string, unknown> {
		const rest: Partial<Campaign> = { ...c };
		delete rest.numbers;
		delete rest.calls;
		delete rest.createdSeq;
		return {
			...rest,
			status: clock.statusStyle === 'lower' ? lowerStatus(c.status) : c.status,
			uri: `/v2/accounts/${accountSid}/campaigns/${c.id}`,
			stats: stats(c),
		};
	}

	// ----- the clock -------------------------------------------------------------------------------

	function setStatus(c: Campaign, status: CampaignStatus): void {
		c.status = status;
		c.date_updated = iso();
		if (clock.callbacks.casing === 'pascal') {
			callback(c, 'status', c.status_callback, { CampaignSid: c.id, Status: status, Stats: stats(c) });
		} else if (status === 'Completed' || status === 'Failed' || status === 'Canceled') {
			callback(c, 'status', c.status_callback, {
				campaign_sid: c.id,
				status,
				date_created: c.date_created,
				date_updated: c.date_updated,
				report_url: `https://my.exotel.com/${accountSid}/campaigns/${c.id}/report.csv`,
			});
		}
	}

	function memberNumbers(c: Campaign): Array<{ number: string; name: string | null }> {
		const out: Array<{ number: string; name: string | null }> = c.from.map((number) => ({ number, name: null }));
		for (const listSid of c.lists) {
			for (const contactSid of store.state.members.get(listSid)?.keys() ?? []) {
				const contact = store.state.contacts.get(contactSid);
				if (contact) out.push({ number: contact.number, name: contact.first_name });
			}
		}
		if (c.call_duplicate_numbers) return out;
		const seen = new Set<string>();
		return out.filter((n) => !seen.has(n.number) && seen.add(n.number));
	}

	function countNumbers(c: Campaign): number {
		return memberNumbers(c).length;
	}

	function start(c: Campaign): void {
		c.numbers = memberNumbers(c).map((n) => ({ ...n, attempts: 0, dueAt: 0, done: false, callSids: [] }));
		c.date_started = iso();
		setStatus(c, c.numbers.length === 0 ? 'Failed' : 'InProgress');
	}

	function finishNumbers(c: Campaign): void {
		for (const n of c.numbers) {
			if (n.done) continue;
			n.done = true;
			n.finalStatus = 'failed';
		}
	}

	function attempt(c: Campaign, n: NumberState): void {
		n.attempts++;
		const outcome = callOutcome(n.number, n.attempts);
		const digit = n.number.slice(-1);
		const startedAt = now();
		const duration = outcome === 'completed' ? 30 + Number(digit) : 0;
		const call: CallDetail = {
			call_sid: newSid(),
			number: n.number,
			name: n.name,
			status: outcome,
			duration,
			digit: outcome === 'completed' ? '1' : null,
			recording_url: outcome === 'completed' ? `https://recordings.exotel.com/${accountSid}/${c.id}/${n.attempts}-${digit}.mp3` : null,
			attempt_number: n.attempts,
			date_created: iso(startedAt),
			start_time: iso(startedAt),
			end_time: iso(startedAt + duration * 1000),
			caller_id: c.caller_id,
			direction: 'Outgoing',
		};
		c.calls.push(call);
		n.callSids.push(call.call_sid);
		callback(
			c,
			'call_status',
			c.call_status_callback,
			clock.callbacks.casing === 'pascal'
				? { CallSid: call.call_sid, To: n.number, From: c.caller_id, Status: outcome, Duration: duration, RecordingUrl: call.recording_url ?? '', DateCreated: call.date_created }
				: { campaign_sid: c.id, call_sid: call.call_sid, number: n.number, status: outcome, date_created: call.date_created, date_updated: call.end_time },
		);
		const retries = c.retries;
		const retry =
			outcome !== 'completed' && retries !== null && n.attempts <= retries.number_of_retries && retries.on_status.includes(outcome);
		if (retry) {
			const factor = retries.mechanism === 'Exponential' ? 2 ** (n.attempts - 1) : 1;
			n.dueAt = now() + retries.interval_mins * factor * clock.minuteMs;
			return;
		}
		n.done = true;
		n.finalStatus = outcome;
		callback(
			c,
			'call_schedule',
			c.call_schedule_callback,
			clock.callbacks.casing === 'pascal'
				? { CampaignSid: c.id, To: n.number, FinalStatus: outcome, AttemptCount: n.attempts }
				: { campaign_sid: c.id, to: n.number, from: c.caller_id, call_sids: [...n.callSids], status: outcome, date_created: c.date_created, date_updated: iso() },
		);
	}

	function step(c: Campaign): void {
		const t = now();
		const sendAt = c.schedule.send_at ? Date.parse(c.schedule.send_at) : undefined;
		const endAt = c.schedule.end_at ? Date.parse(c.schedule.end_at) : undefined;
		if (c.status === 'Created' && (sendAt === undefined || t >= sendAt)) start(c);
		if (endAt !== undefined && t >= endAt) {
			if (c.status === 'InProgress') {
				finishNumbers(c);
				setStatus(c, 'Completed');
			} else if (c.status === 'Paused' && c.date_started) {
				finishNumbers(c);
				setStatus(c, 'Canceled');
			}
		}
		if (c.status !== 'InProgress') return;
		const next = c.numbers.find((n) => !n.done && n.dueAt <= t);
		if (next) attempt(c, next);
		if (c.numbers.every((n) => n.done)) setStatus(c, 'Completed');
	}

	function active(): boolean {
		for (const c of byId.values()) {
			if (c.status === 'Created' || c.status === 'InProgress' || (c.status === 'Paused' && c.schedule.end_at)) return true;
		}
		return false;
	}

	function tick(): void {
		for (const c of byId.values()) step(c);
		schedule();
	}

	function schedule(): void {
		if (timer || !active()) return;
		timer = setTimeout(() => {
			timer = undefined;
			tick();
		}, clock.callMs);
		timer.unref();
	}

	// ----- callbacks -------------------------------------------------------------------------------

	function callback(c: Campaign, kind: DeliveredCallback['kind'], url: string | null, payload: Record<string, unknown>): void {
		void c;
		if (!url) return;
		const record: DeliveredCallback = { kind, url, payload, status: 0 };
		clock.delivered.push(record);
		const { body, headers } = encodeCallback(payload, clock.callbacks.encoding);
		const sent = fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(15_000) })
			.then(async (response) => {
				record.status = response.status;
				await response.arrayBuffer().catch(() => undefined);
			})
			.catch(() => undefined)
			.finally(() => pending.delete(sent));
		pending.add(sent);
	}

	// ----- routes ----------------------------------------------------------------------------------

	function requireCampaign(id: string): Campaign {
		const c = byId.get(id);
		if (!c) throw new HttpError(404, 1000, `Campaign ${id} not found`);
		return c;
	}

	function one(r: ApiRequest): Record<string, unknown> {
		const body = jsonObject(r);
		if (!('campaigns' in body)) return body;
		const list = body.campaigns;
		if (!Array.isArray(list) || list.length !== 1 || !isObject(list[0])) {
			throw new HttpError(400, 1002, "'campaigns' must be an array with exactly one campaign");
		}
		return list[0];
	}

	function create(r: ApiRequest): Reply {
		const input = one(r);
		const c: Campaign = {
			id: newSid(),
			account_sid: accountSid,
			name: '',
			type: 'trans',
			campaign_type: 'static',
			caller_id: '',
			url: null,
			lists: [],
			from: [],
			retries: null,
			schedule: { send_at: null, end_at: null },
			call_status_callback: null,
			call_schedule_callback: null,
			status_callback: null,
			mode: 'auto',
			throttle: null,
			call_duplicate_numbers: false,
			custom_field: null,
			status: 'Created',
			date_created: iso(),
			date_updated: iso(),
			date_started: null,
			numbers: [],
			calls: [],
			createdSeq: ++seq,
		};
		if (input.caller_id === undefined || input.caller_id === '') throw new HttpError(400, 1001, 'caller_id is mandatory');
		if (input.lists === undefined && input.from === undefined) throw new HttpError(400, 1001, 'from or lists is mandatory');
		if (input.name === undefined) input.name = `${accountSid} ${iso()}`;
		applyFields(c, input, true);
		if (c.lists.length === 0 && c.from.length === 0) throw new HttpError(400, 1001, 'from or lists is mandatory');
		byId.set(c.id, c);
		// Without send_at it starts (and makes its first call) at once.
		step(c);
		schedule();
		return envelope('POST', 200, [success(view(c))]);
	}

	/** Checks and applies create/update fields (Exotel names) to `c`. */
	function applyFields(c: Campaign, input: Record<string, unknown>, creating: boolean): void {
		const str = (key: string): string | undefined => {
			const v = input[key];
			if (v === undefined) return undefined;
			if (typeof v !== 'string') throw new HttpError(400, 1002, `${key} must be a string`);
			return v;
		};
		const name = str('name');
		if (name !== undefined) {
			if (name.trim().length <= 3) throw new HttpError(400, 1002, 'name must be longer than 3 characters');
			c.name = name;
		}
		const callerId = str('caller_id');
		if (callerId !== undefined) c.caller_id = callerId;
		const campaignType = str('campaign_type');
		if (campaignType !== undefined) {
			if (campaignType !== 'static' && campaignType !== 'dynamic') throw new HttpError(400, 1002, `Invalid campaign_type '${campaignType}'`);
			c.campaign_type = campaignType;
		}
		if (input.lists !== undefined) {
			if (!Array.isArray(input.lists) || input.lists.some((l) => typeof l !== 'string')) {
				throw new HttpError(400, 1002, 'lists must be an array of list SIDs');
			}
			const lists = input.lists as string[];
			for (const sid of lists) {
				if (!store.state.lists.has(sid)) throw new HttpError(400, 1002, `List ${sid} does not exist`);
			}
			c.lists = lists;
		}
		const maxLists = c.campaign_type === 'dynamic' ? 1 : 5;
		if (c.lists.length > maxLists) throw new HttpError(400, 1002, `At most ${maxLists} lists for a ${c.campaign_type} campaign`);
		if (input.from !== undefined) {
			const from = typeof input.from === 'string' ? input.from.split(',').map((s) => s.trim()) : input.from;
			if (!Array.isArray(from) || from.length > 5000) throw new HttpError(400, 1002, 'from must be an array of at most 5000 numbers');
			const bad = from.find((n) => !isValidNumber(n));
			if (bad !== undefined) throw new HttpError(400, 1002, `Invalid number ${String(bad)} in from`);
			c.from = from as string[];
		}
		const url = str('url');
		if (url !== undefined) {
			if (!/^https?:\/\/\S+$/.test(url)) throw new HttpError(400, 1002, `Invalid url '${url}'`);
			c.url = url;
		}
		if (input.retries !== undefined) {
			const r = input.retries;
			if (!isObject(r)) throw new HttpError(400, 1002, 'retries must be an object');
			const count = r.number_of_retries ?? 0;
			if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 3) {
				throw new HttpError(400, 1002, 'retries.number_of_retries must be 0 to 3');
			}
			const interval = r.interval_mins;
			if (count > 0 && (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1)) {
				throw new HttpError(400, 1001, 'retries.interval_mins (a whole number ≥ 1) is required with retries');
			}
			const mechanism = r.mechanism ?? 'Linear';
			if (mechanism !== 'Linear' && mechanism !== 'Exponential') throw new HttpError(400, 1002, `Invalid retries.mechanism '${String(mechanism)}'`);
			const onStatus = r.on_status ?? ['busy', 'no-answer', 'failed'];
			if (!Array.isArray(onStatus) || onStatus.some((s) => !['busy', 'no-answer', 'failed'].includes(s as string))) {
				throw new HttpError(400, 1002, 'retries.on_status must be a subset of busy, no-answer, failed');
			}
			c.retries = { number_of_retries: count, interval_mins: Number(interval ?? 1), mechanism, on_status: onStatus as CallOutcome[] };
		}
		if (input.schedule !== undefined) {
			const s = input.schedule;
			if (!isObject(s)) throw new HttpError(400, 1002, 'schedule must be an object');
			for (const key of ['send_at', 'end_at'] as const) {
				const v = s[key];
				if (v === undefined || v === null) continue;
				if (typeof v !== 'string' || !RFC3339.test(v)) throw new HttpError(400, 1002, `schedule.${key} must be RFC 3339 with an offset, got '${String(v)}'`);
				c.schedule[key] = v;
			}
			if (c.schedule.send_at && c.schedule.end_at && Date.parse(c.schedule.end_at) <= Date.parse(c.schedule.send_at)) {
				throw new HttpError(400, 1002, 'schedule.end_at must be after send_at');
			}
		}
		for (const key of CALLBACK_FIELDS) {
			const v = str(key);
			if (v === undefined) continue;
			if (v !== '' && !/^https?:\/\/\S+$/.test(v)) throw new HttpError(400, 1002, `Invalid ${key} '${v}'`);
			c[key] = v || null;
		}
		const mode = str('mode');
		if (mode !== undefined) {
			if (mode !== 'auto' && mode !== 'custom') throw new HttpError(400, 1002, `Invalid mode '${mode}'`);
			c.mode = mode;
		}
		if (input.throttle !== undefined) {
			const t = input.throttle;
			if (typeof t !== 'number' || !Number.isInteger(t) || t < 1) throw new HttpError(400, 1002, 'throttle must be a whole number ≥ 1');
			if (c.mode !== 'custom') throw new HttpError(400, 1002, "throttle needs mode 'custom'");
			c.throttle = t;
		}
		if (input.call_duplicate_numbers !== undefined) {
			if (typeof input.call_duplicate_numbers !== 'boolean') throw new HttpError(400, 1002, 'call_duplicate_numbers must be a boolean');
			c.call_duplicate_numbers = input.call_duplicate_numbers;
		}
		const customField = str('custom_field');
		if (customField !== undefined) c.custom_field = customField;
		if (!creating) c.date_updated = iso();
	}

	function refuse(what: string, c: Campaign, allowed: string): never {
		throw new HttpError(400, 1002, `Cannot ${what}: campaign ${c.id} is ${c.status}; ${allowed}`);
	}

	function update(r: ApiRequest): Reply {
		const c = requireCampaign(r.params.id);
		const input = one(r);
		const { action, ...fields } = input;
		if (action !== undefined) {
			const rule = typeof action === 'string' ? ACTIONS[action.toLowerCase()] : undefined;
			if (!rule) throw new HttpError(400, 1002, `Invalid action '${String(action)}'; use pause, resume, complete or archive`);
			const name = (action as string).toLowerCase();
			if (!rule.from.includes(c.status)) refuse(name, c, `${name} is allowed from ${rule.from.join(', ')}`);
			if (name === 'pause') setStatus(c, 'Paused');
			else if (name === 'resume') setStatus(c, c.date_started ? 'InProgress' : 'Created');
			else if (name === 'complete') {
				finishNumbers(c);
				setStatus(c, 'Completed');
			} else setStatus(c, 'Archived');
		}
		if (Object.keys(fields).length > 0) {
			const started = c.date_started !== null || FINAL.includes(c.status);
			if (started) {
				const others = Object.keys(fields).filter((k) => !(CALLBACK_FIELDS as readonly string[]).includes(k));
				if (others.length) refuse(`change ${others.join(', ')}`, c, `after the start only ${CALLBACK_FIELDS.join(', ')} can change`);
			}
			applyFields(c, fields, false);
		}
		schedule();
		return envelope('PUT', 200, [success(view(c))]);
	}

	function remove(id: string): Reply {
		const c = requireCampaign(id);
		if (c.status !== 'Created' || c.date_started) refuse('delete', c, 'only a campaign that has not started (Created) can be deleted');
		byId.delete(id);
		return envelope('DELETE', 200, [success({ id, status: 'deleted' })]);
	}

	function list(r: ApiRequest): Reply {
		const { offset, limit } = paging(r, CAMPAIGN_PAGE_CAP);
		const name = r.query.get('name');
		const statusFilter = r.query.get('status');
		const wanted = statusFilter ? new Set(statusFilter.split(',').map((s) => normalizeStatus(s.trim()))) : undefined;
		const sortBy = r.query.get('sort_by') || 'date_created:asc';
		const [field, dir] = sortBy.split(':');
		if (!['date_created', 'name'].includes(field) || !['asc', 'desc'].includes((dir ?? 'asc').toLowerCase())) {
			throw new HttpError(400, 1002, `Invalid sort_by '${sortBy}'`);
		}
		let all = [...byId.values()].filter(
			(c) => (!name || c.name.toLowerCase().includes(name.toLowerCase())) && (!wanted || wanted.has(normalizeStatus(c.status))),
		);
		all = all.sort((a, b) => (field === 'name' ? a.name.localeCompare(b.name) || a.createdSeq - b.createdSeq : a.createdSeq - b.createdSeq));
		if ((dir ?? 'asc').toLowerCase() === 'desc') all.reverse();
		const page = all.slice(offset, offset + limit).map(view);
		return envelope('GET', 200, clock.listItems === 'wrapped' ? page.map(success) : page, {
			count: page.length,
			offset,
			limit,
			total: all.length,
		});
	}

	function callDetails(r: ApiRequest): Reply {
		const c = requireCampaign(r.params.id);
		if (c.calls.length === 0) throw new HttpError(404, 1000, `No call details for campaign ${c.id} yet`);
		const { offset, limit } = paging(r, CAMPAIGN_PAGE_CAP);
		const statusFilter = r.query.get('status');
		const wanted = statusFilter ? new Set(statusFilter.split(',').map((s) => s.trim().toLowerCase())) : undefined;
		const all = c.calls.filter((call) => !wanted || wanted.has(call.status));
		if ((r.query.get('sort_by') ?? '').toLowerCase() === 'date_created:desc') all.reverse();
		const page = all.slice(offset, offset + limit);
		return envelope('GET', 200, clock.callDetailItems === 'wrapped' ? page.map(success) : page, {
			count: page.length,
			offset,
			limit,
			total: all.length,
		});
	}

	return {
		routes: [
			{ method: 'POST', path: '/campaigns', handle: create },
			{ method: 'GET', path: '/campaigns', handle: list },
			{ method: 'GET', path: '/campaigns/:id', handle: (r) => envelope('GET', 200, [success(view(requireCampaign(r.params.id)))]) },
			{ method: 'PUT', path: '/campaigns/:id', handle: update },
			{ method: 'DELETE', path: '/campaigns/:id', handle: (r) => remove(r.params.id) },
			{ method: 'GET', path: '/campaigns/:id/call-details', handle: callDetails },
		],
		reset() {
			if (timer) clearTimeout(timer);
			timer = undefined;
			byId.clear();
			offsetMs = 0;
			clock.delivered.length = 0;
			clock.callMs = 5;
			clock.minuteMs = 5;
			clock.statusStyle = 'pascal';
			clock.listItems = 'wrapped';
			clock.callDetailItems = 'bare';
			clock.callbacks = { casing: 'snake', encoding: 'json' };
		},
	};
};

/** A callback payload as JSON, form-urlencoded (arrays as repeated keys, objects as JSON) or multipart. */
export function encodeCallback(
	payload: Record<string, unknown>,
	encoding: CampaignCallbackSettings['encoding'],
): { body: string; headers: Record<string, string> } {
	if (encoding === 'json') return { body: JSON.stringify(payload), headers: { 'Content-Type': 'application/json' } };
	const pairs: Array<[string, string]> = [];
	for (const [key, value] of Object.entries(payload)) {
		if (Array.isArray(value)) for (const v of value) pairs.push([key, String(v)]);
		else if (isObject(value)) pairs.push([key, JSON.stringify(value)]);
		else pairs.push([key, value === null || value === undefined ? '' : String(value)]);
	}
	if (encoding === 'form') {
		return {
			body: new URLSearchParams(pairs).toString(),
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		};
	}
	const boundary = `----exotelsim${randomUUID().replace(/-/g, '')}`;
	const body =
		pairs.map(([key, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`).join('') +
		`--${boundary}--\r\n`;
	return { body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}
