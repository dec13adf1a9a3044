import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { runExotel } from '../helpers/harness';
import type { OnError } from '../helpers/harness';
import { rl, useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';

// The rate governor's clock runs 50 times faster than real time: the throttling test's waits are short.
jest.mock('../../nodes/Exotel/transport/clock', () => {
	const { scaledClock } = jest.requireActual<typeof import('../helpers/scaledClock')>('../helpers/scaledClock');
	return { systemClock: scaledClock(50) };
});

const DLT = { dltEntityId: '1101456780000012345', dltTemplateId: '1107161234567890123', smsType: 'transactional' };

/** Indian mobile numbers as a CRM holds them, none ending in 3, 4, 5 or 9 (the simulator fails those later). */
const customers = (count: number) =>
	Array.from({ length: count }, (_unused, index) => ({ phone: `98${String(index * 10).padStart(8, '0')}`, name: `Customer ${index}` }));

describe('SMS', () => {
	let sim: ExotelSimulator;
	let root: string;
	useSimulator((started) => {
		sim = started;
		root = `/v1/Accounts/${started.credentials.accountSid}`;
	});
	// Lifecycle steps a virtual minute apart: a message moves on only when a test advances the clock.
	beforeEach(() => (sim.smsClock.stepMs = 60_000));

	const send = (parameters: IDataObject, items: IDataObject[], onError?: OnError) =>
		runExotel({
			credentials: { ...sim.credentials },
			parameters: {
				resource: 'sms',
				operation: 'send',
				from: 'EXOTEL',
				to: '={{ $json.phone }}',
				body: '=Hi {{ $json.name }}, we missed your call - ACME',
				additionalFields: DLT,
				options: { defaultCountryCode: '91' },
				...parameters,
			} as never,
			items,
			onError,
		});

	const posts = (path: string) => sim.requests.filter((request) => request.method === 'POST' && request.path === `${root}${path}`);
	/** The form fields of a logged request, as Exotel reads them. */
	const form = (body: unknown) => Object.fromEntries(new URLSearchParams(String(body)));
	const messagesOf = (body: unknown) => {
		const fields = form(body);
		return Object.keys(fields).filter((key) => /^Messages\[\d+\]\[To\]$/.test(key)).length;
	};
	/** What each output item says it sent: its number as Exotel writes it, and its text. */
	const sentPairs = (output: Array<{ json: IDataObject }>) => output.map((item) => [item.json.To, item.json.Body]);
	const expectedPairs = (items: Array<{ phone: string; name: string }>) =>
		items.map((item) => [`0${item.phone}`, `Hi ${item.name}, we missed your call - ACME`]);

	describe('Send in bulk (the default)', () => {
		it('250 messages are 3 bulk requests of 100, 100 and 50, each message with its DLT fields; output in input order, paired', async () => {
			const items = customers(250);
			const result = await send({}, items);
			expect(result.error).toBeUndefined();
			expect(sim.requests).toHaveLength(3);
			expect(posts('/Sms/bulksend.json').map((request) => messagesOf(request.body))).toEqual([100, 100, 50]);
			const first = form(posts('/Sms/bulksend.json')[0].body);
			expect(first).toMatchObject({
				'Messages[0][To]': '+919800000000',
				'Messages[0][Body]': 'Hi Customer 0, we missed your call - ACME',
				'Messages[0][From]': 'EXOTEL',
				'Messages[0][DltEntityId]': DLT.dltEntityId,
				'Messages[0][DltTemplateId]': DLT.dltTemplateId,
				'Messages[0][SmsType]': 'transactional',
			});
			expect(result.output).toHaveLength(250);
			expect(sentPairs(result.output)).toEqual(expectedPairs(items));
			expect(result.output.map((item) => item.pairedItem)).toEqual(items.map((_item, index) => ({ item: index })));
			expect(result.output[0].json).toMatchObject({ Status: 'queued', DetailedStatusCode: 21010, DetailedStatusMeaning: expect.stringMatching(/^Queued/) });
			expect(new Set(result.output.map((item) => item.json.Sid)).size).toBe(250);
			expect(sim.smsClock.messages).toHaveLength(250);
		});

		it('matches each answer to its own message when Exotel answers in another order', async () => {
			sim.smsClock.bulkOrder = 'reversed';
			const items = customers(120);
			const result = await send({}, items);
			expect(result.error).toBeUndefined();
			expect(sentPairs(result.output)).toEqual(expectedPairs(items));
			const sidByNumber = new Map(sim.smsClock.messages.map((message) => [message.to, message.sid]));
			expect(result.output.map((item) => item.json.Sid)).toEqual(items.map((item) => sidByNumber.get(`0${item.phone}`)));
		});

		it.each([['in order', 'request' as const], ['reversed', 'reversed' as const]])(
			"a message Exotel refused is an error item with Exotel's code and text, the others succeed (answer %s)",
			async (_label, order) => {
				sim.smsClock.bulkOrder = order;
				// The simulator, like Exotel's SMS API for an Indian account, refuses numbers outside India in their place.
				const items = [...customers(3), { phone: '+14155550123', name: 'Abroad' }, ...customers(5).slice(3)];
				const result = await send({}, items, 'continueErrorOutput');
				expect(sim.requests).toHaveLength(1);
				expect(sentPairs(result.output)).toEqual(expectedPairs(items.filter((item) => item.name !== 'Abroad')));
				expect(result.output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 4, 5].map((item) => ({ item })));
				expect(result.errorOutput).toHaveLength(1);
				const refused = result.errorOutput[0];
				expect(refused.pairedItem).toEqual({ item: 3 });
				expect(refused.json.error).toBe("Item 4: Exotel refused this SMS: '+14155550123' is not a valid number (40203)");
				expect(refused.json.details).toMatchObject({ code: 40203, httpCode: 400 });
			},
		);

		it('never resends a request whose answer was lost: its items may have been sent, the next request goes on', async () => {
			// The simulator carries the first bulk request out, then drops the connection without answering.
			sim.injectFault({ kind: 'drop', apply: true, match: { method: 'POST', path: '/Sms/bulksend.json' } });
			const items = customers(150);
			const result = await send({}, items, 'continueErrorOutput');
			expect(posts('/Sms/bulksend.json')).toHaveLength(2);
			expect(sim.smsClock.messages).toHaveLength(150); // the lost request was applied once, not twice
			expect(result.errorOutput).toHaveLength(100);
			expect(result.errorOutput.map((item) => item.pairedItem)).toEqual(items.slice(0, 100).map((_item, index) => ({ item: index })));
			expect(result.errorOutput[0].json.error).toMatch(/^Item 1: the answer to the bulk request carrying this SMS was lost, so it may have been sent/);
			expect((result.errorOutput[0].json.details as IDataObject).description).toMatch(
				/did not send it again.*\+919800000000.*SMS → Get cannot help/,
			);
			expect(sentPairs(result.output)).toEqual(expectedPairs(items.slice(100)));
		});

		it("a 5xx after the request was applied is not resent either; Exotel's 4xx refusal of a request says nothing was sent", async () => {
			sim.injectFault({ kind: 'status', status: 502, apply: true, match: { method: 'POST', path: '/Sms/bulksend.json' } });
			const lost = await send({}, customers(2), 'continueErrorOutput');
			expect(posts('/Sms/bulksend.json')).toHaveLength(1);
			expect(sim.smsClock.messages).toHaveLength(2);
			expect(lost.errorOutput.map((item) => item.json.error)).toEqual([
				expect.stringMatching(/^Item 1: .* may have been sent/),
				expect.stringMatching(/^Item 2: .* may have been sent/),
			]);

			sim.reset();
			sim.exoPhones.senderIds = ['ACMEIN'];
			const refused = await send({}, customers(2), 'continueErrorOutput');
			expect(refused.errorOutput.map((item) => (item.json.details as IDataObject).description)).toEqual([
				expect.stringMatching(/Nothing was sent for this item\.$/),
				expect.stringMatching(/Nothing was sent for this item\.$/),
			]);
			expect(sim.smsClock.messages).toHaveLength(0);
		});

		it('a 200 that holds no SMS records (the request was carried out) is not resent: its items may have been sent', async () => {
			sim.injectFault({ kind: 'status', status: 200, apply: true, match: { method: 'POST', path: '/Sms/bulksend.json' } });
			const result = await send({}, customers(3), 'continueErrorOutput');
			expect(posts('/Sms/bulksend.json')).toHaveLength(1);
			expect(sim.smsClock.messages).toHaveLength(3);
			expect(result.output).toHaveLength(0);
			expect(result.errorOutput.map((item) => item.json.error)).toEqual([1, 2, 3].map((n) => expect.stringMatching(new RegExp(`^Item ${n}: .*may have been sent`))));
		});

		it('Exotel throttling with 503 (code 40405) applied nothing: the node waits and sends again, each message once', async () => {
			// Relies on Exotel's 40405 meaning "nothing was sent", as its SMS error table says. Every SMS
			// request is throttled until the first 503 has gone out, then the limit is lifted.
			sim.setRateLimit({ limit: 0, windowMs: 60_000, perFamily: true, families: ['sms', 'sms-bulk'], smsThrottle: 503 });
			const running = send({}, customers(250));
			for (let waited = 0; sim.rateLimitStats.throttled === 0 && waited < 10_000; waited += 5) await sleep(5);
			sim.setRateLimit(undefined);
			const result = await running;
			expect(result.error).toBeUndefined();
			expect(sim.rateLimitStats.throttled).toBeGreaterThan(0);
			expect(sim.requests.filter((request) => request.status === 503)).toHaveLength(sim.rateLimitStats.throttled);
			expect(sim.smsClock.messages).toHaveLength(250);
			expect(result.output).toHaveLength(250);
		});

		it('items with a different status callback, encoding or URL shortening go in separate requests', async () => {
			const items = customers(4).map((item, index) => ({ ...item, callback: index % 2 ? 'https://example.com/b' : 'https://example.com/a' }));
			const result = await send(
				{ additionalFields: { ...DLT, statusCallback: '={{ $json.callback }}', encodingType: 'plain' } },
				items,
			);
			expect(result.error).toBeUndefined();
			const bodies = posts('/Sms/bulksend.json').map((request) => form(request.body));
			expect(bodies.map((body) => [body.StatusCallback, body.EncodingType, body['Messages[0][To]'], body['Messages[1][To]']])).toEqual([
				['https://example.com/a', 'plain', '+919800000000', '+919800000020'],
				['https://example.com/b', 'plain', '+919800000010', '+919800000030'],
			]);
			expect(sentPairs(result.output)).toEqual(expectedPairs(items));
		});

		it('a sender picked from the ExoPhone list (or typed in the picker) is sent as given; a plain string from older workflows too', async () => {
			const [exoPhone] = sim.seedExoPhones(1);
			const picked = await send({ from: rl(exoPhone.phone_number, 'list') }, customers(2));
			expect(picked.error).toBeUndefined();
			const typed = await send({ from: rl('EXOTEL') }, customers(1));
			expect(typed.error).toBeUndefined();
			expect(posts('/Sms/bulksend.json').map((request) => form(request.body)['Messages[0][From]'])).toEqual([exoPhone.phone_number, 'EXOTEL']);
		});

		it('stopping on the first failure says how many SMS Exotel had already accepted', async () => {
			const items = [...customers(2), { phone: '+14155550123', name: 'Abroad' }];
			const result = await send({}, items);
			expect(result.error?.message).toBe("Item 3: Exotel refused this SMS: '+14155550123' is not a valid number (40203)");
			expect(result.error?.description).toMatch(/2 SMS of this run were accepted by Exotel before it stopped/);
		});
	});

	describe('checks before anything is sent', () => {
		it.each([
			['an empty message', { text: '' }, {}, 'Item 2: Message is empty'],
			['a message over 2,000 characters', { text: 'x'.repeat(2001) }, {}, 'Item 2: Message has 2001 characters; Exotel sends at most 2000'],
			['an SMS type Exotel does not know', { type: 'marketing' }, {}, 'Item 2: SMS Type "marketing" is not one of "transactional", "transactional_opt_in", "promotional"'],
			['a letter sender ID for promotional SMS', { type: 'promotional' }, {}, 'Item 2: From "EXOTEL" is a letter sender ID, which promotional SMS cannot use'],
			['a DLT template ID that is not a number', { template: 'Hi {#var#}' }, {}, 'Item 2: DLT Template ID "Hi {#var#}" is not a DLT ID: it has characters other than digits'],
			['a number that is not one', { phone: '12345' }, {}, /^Item 2: To "12345" is not a phone number/],
			['an empty sender', {}, { from: '' }, 'Item 2: From is empty'],
		])('%s fails its item, naming the field, and nothing is sent', async (_label, override, parameters, message) => {
			const items: IDataObject[] = customers(3).map((item) => ({ ...item, text: `Hi ${item.name}`, type: 'transactional', template: DLT.dltTemplateId }));
			Object.assign(items[1], override);
			const fromEmpty = 'from' in parameters;
			const run = (onError?: OnError) =>
				send(
					{
						body: '={{ $json.text }}',
						additionalFields: { ...DLT, smsType: '={{ $json.type }}', dltTemplateId: '={{ $json.template }}' },
						...(fromEmpty ? { from: "={{ $itemIndex === 1 ? '' : 'EXOTEL' }}" } : {}),
					},
					items,
					onError,
				);
			const expected = typeof message === 'string' ? message : expect.stringMatching(message);
			const stopped = await run();
			expect(stopped.error?.message).toEqual(expected);
			expect(sim.requests).toHaveLength(0);

			const continued = await run('continueErrorOutput');
			expect(continued.errorOutput.map((item) => item.json.error)).toEqual([expected]);
			expect(continued.errorOutput[0].pairedItem).toEqual({ item: 1 });
			expect(continued.output).toHaveLength(2);
			expect(posts('/Sms/bulksend.json').map((request) => messagesOf(request.body))).toEqual([2]);
		});
	});

	describe('Send, one request per message', () => {
		it('sends each item with Exotel\'s single send, in order, with its fields', async () => {
			const items = customers(3);
			const result = await send({ options: { defaultCountryCode: '91', sendMode: 'perItem' }, additionalFields: { ...DLT, customField: '={{ $json.name }}', priority: 'normal' } }, items);
			expect(result.error).toBeUndefined();
			expect(posts('/Sms/send.json').map((request) => form(request.body))).toEqual(
				items.map((item) => ({
					From: 'EXOTEL',
					To: `+91${item.phone}`,
					Body: `Hi ${item.name}, we missed your call - ACME`,
					DltEntityId: DLT.dltEntityId,
					DltTemplateId: DLT.dltTemplateId,
					SmsType: 'transactional',
					Priority: 'normal',
					CustomField: item.name,
				})),
			);
			expect(sentPairs(result.output)).toEqual(expectedPairs(items));
		});

		it('an answer lost after Exotel applied it is not resent, and says it may have been sent', async () => {
			sim.injectFault({ kind: 'drop', apply: true, match: { method: 'POST', path: '/Sms/send.json' } });
			const result = await send({ options: { sendMode: 'perItem' } }, customers(2), 'continueErrorOutput');
			expect(posts('/Sms/send.json')).toHaveLength(2);
			expect(sim.smsClock.messages).toHaveLength(2);
			expect(result.errorOutput.map((item) => item.json.error)).toEqual([expect.stringMatching(/^Item 1: the answer to this SMS was lost, so it may have been sent/)]);
			expect(result.output).toHaveLength(1);
		});
	});

	describe('Get', () => {
		const get = (smsSid: string, onError?: OnError) =>
			runExotel({
				credentials: { ...sim.credentials },
				parameters: { resource: 'sms', operation: 'get', smsSid } as never,
				items: [{}],
				onError,
			});

		it("gives the delivery status, its code and what it means, by SID or by the SMS's Uri", async () => {
			// The simulator decides the outcome by the last digit: 0 delivered, 3 DND, 4 DLT template mismatch.
			const sent = await send({}, [
				{ phone: '9800000000', name: 'A' },
				{ phone: '9800000003', name: 'B' },
				{ phone: '9800000004', name: 'C' },
			]);
			sim.smsClock.advance(10 * 60_000);
			const [delivered, dnd, dlt] = sent.output.map((item) => item.json);
			const bySid = await get(String(delivered.Sid));
			expect(bySid.output[0].json).toMatchObject({ Sid: delivered.Sid, Status: 'sent', DetailedStatusCode: 20005, DetailedStatusMeaning: 'Delivered to the phone' });
			const byUri = await get(String(dnd.Uri));
			expect(byUri.output[0].json).toMatchObject({ Status: 'failed-dnd', DetailedStatusCode: 23005 });
			expect(String(byUri.output[0].json.DetailedStatusMeaning)).toMatch(/Do Not Disturb/);
			sim.smsClock.dndSpelling = 'failed_dnd';
			expect((await get(String(dnd.Sid))).output[0].json.Status).toBe('failed-dnd');
			expect((await get(String(dlt.Sid))).output[0].json).toMatchObject({ Status: 'failed', DetailedStatusCode: 23070 });
		});

		it.each([['rest-exception' as const], ['text' as const], ['404' as const]])(
			'an unknown SID ("No matching results" as %s) is a not-found error naming the field',
			async (notFound) => {
				sim.smsClock.notFound = notFound;
				const result = await get('0f477d60517e6ee3fcd3da4c41cf19b8', 'continueErrorOutput');
				expect(result.errorOutput[0].json.error).toBe('Item 1: SMS SID "0f477d60517e6ee3fcd3da4c41cf19b8" matches no SMS in this Exotel account');
				expect((result.errorOutput[0].json.details as IDataObject).field).toBe('SMS SID');
			},
		);
	});
});
