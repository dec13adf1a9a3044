/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
import { simulatorTestKit } from './apiClient';
import { CallbackReceiver } from './callbackReceiver';
import type { ExotelSimulator } from './server';
import { at, v1Call } from './v1Client';

let sim: ExotelSimulator;
simulatorTestKit((started) => (sim = started));
let hook: CallbackReceiver;
beforeAll(async () => (hook = await CallbackReceiver.start()));
afterAll(async () => hook.stop());

let exoPhone = '';
beforeEach(() => {
	hook.clear();
	exoPhone = sim.seedExoPhones(1)[0].phone_number;
	sim.seedExoPhones(1, { sms: false });
	// Steps long enough that only advance() moves messages on.
	sim.smsClock.stepMs = 60_000;
});

const send = (form: Array<[string, string]> | Record<string, string>) => v1Call(sim, 'POST', '/Sms/send.json', { form });
const details = async (sid: string) => (await v1Call(sim, 'GET', `/SMS/Messages/${sid}.json`)).json;

describe('Sms/send.json', () => {
	it('one To: {SMSMessage} queued 21010, From as ExoPhone/SenderID', async () => {
		const r = await send({ From: 'EXOTEL', To: '+919123456780', Body: 'Hello', SmsType: 'transactional', DltEntityId: '1101', DltTemplateId: '1107' });
		expect(r.status).toBe(200);
		expect(at(r.json, 'SMSMessage')).toMatchObject({
			From: '08047100001/EXOTEL',
			To: '09123456780',
			Status: 'queued',
			DetailedStatusCode: 21010,
			DetailedStatus: 'PENDING_TO_OPERATOR',
			SmsUnits: 1,
			DateSent: null,
			Price: null,
		});
		expect(sim.requests.at(-1)?.form).toMatchObject({ From: 'EXOTEL', DltTemplateId: '1107' });
		const viaExoPhone = await send({ From: exoPhone, To: '09123456780', Body: 'x'.repeat(161) });
		expect(at(viaExoPhone.json, 'SMSMessage', 'From')).toBe('08047100001');
		expect(at(viaExoPhone.json, 'SMSMessage', 'SmsUnits')).toBe(2);
	});

	it.each([
		['no From', { To: '09123456780', Body: 'x' }, 40200],
		['unknown sender', { From: 'NOTMINE', To: '09123456780', Body: 'x' }, 40300],
		['Body of 2001', { From: 'EXOTEL', To: '09123456780', Body: 'x'.repeat(2001) }, 40202],
		['bad SmsType', { From: 'EXOTEL', To: '09123456780', Body: 'x', SmsType: 'otp' }, 40204],
		['bad EncodingType', { From: 'EXOTEL', To: '09123456780', Body: 'x', EncodingType: 'utf8' }, 40205],
		['invalid To', { From: 'EXOTEL', To: '12345', Body: 'x' }, 40203],
		['ExoPhone without SMS', { From: '+918047100002', To: '09123456780', Body: 'x' }, 40301],
	])('400 with Code: %s', async (_label, form, code) => {
		const r = await send(form);
		expect(r.status).toBe(400);
		expect(at(r.json, 'RestException', 'Code')).toBe(code);
		expect(sim.smsClock.messages).toHaveLength(0);
	});

	it('static bulk: To[i], repeated To or comma-joined answer an array in order; invalid numbers refused in place', async () => {
		const indexed = await send([
			['From', 'EXOTEL'],
			['To[0]', '09123456780'],
			['To[1]', 'not-a-number'],
			['To[2]', '+919123456783'],
			['Body', 'Hi'],
		]);
		expect(indexed.status).toBe(200);
		const items = indexed.json as unknown[];
		expect(items).toHaveLength(3);
		expect(at(items, 0, 'SMSMessage', 'To')).toBe('09123456780');
		expect(at(items, 1, 'RestException', 'Code')).toBe(40203);
		expect(at(items, 2, 'SMSMessage', 'To')).toBe('09123456783');
		const repeated = await send([
			['From', 'EXOTEL'],
			['To', '09123456781'],
			['To', '09123456782'],
			['Body', 'Hi'],
		]);
		expect((repeated.json as unknown[]).map((x) => at(x, 'SMSMessage', 'To'))).toEqual(['09123456781', '09123456782']);
		const comma = await send({ From: 'EXOTEL', To: '09123456781,09123456782', Body: 'Hi' });
		expect(Array.isArray(comma.json)).toBe(true);
		const many = await send([['From', 'EXOTEL'], ['Body', 'Hi'], ...Array.from({ length: 101 }, (_, i): [string, string] => [`To[${i}]`, `0912345${String(i).padStart(4, '0')}`])]);
		expect(many.status).toBe(400);
		expect(at(many.json, 'RestException', 'Code')).toBe(40406);
	});
});

