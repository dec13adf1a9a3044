import type { IDataObject } from 'n8n-workflow';

import {
	DEDUPE_MAX_AGE_MS,
	DEDUPE_MAX_KEYS,
	PERSIST_MAX_KEYS,
	checkDelivery,
	forgetDeliveriesInMemory,
} from '../../nodes/ExotelTrigger/helpers/dedupe';
import { tokenMatches } from '../../nodes/ExotelTrigger/helpers/secret';
import { TriggerEndpoint } from '../helpers/webhookHarness';
import type { Delivery, PostOptions } from '../helpers/webhookHarness';

type Encoding = 'json' | 'form' | 'multipart';
type Payload = Record<string, string | string[] | IDataObject>;

/** Each campaign callback in both spellings Exotel is seen to send: snake_case and PascalCase keys. */
const callbacks: Array<{ name: string; payload: Payload; expected: IDataObject }> = [
	{
		name: 'call status, snake_case',
		payload: {
			campaign_sid: 'CMP100',
			call_sid: 'CA100',
			number: '+919800000001',
			status: 'completed',
			date_created: '2026-12-01 10:00:00',
			date_updated: '2026-12-01 10:01:00',
		},
		expected: { event: 'callStatus', campaignId: 'CMP100', callSid: 'CA100', number: '+919800000001', status: 'completed' },
	},
	{
		name: 'call status, PascalCase',
		payload: {
			CallSid: 'CA200',
			To: '09800000002',
			From: '08000000000',
			Status: 'no-answer',
			Duration: '0',
			RecordingUrl: '',
			DateCreated: '2026-12-01 10:00:00',
		},
		expected: { event: 'callStatus', callSid: 'CA200', number: '09800000002', status: 'no-answer' },
	},
	{
		name: 'call schedule, snake_case',
		payload: {
			campaign_sid: 'CMP100',
			to: '+919800000003',
			from: '08000000000',
			call_sids: ['CA301', 'CA302'],
			status: 'failed',
			date_created: '2026-12-01 10:00:00',
			date_updated: '2026-12-01 11:00:00',
		},
		expected: { event: 'callSchedule', campaignId: 'CMP100', number: '+919800000003', status: 'failed' },
	},
	{
		name: 'call schedule, PascalCase',
		payload: { CampaignSid: 'CMP400', To: '09800000004', FinalStatus: 'Busy', AttemptCount: '3' },
		expected: { event: 'callSchedule', campaignId: 'CMP400', number: '09800000004', status: 'busy' },
	},
	{
		name: 'campaign status, snake_case',
		payload: {
			campaign_sid: 'CMP500',
			status: 'Completed',
			date_created: '2026-12-01 09:00:00',
			date_updated: '2026-12-01 12:00:00',
			report_url: 'https://example.invalid/report.csv',
		},
		expected: { event: 'campaignStatus', campaignId: 'CMP500', status: 'completed' },
	},
	{
		name: 'campaign status, PascalCase',
		payload: { CampaignSid: 'CMP600', Status: 'InProgress', Stats: { total: 10, completed: 4 } },
		expected: { event: 'campaignStatus', campaignId: 'CMP600', status: 'inprogress' },
	},
];

/** How a form carries a payload: arrays as repeated `key[]`, objects as JSON text. */
function formPairs(payload: Payload): Array<[string, string]> {
	return Object.entries(payload).flatMap(([key, value]): Array<[string, string]> =>
		Array.isArray(value)
			? value.map((v): [string, string] => [`${key}[]`, v])
			: [[key, typeof value === 'string' ? value : JSON.stringify(value)]],
	);
}

/** The fields as n8n hands them to the node for an encoding (a repeated key gives an array). */
function fieldsAsReceived(payload: Payload, encoding: Encoding): IDataObject {
	if (encoding === 'json') return payload as IDataObject;
	const fields: IDataObject = {};
	for (const [key, value] of formPairs(payload)) {
		const previous = fields[key];
		fields[key] = previous === undefined ? value : ([] as string[]).concat(previous as string, value);
	}
	return fields;
}

