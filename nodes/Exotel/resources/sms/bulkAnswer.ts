import type { IDataObject } from 'n8n-workflow';

import { numberKey } from '../../helpers/phoneNumber';
import { asObject } from '../../transport/envelope';
import { unwrapSms } from './status';

/** What Exotel's bulk answer says of one message: sent (an SMS record) or refused (its RestException). */
export type MessageReport = { sent: IDataObject } | { refused: IDataObject };

/** The result of reading a bulk answer: a report per message (undefined: Exotel said nothing of it). */
export interface MatchedAnswer {
	reports: Array<MessageReport | undefined>;
	/** How many entries Exotel's answer held (beside the number of messages sent). */
	entries: number;
}

/**
 * The entries of a bulk answer: an array of `{ SMSMessage }` (or `{ RestException }`), the
 * `{ SMSMessages: […] }` form, or a single `{ SMSMessage }` when one message was sent.
 */
function entriesOf(answer: unknown): unknown[] {
	if (Array.isArray(answer)) return answer;
	const object = asObject(answer);
	if (!object) return [];
	for (const key of ['SMSMessages', 'SmsMessages', 'Messages', 'sms']) {
		if (Array.isArray(object[key])) return object[key] as unknown[];
	}
	return unwrapSms(object) || asObject(object.RestException) ? [object] : [];
}

const bodyKey = (body: unknown) => String(body ?? '').replace(/\r\n?/g, '\n').trim();

/** The number a refusal's message quotes (`'+14155550123' is not a valid number`), if it quotes one. */
function quotedNumber(message: unknown): string | undefined {
	const numbers = String(message ?? '').match(/\+?\d[\d\s-]{5,}\d/g) ?? [];
	return numbers.length === 1 ? numbers[0] : undefined;
}

interface Entry {
	report: MessageReport;
	to?: unknown;
	body?: unknown;
	position: number;
}

function readEntry(entry: unknown, position: number): Entry | undefined {
	const sms = unwrapSms(entry);
	if (sms) return { report: { sent: sms }, to: sms.To, body: sms.Body, position };
	const object = asObject(entry);
	const exception = asObject(object?.RestException);
	if (!object || !exception) return undefined;
	return {
		report: { refused: object },
		to: exception.To ?? object.To ?? quotedNumber(exception.Message),
		body: exception.Body ?? object.Body,
		position,
	};
}

/**
 * Matches each entry of Exotel's bulk answer to the message it is about, by number and text, so an
 * answer in another order (or with entries missing) still reaches the right items:
 * 1. an entry with a number (a refusal's may be quoted in its message) goes to an unmatched message
 *    with the same number and text (the one in its own position first); when Exotel changed the text
 *    (shortened links) or gave none, and only one unmatched message has that number, to that one;
 * 2. an entry that names no number (a bare refusal) goes to its position only when the answer holds
 *    one entry per message and every other entry was in its own position, or when it is the last
 *    entry left for the last message left.
 * Messages left unmatched get no report: the caller says they may have been sent.
 */
export function matchBulkAnswer(messages: IDataObject[], answer: unknown): MatchedAnswer {
	const raw = entriesOf(answer);
	const entries = raw.map((entry, position) => readEntry(entry, position)).filter((entry): entry is Entry => !!entry);
	const reports: Array<MessageReport | undefined> = new Array(messages.length).fill(undefined);
	const taken = (index: number) => reports[index] !== undefined;
	const pick = (candidates: number[], position: number) =>
		candidates.includes(position) ? position : candidates[0];

	// Messages by number, so that each entry looks at its own number's messages only.
	const byKey = new Map<string, number[]>();
	messages.forEach((message, index) => {
		const key = numberKey(message.To);
		byKey.set(key, [...(byKey.get(key) ?? []), index]);
	});

	let inOrder = raw.length === messages.length;
	const anonymous: Entry[] = [];
	const unmatched: Entry[] = [];
	for (const entry of entries) {
		const key = numberKey(entry.to);
		if (!key) {
			anonymous.push(entry);
			continue;
		}
		const byNumber = (byKey.get(key) ?? []).filter((index) => !taken(index));
		const exact =
			entry.body === undefined
				? byNumber
				: byNumber.filter((index) => bodyKey(messages[index].Body) === bodyKey(entry.body));
		const candidates = exact.length > 0 ? exact : byNumber.length === 1 ? byNumber : [];
		if (candidates.length === 0) {
			unmatched.push(entry);
			inOrder = false;
			continue;
		}
		const index = pick(candidates, entry.position);
		if (index !== entry.position) inOrder = false;
		reports[index] = entry.report;
	}
	for (const entry of anonymous) {
		if (inOrder && !taken(entry.position)) {
			reports[entry.position] = entry.report;
			continue;
		}
		unmatched.push(entry);
	}
	const open = messages.map((_message, index) => index).filter((index) => !taken(index));
	if (open.length === 1 && unmatched.length === 1 && !numberKey(unmatched[0].to)) {
		reports[open[0]] = unmatched[0].report;
	}
	return { reports, entries: raw.length };
}