describe('the SMS clock and details', () => {
	it.each([
		['09123456780', 'sent', 20005],
		['09123456786', 'sent', 20006],
		['09123456783', 'failed-dnd', 23005],
		['09123456789', 'failed', 23010],
	])('To %s: queued → sending → submitted → %s %d', async (to, status, code) => {
		const r = await send({ From: 'EXOTEL', To: to, Body: 'Hi' });
		const sid = String(at(r.json, 'SMSMessage', 'Sid'));
		const seen: unknown[] = [at(await details(sid), 'SMSMessage', 'DetailedStatusCode')];
		for (let i = 0; i < 3; i++) {
			sim.smsClock.advance(60_000);
			seen.push(at(await details(sid), 'SMSMessage', 'DetailedStatusCode'));
		}
		expect(seen).toEqual([21010, 21015, 21020, code]);
		const final = await details(sid);
		expect(at(final, 'SMSMessage', 'Status')).toBe(status);
		expect(at(final, 'SMSMessage', 'DateSent') !== null).toBe(status === 'sent');
	});

	it('failed_dnd spelling switch; Sms/ path works too', async () => {
		sim.smsClock.dndSpelling = 'failed_dnd';
		const r = await send({ From: 'EXOTEL', To: '09123456783', Body: 'Hi' });
		sim.smsClock.advance(200_000);
		const sid = String(at(r.json, 'SMSMessage', 'Sid'));
		expect(at((await v1Call(sim, 'GET', `/Sms/Messages/${sid}.json`)).json, 'SMSMessage', 'Status')).toBe('failed_dnd');
	});

	it('unknown sid: 200 "No matching results" (or text, or 404)', async () => {
		const r = await v1Call(sim, 'GET', '/SMS/Messages/nope.json');
		expect(r.status).toBe(200);
		expect(r.text).toContain('No matching results');
		expect(at(r.json, 'SMSMessage')).toBeUndefined();
		sim.smsClock.notFound = 'text';
		const t = await v1Call(sim, 'GET', '/SMS/Messages/nope.json');
		expect(t.json).toBeUndefined();
		expect(t.text).toBe('No matching results');
		sim.smsClock.notFound = '404';
		expect((await v1Call(sim, 'GET', '/SMS/Messages/nope.json')).status).toBe(404);
	});

	it('delivery callbacks: terminal only, form by default, JSON with ExoStatusCode', async () => {
		await send({ From: 'EXOTEL', To: '09123456780', Body: 'Hi', StatusCallback: `${hook.url}/sms`, CustomField: 'order-7' });
		sim.smsClock.advance(120_000);
		await sim.smsClock.settled();
		expect(hook.received).toHaveLength(0);
		sim.smsClock.advance(60_000);
		await sim.smsClock.settled();
		expect(hook.received).toHaveLength(1);
		expect(hook.received[0].contentType).toBe('application/x-www-form-urlencoded');
		expect(hook.received[0].body).toMatchObject({ To: '09123456780', Status: 'sent', DetailedStatus: 'DELIVERED_TO_HANDSET', DetailedStatusCode: '20005', CustomField: 'order-7', SmsUnits: '1' });
		sim.smsClock.callbackFormat = 'json';
		await send({ From: 'EXOTEL', To: '09123456783', Body: 'Hi', StatusCallback: `${hook.url}/sms` });
		sim.smsClock.advance(200_000);
		await sim.smsClock.settled();
		expect(hook.received[1].body).toMatchObject({ To: '09123456783', Status: 'FAILED_DND', ExoStatusCode: 23005 });
	});
});

describe('switches', () => {
	it('202 for accepted sends; promotional messages wait for 10:00 India time', async () => {
		sim.smsClock.postStatus = 202;
		expect((await send({ From: 'EXOTEL', To: '09123456780', Body: 'Hi' })).status).toBe(202);
		// Move the virtual clock to 22:00 India time (UTC+5:30), outside the promotional window.
		const istMs = (sim.smsClock.now() + 330 * 60_000) % 86_400_000;
		sim.smsClock.advance((22 * 3_600_000 - istMs + 86_400_000) % 86_400_000);
		const promo = await send({ From: 'EXOTEL', To: '09123456780', Body: 'Sale', SmsType: 'promotional' });
		const sid = String(at(promo.json, 'SMSMessage', 'Sid'));
		sim.smsClock.advance(4 * 60_000 * 3);
		expect(at(await details(sid), 'SMSMessage', 'Status')).toBe('submitted');
		sim.smsClock.advance(12 * 3_600_000);
		expect(at(await details(sid), 'SMSMessage', 'Status')).toBe('sent');
	});
});

