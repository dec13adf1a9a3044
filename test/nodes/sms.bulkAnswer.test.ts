import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { sameNumber } from '../../nodes/Exotel/helpers/phoneNumber';
import { matchBulkAnswer } from '../../nodes/Exotel/resources/sms/bulkAnswer';

/** A batch: distinct Indian mobile numbers (E.164, as the node sends them) with a text each. */
const batch = fc
	.uniqueArray(fc.integer({ min: 6_000_000_000, max: 9_999_999_999 }), { minLength: 1, maxLength: 40 })
	.chain((numbers) =>
		fc.tuple(
			fc.constant(numbers),
			fc.array(fc.string({ minLength: 1, maxLength: 30 }), { minLength: numbers.length, maxLength: numbers.length }),
		),
	)
	.map(([numbers, bodies]) => numbers.map((digits, index) => ({ To: `+91${digits}`, Body: `${bodies[index]}#`, From: 'EXOTEL' })));

/** Exotel's record of a message: the number written `0XXXXXXXXXX`, as its answers do. */
const recordOf = (message: IDataObject, index: number) => ({
	SMSMessage: { Sid: `sid${index}`, To: `0${String(message.To).slice(3)}`, Body: message.Body, Status: 'queued' },
});

/** Exotel's refusal of one message, naming no number (the shape that cannot be matched by content). */
const anonymousRefusal = { RestException: { Status: 400, Message: 'Invalid body', Code: 40202 } };

describe('SMS bulk answer matching', () => {
	it('matches every entry to its own message, whatever order Exotel answers in', () => {
		fc.assert(
			fc.property(
				batch.chain((messages) => fc.tuple(fc.constant(messages), fc.shuffledSubarray(messages.map((_m, i) => i), { minLength: messages.length }))),
				([messages, order]) => {
					const answer = order.map((index) => recordOf(messages[index], index));
					const { reports, entries } = matchBulkAnswer(messages, answer);
					expect(entries).toBe(messages.length);
					reports.forEach((report, index) => expect(report).toEqual({ sent: recordOf(messages[index], index).SMSMessage }));
				},
			),
		);
	});

	it('leaves a message Exotel did not report on unmatched, and never gives it another message\'s entry', () => {
		fc.assert(
			fc.property(
				batch.chain((messages) =>
					fc.tuple(fc.constant(messages), fc.shuffledSubarray(messages.map((_m, i) => i), { minLength: 0, maxLength: messages.length })),
				),
				([messages, reported]) => {
					const { reports } = matchBulkAnswer(messages, { SMSMessages: reported.map((index) => recordOf(messages[index], index).SMSMessage) });
					reports.forEach((report, index) => {
						if (reported.includes(index)) expect(report).toEqual({ sent: recordOf(messages[index], index).SMSMessage });
						else expect(report).toBeUndefined();
					});
				},
			),
		);
	});

	it('gives a refusal that names no number to its message when its position or elimination says which', () => {
		const report = (entry: unknown) => (entry as { sent?: IDataObject } | undefined)?.sent?.Sid;
		fc.assert(
			fc.property(batch, fc.nat(), fc.boolean(), (messages, pick, swap) => {
				const refused = pick % messages.length;
				const answer: IDataObject[] = messages.map((message, index) => (index === refused ? anonymousRefusal : recordOf(message, index)));
				// Swapping two reported entries puts the answer out of order.
				const others = messages.map((_m, i) => i).filter((i) => i !== refused);
				const shuffled = swap && others.length >= 2;
				if (shuffled) [answer[others[0]], answer[others[1]]] = [answer[others[1]], answer[others[0]]];
				const { reports } = matchBulkAnswer(messages, answer);
				others.forEach((index) => expect(report(reports[index])).toBe(`sid${index}`));
				// Out of order, the refusal is still the only entry left for the only message left.
				expect(reports[refused]).toEqual({ refused: anonymousRefusal });
			}),
		);
	});

	it('does not guess when two refusals name no number and the answer is out of order', () => {
		const messages = [0, 1, 2, 3].map((n) => ({ To: `+9198765432${n}0`, Body: `text ${n}` }));
		const answer = [recordOf(messages[1], 1), recordOf(messages[0], 0), anonymousRefusal, anonymousRefusal];
		const { reports } = matchBulkAnswer(messages, answer);
		expect(reports.slice(0, 2)).toEqual([{ sent: recordOf(messages[0], 0).SMSMessage }, { sent: recordOf(messages[1], 1).SMSMessage }]);
		expect(reports.slice(2)).toEqual([undefined, undefined]);
	});

	it('matches a text Exotel rewrote (shortened links) by its number when that number is sent once', () => {
		const messages = [
			{ To: '+919876543210', Body: 'Pay at https://example.com/pay/123' },
			{ To: '+919876543211', Body: 'Pay at https://example.com/pay/456' },
		];
		const answer = [
			{ SMSMessage: { Sid: 'b', To: '09876543211', Body: 'Pay at https://exo.tl/x2' } },
			{ SMSMessage: { Sid: 'a', To: '09876543210', Body: 'Pay at https://exo.tl/x1' } },
		];
		expect(matchBulkAnswer(messages, answer).reports).toEqual([{ sent: answer[1].SMSMessage }, { sent: answer[0].SMSMessage }]);
	});

	it('compares numbers as Exotel writes them back', () => {
		fc.assert(
			fc.property(fc.integer({ min: 6_000_000_000, max: 9_999_999_999 }), (digits) => {
				expect(sameNumber(`+91${digits}`, `0${digits}`)).toBe(true);
				expect(sameNumber(`91${digits}`, `+91 ${String(digits).slice(0, 5)} ${String(digits).slice(5)}`)).toBe(true);
				expect(sameNumber(`+91${digits}`, `0${digits + 1}`)).toBe(false);
			}),
		);
	});
});
