/**
 * The Exotel Trigger's call, SMS and Passthru events, the campaign dedupe keys, and concurrent
 * deliveries, each through n8n-core's WebhookContext behind a real HTTP server.
 *
 * Payload shapes are those Exotel documents or that open-source handlers of its callbacks read:
 * a call's StatusCallback as multipart (Exotel's default, `Legs` flattened), form or JSON (`Legs`
 * an array); an SMS's as form (DetailedStatusCode) or JSON (ExoStatusCode); a Passthru as a GET.
 */
import type { IDataObject } from 'n8n-workflow';

import { forgetDeliveriesInMemory } from '../../nodes/ExotelTrigger/helpers/dedupe';
import { TriggerEndpoint } from '../helpers/webhookHarness';
import type { Delivery, PostOptions } from '../helpers/webhookHarness';

type Fields = Record<string, string>;

function form(fields: Fields): PostOptions {
	return { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
}

function multipart(fields: Fields): PostOptions {
	const body = new FormData();
	for (const [key, value] of Object.entries(fields)) body.append(key, value);
	return { body };
}

function json(payload: IDataObject): PostOptions {
	return { body: JSON.stringify(payload), contentType: 'application/json' };
}

function query(fields: Fields): string {
	return new URLSearchParams(fields).toString();
}

function startedItem(delivery: Delivery): IDataObject {
	expect(delivery.status).toBe(200);
	expect(delivery.started).toBe(true);
	expect(delivery.run?.status).toBe('success');
	expect(delivery.received).toHaveLength(1);
	return delivery.received[0].json;
}

function expectIgnored(delivery: Delivery, status = 200) {
	expect(delivery.status).toBe(status);
	expect(delivery.started).toBe(false);
}

/** A terminal call StatusCallback as Exotel's default multipart flattens it. */
const terminalFlat: Fields = {
	CallSid: 'c1a2b3',
	EventType: 'terminal',
	Status: 'completed',
	DateCreated: '2026-12-01 10:00:00',
	DateUpdated: '2026-12-01 10:01:10',
	To: '09800000001',
	From: '08000000000',
	PhoneNumberSid: '08012345678',
	StartTime: '2026-12-01 10:00:00',
	EndTime: '2026-12-01 10:01:10',
	ConversationDuration: '41',
	Direction: 'outbound-api',
	RecordingUrl: 'https://recordings.example.invalid/c1a2b3.mp3',
	CustomField: 'lead-42',
	'Legs[0][OnCallDuration]': '55',
	'Legs[0][Status]': 'completed',
	'Legs[0][AnsweredBy]': 'Human',
	'Legs[1][OnCallDuration]': '41',
	'Legs[1][Status]': 'completed',
	'Legs[1][AnsweredBy]': 'NA',
};

const expectedLegs = [
	{ OnCallDuration: '55', Status: 'completed', AnsweredBy: 'Human' },
	{ OnCallDuration: '41', Status: 'completed', AnsweredBy: 'NA' },
];

const callNormalised = {
	event: 'call',
	callSid: 'c1a2b3',
	from: '08000000000',
	to: '09800000001',
	status: 'completed',
	eventType: 'terminal',
	legs: expectedLegs,
};

describe('Exotel Trigger: call status callbacks', () => {
	let endpoint: TriggerEndpoint;
	beforeAll(async () => (endpoint = await TriggerEndpoint.start({ parameters: { event: 'call' } })));
	afterAll(async () => endpoint.stop());
	beforeEach(() => endpoint.reset());

	it('multipart with flattened legs: normalised fields, legs as an array, every field as sent', async () => {
		expect(startedItem(await endpoint.post(multipart(terminalFlat)))).toEqual({ ...terminalFlat, ...callNormalised });
	});

	it('form-urlencoded with flattened legs gives the same item', async () => {
		expect(startedItem(await endpoint.post(form(terminalFlat)))).toEqual({ ...terminalFlat, ...callNormalised });
	});

	it('JSON with legs as an array (numbers stay numbers)', async () => {
		const legs = [
			{ OnCallDuration: 55, Status: 'completed', AnsweredBy: 'HUMAN' },
			{ OnCallDuration: 41, Status: 'completed', AnsweredBy: 'NA' },
		];
		const payload = { CallSid: 'cJSON', EventType: 'terminal', Status: 'Completed', DateUpdated: 'x', From: '080', To: '098', Legs: legs };
		const item = startedItem(await endpoint.post(json(payload)));
		expect(item).toEqual({ ...payload, event: 'call', callSid: 'cJSON', from: '080', to: '098', status: 'completed', eventType: 'terminal', legs });
	});

	it('a form whose Legs field is JSON text', async () => {
		const fields = { CallSid: 'cText', Status: 'busy', DateUpdated: 'x', Legs: '[{"Status":"busy"},{"Status":null}]' };
		const item = startedItem(await endpoint.post(form(fields)));
		expect(item.legs).toEqual([{ Status: 'busy' }, { Status: null }]);
		expect(item.Legs).toBe(fields.Legs);
	});

	it('the minimal callback (no StatusCallbackEvents) is a terminal one', async () => {
		const fields = { CallSid: 'cMin', Status: 'no-answer', DateUpdated: '2026-12-01 10:00:00', RecordingUrl: '' };
		const item = startedItem(await endpoint.post(multipart(fields)));
		expect(item).toEqual({ ...fields, event: 'call', callSid: 'cMin', status: 'no-answer' });
		// Its redelivery is the same terminal callback.
		expectIgnored(await endpoint.post(form(fields)));
	});

	it('a legs field named __proto__ stays data', async () => {
		const item = startedItem(await endpoint.post(form({ CallSid: 'cProto', DateUpdated: 'x', 'Legs[0][__proto__]': 'x' })));
		expect(Object.getPrototypeOf((item.legs as IDataObject[])[0])).toBe(Object.prototype);
		expect(Object.keys((item.legs as IDataObject[])[0])).toEqual(['__proto__']);
	});

	it('answered then terminal are two callbacks; a redelivery of either starts nothing', async () => {
		const answered = { ...terminalFlat, EventType: 'answered', Status: 'in-progress', 'Legs[1][Status]': '' };
		expect(startedItem(await endpoint.post(multipart(answered))).eventType).toBe('answered');
		expect(startedItem(await endpoint.post(multipart(terminalFlat))).eventType).toBe('terminal');
		expectIgnored(await endpoint.post(multipart(answered)));
		const retry = await endpoint.post(json({ ...terminalFlat }));
		expectIgnored(retry);
		expect(retry.responseText).toContain('Duplicate');
	});

	it('an SMS, a Passthru or a campaign callback posted to a Call URL is answered 200 and ignored', async () => {
		expectIgnored(await endpoint.post(form({ SmsSid: 's1', Status: 'sent' })));
		expectIgnored(await endpoint.get(query({ CallSid: 'p1', CallFrom: '098' })));
		expectIgnored(await endpoint.post(json({ campaign_sid: 'CMP1', call_sid: 'c9', status: 'completed' })));
	});
});

describe('Exotel Trigger: SMS status callbacks', () => {
	let endpoint: TriggerEndpoint;
	beforeAll(async () => (endpoint = await TriggerEndpoint.start({ parameters: { event: 'sms' } })));
	afterAll(async () => endpoint.stop());
	beforeEach(() => endpoint.reset());

	it('form-urlencoded, as documented', async () => {
		const fields = {
			SmsSid: 'sms001',
			To: '09800000001',
			Status: 'failed-dnd',
			SmsUnits: '1',
			DetailedStatus: 'FAILED_DND',
			DetailedStatusCode: '20014',
			DateSent: '2026-12-01 10:00:00',
			CustomField: 'lead-42',
		};
		const item = startedItem(await endpoint.post(form(fields)));
		expect(item).toEqual({ ...fields, event: 'sms', smsSid: 'sms001', to: '09800000001', status: 'failed-dnd' });
	});

	it('JSON with ExoStatusCode: read as DetailedStatusCode; failed_dnd spelt with a dash', async () => {
		const payload = { SmsSid: 'sms002', To: '098', From: 'EXOTEL', Status: 'FAILED_DND', ExoStatusCode: 20014, DateUpdated: 'x' };
		const item = startedItem(await endpoint.post(json(payload)));
		expect(item).toEqual({
			...payload,
			DetailedStatusCode: '20014',
			event: 'sms',
			smsSid: 'sms002',
			from: 'EXOTEL',
			to: '098',
			status: 'failed-dnd',
		});
	});

	it('dedupe on SMS SID and status: a redelivery (in any spelling) starts nothing, a new status starts', async () => {
		expect(startedItem(await endpoint.post(form({ SmsSid: 'sms003', Status: 'failed_dnd' }))).status).toBe('failed-dnd');
		expectIgnored(await endpoint.post(json({ SmsSid: 'sms003', Status: 'failed-dnd' })));
		expect(startedItem(await endpoint.post(form({ SmsSid: 'sms003', Status: 'sent' }))).status).toBe('sent');
	});

	it('a call callback posted to an SMS URL is ignored', async () => {
		expectIgnored(await endpoint.post(multipart(terminalFlat)));
	});
});

describe('Exotel Trigger: Passthru (GET)', () => {
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a test value, not a secret
	const secret = 'pass-thru-Secret-9';
	let endpoint: TriggerEndpoint;
	beforeAll(async () => (endpoint = await TriggerEndpoint.start({ parameters: { event: 'passthru', secret } })));
	afterAll(async () => endpoint.stop());
	beforeEach(() => endpoint.reset());

	const incoming: Fields = {
		CallSid: 'in001',
		CallFrom: '09800000001',
		CallTo: '08000000000',
		Direction: 'incoming',
		CallType: 'call-attempt',
		digits: '"123"',
		CurrentTime: '2026-12-01 10:00:05',
		StartTime: '2026-12-01 10:00:00',
		EndTime: '1970-01-01 05:30:00',
		CustomField: '',
	};

	it('answers 200 at once and starts one execution; digits without quotes; the token is not in the item', async () => {
		const delivery = await endpoint.get(`${query(incoming)}&token=${encodeURIComponent(secret)}`);
		const item = startedItem(delivery);
		expect(item).toEqual({
			...incoming,
			event: 'passthru',
			callSid: 'in001',
			from: '09800000001',
			to: '08000000000',
			digits: '123',
		});
		expect(JSON.stringify(delivery.run)).not.toContain(secret);
		expect(delivery.responseText).not.toContain(secret);
	});

	it('From/To (the older spelling) and DialCallStatus as the status', async () => {
		const fields = { CallSid: 'in002', From: '0981', To: '0800', DialCallStatus: 'No-Answer', DialWhomNumber: '0999' };
		const item = startedItem(await endpoint.get(`${query(fields)}&token=${secret}`));
		expect(item).toMatchObject({ event: 'passthru', callSid: 'in002', from: '0981', to: '0800', status: 'no-answer' });
	});

	it('the secret applies to GETs: missing or wrong token → 401, nothing starts', async () => {
		expectIgnored(await endpoint.get(query(incoming)), 401);
		expectIgnored(await endpoint.get(`${query(incoming)}&token=wrong`), 401);
	});

	it('a GET without call details (a browser, a URL check) → 200, nothing starts', async () => {
		expectIgnored(await endpoint.get(`token=${secret}`));
	});

	it('the same request resent starts nothing; the same call at another applet or moment starts again', async () => {
		const url = `${query(incoming)}&token=${secret}`;
		startedItem(await endpoint.get(url));
		expectIgnored(await endpoint.get(url));
		startedItem(await endpoint.get(`${query({ ...incoming, CurrentTime: '2026-12-01 10:00:30' })}&token=${secret}`));
	});

	it('a POSTed callback to a Passthru URL is ignored', async () => {
		expectIgnored(await endpoint.post({ ...form({ SmsSid: 's1', Status: 'sent' }), query: `token=${secret}` }));
	});
});

describe('Exotel Trigger: Any starts every kind with its event', () => {
	let endpoint: TriggerEndpoint;
	beforeAll(async () => (endpoint = await TriggerEndpoint.start({ parameters: { event: 'any' } })));
	afterAll(async () => endpoint.stop());

	it.each([
		['call', () => endpoint.post(multipart(terminalFlat))],
		['sms', () => endpoint.post(form({ SmsSid: 'anySms', Status: 'sent' }))],
		['passthru', () => endpoint.get(query({ CallSid: 'anyPass', CallFrom: '098' }))],
		['callStatus', () => endpoint.post(json({ campaign_sid: 'CMP1', call_sid: 'anyCs', status: 'completed', date_updated: 'x' }))],
		['callSchedule', () => endpoint.post(json({ campaign_sid: 'CMP1', to: '098', call_sids: ['a', 'b'], status: 'failed' }))],
		['campaignStatus', () => endpoint.post(json({ campaign_sid: 'CMP1', status: 'Completed' }))],
	] as Array<[string, () => Promise<Delivery>]>)('%s', async (event, send) => {
		expect(startedItem(await send()).event).toBe(event);
	});
});

describe('Exotel Trigger: campaign dedupe drops only true redeliveries', () => {
	let endpoint: TriggerEndpoint;
	beforeAll(async () => (endpoint = await TriggerEndpoint.start({ parameters: { event: 'any' } })));
	afterAll(async () => endpoint.stop());
	beforeEach(() => endpoint.reset());

	it('call schedule: one number twice in a campaign (Call Duplicate Numbers) with other calls → two executions', async () => {
		const first = { campaign_sid: 'CMP7', to: '09800000001', call_sids: ['CA1', 'CA2'], status: 'failed' };
		startedItem(await endpoint.post(json(first)));
		startedItem(await endpoint.post(json({ ...first, call_sids: ['CA3'] })));
		// The first one again, its calls in another order: a redelivery.
		expectIgnored(await endpoint.post(json({ ...first, call_sids: ['CA2', 'CA1'] })));
	});

	it('campaign paused then resumed reports in-progress again, and it starts again', async () => {
		const running = { campaign_sid: 'CMP8', status: 'in-progress', date_updated: '2026-12-01 10:00:00' };
		startedItem(await endpoint.post(json(running)));
		startedItem(await endpoint.post(json({ ...running, status: 'paused', date_updated: '2026-12-01 10:05:00' })));
		startedItem(await endpoint.post(json({ ...running, date_updated: '2026-12-01 10:10:00' })));
		expectIgnored(await endpoint.post(json({ ...running, date_updated: '2026-12-01 10:10:00' })));
	});

	it('PascalCase campaign status without a date: the stats tell a resumed campaign apart', async () => {
		startedItem(await endpoint.post(json({ CampaignSid: 'CMP9', Status: 'InProgress', Stats: { completed: 0 } })));
		startedItem(await endpoint.post(json({ CampaignSid: 'CMP9', Status: 'InProgress', Stats: { completed: 40 } })));
		expectIgnored(await endpoint.post(json({ CampaignSid: 'CMP9', Status: 'InProgress', Stats: { completed: 40 } })));
	});
});

describe('Exotel Trigger: one delivery, one execution, under concurrent redelivery', () => {
	let endpoint: TriggerEndpoint;
	beforeEach(async () => (endpoint = await TriggerEndpoint.start({ parameters: { event: 'any' } })));
	afterEach(async () => endpoint.stop());

	const callback = (i: number) => json({ campaign_sid: 'CMPload', call_sid: `CA${i}`, number: `+9198000${String(i).padStart(5, '0')}`, status: 'completed' });

	it('200 callbacks each posted twice at the same moment, then 100 resent: exactly 200 executions', async () => {
		const first = await Promise.all(
			Array.from({ length: 200 }, (_, i) => [endpoint.post(callback(i)), endpoint.post(callback(i))]).flat(),
		);
		const resent = await Promise.all(Array.from({ length: 100 }, (_, i) => endpoint.post(callback(i * 2))));
		const all = [...first, ...resent];
		expect(all.every((delivery) => delivery.status === 200)).toBe(true);
		const started = all.filter((delivery) => delivery.started);
		expect(started).toHaveLength(200);
		const sids = started.map((delivery) => delivery.received[0].json.callSid);
		expect(new Set(sids).size).toBe(200);
	});

	it('n8n answers accepted deliveries once it has registered the execution; the node answers itself only when it writes static data', async () => {
		const first = await endpoint.post(callback(10));
		expect(first.webhookResult?.noWebhookResponse).toBe(true);
		expect(first.started).toBe(true);
		// Within the next 2 s nothing is written: n8n answers (onReceived), with the node's body.
		const second = await endpoint.post(callback(11));
		expect(second.webhookResult?.noWebhookResponse).toBeUndefined();
		expect(second.webhookResult?.webhookResponse).toEqual({ message: 'Received' });
		expect(JSON.parse(second.responseText)).toEqual({ message: 'Received' });
		expect(second.started).toBe(true);
	});

	it('a delivery whose execution n8n fails to register is not remembered: its copy or retry starts it', async () => {
		// Two copies at once; n8n fails to register the first copy's execution (500). The second copy
		// waits for that outcome instead of being answered as a duplicate, and starts the execution.
		startedItem(await endpoint.post(callback(20))); // the static-data write of this window
		endpoint.failToStart = 1;
		const [a, b] = await Promise.all([endpoint.post(callback(21)), endpoint.post(callback(21))]);
		expect([a.status, b.status].sort()).toEqual([200, 500]);
		expect([a, b].filter((delivery) => delivery.started)).toHaveLength(1);
		// A later retry is a duplicate of the one that started.
		expectIgnored(await endpoint.post(callback(21)));
		// Alone, a failed delivery's retry starts.
		endpoint.failToStart = 1;
		expect((await endpoint.post(callback(22))).status).toBe(500);
		startedItem(await endpoint.post(callback(22)));
	});

	it('after a restart, a delivery already written to static data is still a redelivery', async () => {
		startedItem(await endpoint.post(callback(1)));
		forgetDeliveriesInMemory();
		expectIgnored(await endpoint.post(callback(1)));
		startedItem(await endpoint.post(callback(2)));
	});
});