describe('Sms/bulksend.json', () => {
	const messagesForm = (key: string, n: number): Array<[string, string]> =>
		Array.from({ length: n }, (_, i): Array<[string, string]> => [
			[`${key}[${i}][To]`, `0912345${String(i).padStart(4, '0')}`],
			[`${key}[${i}][Body]`, `Hello ${i}`],
		]).flat();

	it.each(['Messages', 'Message'])('form %s[i][…] answers an array in request order', async (key) => {
		const r = await v1Call(sim, 'POST', '/Sms/bulksend.json', { form: [['From', 'EXOTEL'], ...messagesForm(key, 3)] });
		expect(r.status).toBe(200);
		expect((r.json as unknown[]).map((x) => at(x, 'SMSMessage', 'Body'))).toEqual(['Hello 0', 'Hello 1', 'Hello 2']);
	});

	it('JSON {"sms":[…]} with per-message From; invalid numbers refused in place', async () => {
		const r = await v1Call(sim, 'POST', '/Sms/bulksend.json', {
			json: { sms: [{ From: 'EXOTEL', To: '+919123456780', Body: 'a' }, { From: 'EXOTEL', To: '555', Body: 'b' }] },
		});
		expect(r.status).toBe(200);
		expect(at(r.json, 0, 'SMSMessage', 'To')).toBe('09123456780');
		expect(at(r.json, 1, 'RestException', 'Code')).toBe(40203);
	});

	it('each shape can be refused (40201); >100 → 40400; reversed order switch', async () => {
		sim.smsClock.bulkShapes.message = false;
		const refused = await v1Call(sim, 'POST', '/Sms/bulksend.json', { form: [['From', 'EXOTEL'], ...messagesForm('Message', 1)] });
		expect(refused.status).toBe(400);
		expect(at(refused.json, 'RestException', 'Code')).toBe(40201);
		sim.smsClock.bulkShapes.json = false;
		const json = await v1Call(sim, 'POST', '/Sms/bulksend.json', { json: { sms: [{ From: 'EXOTEL', To: '09123456780', Body: 'a' }] } });
		expect(at(json.json, 'RestException', 'Code')).toBe(40201);
		const big = await v1Call(sim, 'POST', '/Sms/bulksend.json', { form: [['From', 'EXOTEL'], ...messagesForm('Messages', 101)] });
		expect(at(big.json, 'RestException', 'Code')).toBe(40400);
		expect(sim.smsClock.messages).toHaveLength(0);
		sim.smsClock.bulkOrder = 'reversed';
		const rev = await v1Call(sim, 'POST', '/Sms/bulksend.json', { form: [['From', 'EXOTEL'], ...messagesForm('Messages', 2)] });
		expect((rev.json as unknown[]).map((x) => at(x, 'SMSMessage', 'Body'))).toEqual(['Hello 1', 'Hello 0']);
	});
});

describe('applied but answer lost', () => {
	it('Sms/send: a hang fault with apply keeps the message but never answers', async () => {
		sim.injectFault({ kind: 'hang', apply: true, match: { method: 'POST', path: '/Sms/send.json' } });
		const answer = v1Call(sim, 'POST', '/Sms/send.json', { form: { From: 'EXOTEL', To: '09123456780', Body: 'Hi' } }).catch(() => 'no answer');
		while (sim.smsClock.messages.length === 0) await new Promise((r) => setTimeout(r, 5));
		sim.reset(); // closes the hung socket
		expect(await answer).toBe('no answer');
	});

	it('Calls/connect: a drop fault with apply creates the call and cuts the connection; a 502 after applying too', async () => {
		sim.injectFault({ kind: 'drop', apply: true, match: { path: '/Calls/connect.json' } });
		const form = { From: '09876543210', To: '09123456780', CallerId: exoPhone };
		await expect(v1Call(sim, 'POST', '/Calls/connect.json', { form })).rejects.toThrow();
		expect(at((await v1Call(sim, 'GET', '/Calls.json')).json, 'Metadata', 'Total')).toBe(1);
		sim.injectFault({ kind: 'status', status: 502, body: 'html', apply: true, match: { path: '/Calls/connect.json' } });
		const r = await v1Call(sim, 'POST', '/Calls/connect.json', { form });
		expect(r.status).toBe(502);
		expect(at((await v1Call(sim, 'GET', '/Calls.json')).json, 'Metadata', 'Total')).toBe(2);
	});
});