function encode(payload: Payload, encoding: Encoding): PostOptions {
	if (encoding === 'json') return { body: JSON.stringify(payload), contentType: 'application/json' };
	const pairs = formPairs(payload);
	if (encoding === 'form') {
		return {
			body: pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
			contentType: 'application/x-www-form-urlencoded',
		};
	}
	const form = new FormData();
	for (const [k, v] of pairs) form.append(k, v);
	return { body: form }; // fetch sets multipart/form-data with its boundary
}

const [callStatus, , , , campaignStatus] = callbacks;

function expectStartedWith(delivery: Delivery, json: IDataObject) {
	expect(delivery.status).toBe(200);
	expect(delivery.started).toBe(true);
	expect(delivery.run?.status).toBe('success');
	expect(delivery.received).toHaveLength(1);
	expect(delivery.received[0].json).toEqual(json);
}

function expectNotStarted(delivery: Delivery, status: number) {
	expect(delivery.status).toBe(status);
	expect(delivery.started).toBe(false);
	expect(delivery.webhookResult?.workflowData).toBeUndefined();
}

describe('Exotel Trigger', () => {
	describe('each callback in each encoding starts one execution with its fields and the normalised ones', () => {
		let endpoint: TriggerEndpoint;
		beforeAll(async () => (endpoint = await TriggerEndpoint.start({ parameters: { event: 'any' } })));
		afterAll(async () => endpoint.stop());
		beforeEach(() => endpoint.reset());

		const cases = callbacks.flatMap((callback) =>
			(['json', 'form', 'multipart'] as Encoding[]).map((encoding) => ({ ...callback, encoding })),
		);
		it.each(cases)('$name as $encoding', async ({ payload, expected, encoding }) => {
			const delivery = await endpoint.post(encode(payload, encoding));
			expect(JSON.parse(delivery.responseText)).toEqual({ message: 'Received' });
			expectStartedWith(delivery, { ...fieldsAsReceived(payload, encoding), ...expected });
		});
	});

	// Version 1.1 differs only in what n8n parses before the node runs (known content types only).
	describe.each([1, 1.1])('bodies without a usual content type (node version %s)', (typeVersion) => {
		let endpoint: TriggerEndpoint;
		beforeAll(async () => (endpoint = await TriggerEndpoint.start({ parameters: { event: 'any' }, typeVersion })));
		afterAll(async () => endpoint.stop());
		beforeEach(() => endpoint.reset());

		it('JSON with no content type is read from the raw body', async () => {
			const delivery = await endpoint.post({ body: JSON.stringify(callStatus.payload) });
			expectStartedWith(delivery, { ...callStatus.payload, ...callStatus.expected });
		});

		it('a form sent as text/plain is read as a form', async () => {
			const { body } = encode(campaignStatus.payload, 'form');
			const delivery = await endpoint.post({ body, contentType: 'text/plain' });
			expectStartedWith(delivery, { ...campaignStatus.payload, ...campaignStatus.expected });
		});

		it('JSON under an unknown content type is read from the raw body', async () => {
			const delivery = await endpoint.post({
				body: JSON.stringify({ CallSid: 'CA777', Status: 'Completed' }),
				contentType: 'application/octet-stream',
			});
			expectStartedWith(delivery, {
				CallSid: 'CA777',
				Status: 'Completed',
				event: 'callStatus',
				callSid: 'CA777',
				status: 'completed',
			});
		});

		it('unknown fields pass through; a payload of no known event starts with no event', async () => {
			const delivery = await endpoint.post(encode({ Foo: 'bar', nested: { a: '1' }, Number: '+91 98' }, 'json'));
			expectStartedWith(delivery, { Foo: 'bar', nested: { a: '1' }, Number: '+91 98', number: '+91 98' });
		});
	});

	describe('bad bodies: 400 (or n8n 422) and nothing starts', () => {
		let endpoint: TriggerEndpoint;
		beforeAll(async () => (endpoint = await TriggerEndpoint.start({ parameters: { event: 'any' } })));
		afterAll(async () => endpoint.stop());
		beforeEach(() => endpoint.reset());

		it.each([
			['plain text', { body: 'this is not a callback', contentType: 'text/plain' }],
			['no content type, not JSON or a form', { body: '{"call_sid": "CA1", ' }],
			['a JSON array', { body: '[{"call_sid": "CA1"}]', contentType: 'application/json' }],
			['a JSON string', { body: '"completed"', contentType: 'application/json' }],
			['an empty JSON body', { body: '', contentType: 'application/json' }],
			['an empty object', { body: '{}', contentType: 'application/json' }],
			['a form with a bad escape', { body: 'call_sid=%E0%A4%A&status=completed', contentType: 'text/plain' }],
		] as Array<[string, PostOptions]>)('%s → 400', async (_name, options) => {
			const delivery = await endpoint.post(options);
			expectNotStarted(delivery, 400);
			expect(delivery.webhookResult).toEqual({ noWebhookResponse: true });
		});

		it('a body over 1 MB with Content-Length → 400', async () => {
			const delivery = await endpoint.post(
				encode({ ...callStatus.payload, padding: 'x'.repeat(1024 * 1024) }, 'json'),
			);
			expectNotStarted(delivery, 400);
			expect(delivery.responseText).toContain('larger than');
		});

		it('a chunked body over 1 MB (no Content-Length) → 400', async () => {
			const { body } = encode({ ...callStatus.payload, padding: 'x'.repeat(1024 * 1024) }, 'form');
			const delivery = await endpoint.postChunked(body as string, 'application/x-www-form-urlencoded');
			expectNotStarted(delivery, 400);
		});

		it('a chunked body under 1 MB starts as usual', async () => {
			const { body } = encode(callStatus.payload, 'form');
			const delivery = await endpoint.postChunked(body as string, 'application/x-www-form-urlencoded');
			expectStartedWith(delivery, { ...callStatus.payload, ...callStatus.expected });
		});

		it('malformed JSON is answered 422 by n8n before the node runs', async () => {
			const delivery = await endpoint.post({ body: '{"call_sid": ', contentType: 'application/json' });
			expect(delivery.status).toBe(422);
			expect(delivery.webhookResult).toBeUndefined();
			expect(delivery.started).toBe(false);
		});
	});

	describe('secret', () => {
		const secret = 'Sx9-q2!long-secret';
		let endpoint: TriggerEndpoint;
		beforeAll(async () => (endpoint = await TriggerEndpoint.start({ parameters: { event: 'any', secret } })));
		afterAll(async () => endpoint.stop());

		const consoleCalls: unknown[][] = [];
		beforeEach(() => {
			for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
				jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleCalls.push(args));
			}
		});
		afterEach(() => jest.restoreAllMocks());
		afterAll(() => expect(JSON.stringify(consoleCalls)).not.toContain(secret));

		it.each([
			['missing', undefined],
			['wrong, same length', `token=${'x'.repeat(secret.length)}`],
			['a prefix of the secret', `token=${encodeURIComponent(secret.slice(0, -1))}`],
			['the secret plus more', `token=${encodeURIComponent(`${secret}x`)}`],
			['given twice', `token=${encodeURIComponent(secret)}&token=${encodeURIComponent(secret)}`],
			['empty', 'token='],
		])('token %s → 401, nothing starts', async (_name, query) => {
			const delivery = await endpoint.post({ ...encode(callStatus.payload, 'json'), query });
			expectNotStarted(delivery, 401);
			expect(delivery.responseText).not.toContain(secret);
		});

		it('the right token → 200 and one execution; the secret is in no output, answer or static data', async () => {
			const delivery = await endpoint.post({
				...encode(callStatus.payload, 'form'),
				query: `token=${encodeURIComponent(secret)}`,
			});
			expectStartedWith(delivery, { ...callStatus.payload, ...callStatus.expected });
			for (const text of [delivery.responseText, JSON.stringify(delivery.run), JSON.stringify(endpoint.storedStaticData)]) {
				expect(text).not.toContain(secret);
			}
		});

		it('a wrong token is refused before the body is judged (bad body → still 401)', async () => {
			const delivery = await endpoint.post({ body: 'garbage', contentType: 'text/plain', query: 'token=nope' });
			expectNotStarted(delivery, 401);
		});

		it('tokenMatches compares whole strings', () => {
			expect(tokenMatches(secret, secret)).toBe(true);
			expect(tokenMatches(`${secret}\u0000`, secret)).toBe(false);
			expect(tokenMatches(secret.slice(0, -1), secret)).toBe(false);
			expect(tokenMatches('', secret)).toBe(false);
			expect(tokenMatches([secret], secret)).toBe(false);
			expect(tokenMatches(undefined, secret)).toBe(false);
		});
	});

	describe('event filter', () => {
		let endpoint: TriggerEndpoint;
		beforeAll(async () => (endpoint = await TriggerEndpoint.start({ parameters: { event: 'callStatus' } })));
		afterAll(async () => endpoint.stop());
		beforeEach(() => endpoint.reset());

		it('another event → 200, nothing starts, nothing recorded', async () => {
			const delivery = await endpoint.post(encode(campaignStatus.payload, 'json'));
			expectNotStarted(delivery, 200);
			expect(delivery.responseText).toContain('Ignored');
			expect(endpoint.storedStaticData).toEqual({});
		});

		it('a payload of no known event → 200, nothing starts', async () => {
			expectNotStarted(await endpoint.post(encode({ Foo: 'bar' }, 'json')), 200);
		});

		it('the chosen event starts', async () => {
			const delivery = await endpoint.post(encode(callStatus.payload, 'multipart'));
			expectStartedWith(delivery, { ...callStatus.payload, ...callStatus.expected });
		});
	});

	describe('retried deliveries', () => {
		let endpoint: TriggerEndpoint;
		beforeEach(async () => (endpoint = await TriggerEndpoint.start({ parameters: { event: 'any' } })));
		afterEach(async () => endpoint.stop());

		it('the same call status again → 200, no second execution (static data kept across requests)', async () => {
			expect((await endpoint.post(encode(callStatus.payload, 'json'))).started).toBe(true);
			const retry = await endpoint.post(encode(callStatus.payload, 'json'));
			expectNotStarted(retry, 200);
			expect(retry.responseText).toContain('Duplicate');
			expect(endpoint.storedStaticData).toEqual({
				'node:Exotel Trigger': { deliveries: { 'callStatus|CA100|completed': expect.any(Number) } },
			});
		});

		it('a retry in another encoding or spelling of the status is still the same delivery', async () => {
			expect((await endpoint.post(encode(callStatus.payload, 'multipart'))).started).toBe(true);
			const retry = await endpoint.post(encode({ ...callStatus.payload, status: 'COMPLETED' }, 'form'));
			expectNotStarted(retry, 200);
		});

		it('the same call with another status, and another call, each start', async () => {
			expect((await endpoint.post(encode(callStatus.payload, 'json'))).started).toBe(true);
			expect((await endpoint.post(encode({ ...callStatus.payload, status: 'failed' }, 'json'))).started).toBe(true);
			expect((await endpoint.post(encode({ ...callStatus.payload, call_sid: 'CA101' }, 'json'))).started).toBe(true);
		});

		it('campaign status: same campaign and status deduplicated, a new status starts', async () => {
			const started = { CampaignSid: 'CMP600', Status: 'InProgress' };
			expect((await endpoint.post(encode(started, 'json'))).started).toBe(true);
			expectNotStarted(await endpoint.post(encode(started, 'form')), 200);
			expect((await endpoint.post(encode({ ...started, Status: 'Completed' }, 'json'))).started).toBe(true);
		});

		it('call schedule: same campaign, number and final status deduplicated', async () => {
			const schedule = callbacks[3].payload;
			expect((await endpoint.post(encode(schedule, 'json'))).started).toBe(true);
			expectNotStarted(await endpoint.post(encode(schedule, 'multipart')), 200);
		});

		it('a rejected (401) or ignored delivery is not remembered', async () => {
			await endpoint.stop();
			endpoint = await TriggerEndpoint.start({ parameters: { event: 'campaignStatus', secret: 'abc' } });
			expectNotStarted(await endpoint.post(encode(campaignStatus.payload, 'json')), 401);
			expectNotStarted(await endpoint.post({ ...encode(callStatus.payload, 'json'), query: 'token=abc' }), 200);
			expect(endpoint.storedStaticData).toEqual({});
			expect((await endpoint.post({ ...encode(campaignStatus.payload, 'json'), query: 'token=abc' })).started).toBe(true);
		});

		it('test URLs (manual mode) do not deduplicate, so a sample can be resent', async () => {
			await endpoint.stop();
			endpoint = await TriggerEndpoint.start({ parameters: { event: 'any' }, mode: 'manual' });
			expect((await endpoint.post(encode(callStatus.payload, 'json'))).started).toBe(true);
			expect((await endpoint.post(encode(callStatus.payload, 'json'))).started).toBe(true);
		});
	});

	describe('dedupe memory bounds', () => {
		const seenBefore = (scope: string, staticData: IDataObject, key: string, now: number) =>
			checkDelivery(scope, staticData, key, now) === 'duplicate';
		let scope = 0;
		const nextScope = () => `bounds-${++scope}`;

		it(`keeps the last ${DEDUPE_MAX_KEYS} keys in memory`, () => {
			const name = nextScope();
			const staticData: IDataObject = {};
			let seen = 0;
			for (let i = 0; i <= DEDUPE_MAX_KEYS; i++) if (seenBefore(name, staticData, `key${i}`, 1000 + i)) seen++;
			expect(seen).toBe(0);
			expect(seenBefore(name, {}, `key${DEDUPE_MAX_KEYS}`, 5000)).toBe(true);
			// The oldest key was dropped from memory, and static data holds only the newest.
			expect(seenBefore(name, {}, 'key0', 5000)).toBe(false);
			expect(Object.keys(staticData.deliveries as IDataObject).length).toBeLessThanOrEqual(PERSIST_MAX_KEYS);
		});

		it('forgets keys older than 24 h', () => {
			const name = nextScope();
			expect(seenBefore(name, {}, 'a', 0)).toBe(false);
			expect(seenBefore(name, {}, 'a', DEDUPE_MAX_AGE_MS - 1)).toBe(true);
			expect(seenBefore(name, {}, 'a', DEDUPE_MAX_AGE_MS + 1)).toBe(false);
		});

		it('ignores stored data of another shape, and reads the older list', () => {
			expect(seenBefore(nextScope(), { deliveries: 'not an object', recentDeliveries: 'not a list' }, 'a', 0)).toBe(false);
			const legacy: IDataObject = { recentDeliveries: [['old', 10]] };
			const name = nextScope();
			expect(seenBefore(name, legacy, 'old', 20)).toBe(true);
			expect(seenBefore(name, legacy, 'new', 20)).toBe(false);
			// Rewritten in the new shape, the older key kept.
			expect(legacy).toEqual({ deliveries: { old: 10, new: 20 } });
		});

		it('writes static data at most every few seconds, merged with what is stored', () => {
			const name = nextScope();
			const first: IDataObject = {};
			expect(seenBefore(name, first, 'a', 0)).toBe(false);
			expect(first.deliveries).toEqual({ a: 0 });
			// Another process stored `x` meanwhile; this request comes too soon to write.
			const second: IDataObject = { deliveries: { a: 0, x: 50 } };
			expect(seenBefore(name, second, 'b', 100)).toBe(false);
			expect(second.deliveries).toEqual({ a: 0, x: 50 });
			const third: IDataObject = { deliveries: { a: 0, x: 50 } };
			expect(seenBefore(name, third, 'c', 5000)).toBe(false);
			expect(third.deliveries).toEqual({ a: 0, x: 50, b: 100, c: 5000 });
		});

		it('a key stored by another process (or before a restart) counts as seen', () => {
			forgetDeliveriesInMemory();
			expect(seenBefore(nextScope(), { deliveries: { k: 1 } }, 'k', 2)).toBe(true);
		});
	});
});
