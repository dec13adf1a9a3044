import FormData from 'form-data';
import { basicAuth, simulatorTestKit } from './apiClient';
import type { ExotelSimulator } from './server';
import { nestPairs, parseV1Time, v1Time, indianNumber } from './v1Replies';
import { at, v1Call, v1Url } from './v1Client';
import { EXOTEL_V1_LIMITS } from './rateLimit';

let sim: ExotelSimulator;
simulatorTestKit((started) => (sim = started));

describe('v1 and v2_beta in the core', () => {
	it('wrong key → 401 RestException; other account → 403; unknown path → 404', async () => {
		const bad = await v1Call(sim, 'GET', '/Numbers/09876543210.json', { auth: basicAuth('nope', 'nope') });
		expect(bad.status).toBe(401);
		expect(at(bad.json, 'RestException', 'Status')).toBe(401);
		expect(typeof at(bad.json, 'RestException', 'Message')).toBe('string');
		const beta = await v1Call(sim, 'GET', '/IncomingPhoneNumbers', { api: 'v2_beta', auth: basicAuth('nope', 'x') });
		expect(beta.status).toBe(401);
		expect(at(beta.json, 'RestException', 'Status')).toBe(401);
		const other = await v1Call(sim, 'GET', '/Numbers/09876543210.json', { account: 'someoneelse' });
		expect(other.status).toBe(403);
		const missing = await v1Call(sim, 'GET', '/Nothing.json');
		expect(missing.status).toBe(404);
		expect(at(missing.json, 'RestException', 'Status')).toBe(404);
	});

	it('answers XML when the path has no .json', async () => {
		const r = await v1Call(sim, 'GET', '/Numbers/09876543210');
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toMatch(/xml/);
		expect(r.text).toContain('<TwilioResponse><Numbers><PhoneNumber>09876543210</PhoneNumber>');
	});

	it('parses bracket keys and repeated keys into nested values', () => {
		const p = nestPairs(
			new URLSearchParams('StatusCallbackEvents[0]=terminal&StatusCallbackEvents[1]=answered&Messages[1][To]=b&Messages[0][To]=a&Messages[0][Body]=x&To=1&To=2&One=x'),
		);
		expect(p).toEqual({
			StatusCallbackEvents: ['terminal', 'answered'],
			Messages: [{ To: 'a', Body: 'x' }, { To: 'b' }],
			To: ['1', '2'],
			One: 'x',
		});
		expect(nestPairs([['A[]', 'x'], ['A[]', 'y']])).toEqual({ A: ['x', 'y'] });
	});

	it('times and numbers', () => {
		const ms = Date.UTC(2024, 0, 15, 5, 18, 33);
		expect(v1Time(ms)).toBe('2024-01-15 10:48:33');
		expect(parseV1Time('2024-01-15 10:48:33')).toBe(ms);
		expect(parseV1Time('2024-02-30 00:00:00')).toBeUndefined();
		expect(indianNumber('+919876543210')).toBe('09876543210');
		expect(indianNumber('919876543210')).toBe('09876543210');
		expect(indianNumber('09876543210')).toBe('09876543210');
		expect(indianNumber('9876543210')).toBe('09876543210');
		expect(indianNumber('+14155550100')).toBeUndefined();
	});

	it('status faults answer RestException on v1 paths; drop with apply cuts the answer', async () => {
		sim.injectFault({ kind: 'status', status: 500, match: { path: '/Numbers/09876543210.json' } });
		const r = await v1Call(sim, 'GET', '/Numbers/09876543210.json');
		expect(r.status).toBe(500);
		expect(at(r.json, 'RestException', 'Status')).toBe(500);
		sim.injectFault({ kind: 'status', status: 403, code: 40001, match: { path: /^\/Numbers\// } });
		const broke = await v1Call(sim, 'GET', '/Numbers/09876543210.json');
		expect(broke.json).toEqual({ RestException: { Status: 403, Message: 'Forbidden', Code: 40001 } });
		sim.injectFault({ kind: 'drop', apply: true, match: { path: /^\/Numbers\// } });
		await expect(v1Call(sim, 'GET', '/Numbers/09876543210.json')).rejects.toThrow();
		expect(sim.requests.at(-1)?.status).toBe(0);
	});

	it('rate limit per family: voice, sms and numbers counted apart; SMS throttle as 503/40405', async () => {
		sim.setRateLimit({ limit: 1, windowMs: 60_000, perFamily: true, smsThrottle: 503 });
		expect((await v1Call(sim, 'GET', '/Numbers/09876543210.json')).status).toBe(200);
		expect((await v1Call(sim, 'GET', '/Numbers/09876543210.json')).status).toBe(429);
		const sms1 = await v1Call(sim, 'GET', '/SMS/Messages/abc.json');
		expect(sms1.status).not.toBe(503); // let through (answered by the SMS resource)
		const sms2 = await v1Call(sim, 'GET', '/SMS/Messages/abc.json');
		expect(sms2.status).toBe(503);
		expect(at(sms2.json, 'RestException', 'Code')).toBe(40405);
		sim.setRateLimit({ limit: 0, windowMs: 60_000, families: ['sms'] });
		const sms3 = await v1Call(sim, 'POST', '/Sms/send.json', { form: { To: '1' } });
		expect(sms3.status).toBe(429);
		expect(at(sms3.json, 'RestException', 'Code')).toBe(40402);
		expect((await v1Call(sim, 'GET', '/Numbers/09876543210.json')).status).toBe(200);
	});

	it('documented limits: bulk SMS 50 a window, single SMS 200, counted apart', async () => {
		sim.setRateLimit({ ...EXOTEL_V1_LIMITS, windowMs: 60_000 });
		const bulk = () => v1Call(sim, 'POST', '/Sms/bulksend.json', { form: { From: 'NOTMINE', 'Messages[0][To]': '09123456780', 'Messages[0][Body]': 'x' } });
		for (let i = 0; i < 50; i++) expect((await bulk()).status).toBe(400); // let through, refused by the API
		const over = await bulk();
		expect(over.status).toBe(429);
		expect(at(over.json, 'RestException', 'Code')).toBe(40402);
		expect((await v1Call(sim, 'POST', '/Sms/send.json', { form: { To: '1' } })).status).toBe(400);
		expect(sim.rateLimitStats).toEqual({ accepted: 51, throttled: 1 });
		// Without 'sms-bulk' named, bulk sends count as SMS.
		sim.setRateLimit({ limit: 1, windowMs: 60_000, perFamily: true, families: ['sms'] });
		expect((await bulk()).status).toBe(400);
		expect((await v1Call(sim, 'POST', '/Sms/send.json', { form: { To: '1' } })).status).toBe(429);
	});

	it('reads multipart bodies with repeated keys', async () => {
		const form = new FormData();
		form.append('To', '1');
		form.append('To', '2');
		const res = await fetch(v1Url(sim, '/Nothing.json'), {
			method: 'POST',
			headers: { ...form.getHeaders(), authorization: basicAuth(sim.credentials.apiKey, sim.credentials.apiToken) },
			body: form.getBuffer(),
		});
		expect(res.status).toBe(404);
		expect(sim.requests.at(-1)?.body).toEqual({ fields: { To: '2' }, files: [] });
		expect(sim.requests.at(-1)?.form).toEqual({ To: ['1', '2'] });
	});
});

describe('numbers', () => {
	it('metadata deterministic by digits', async () => {
		const r = await v1Call(sim, 'GET', '/Numbers/%2B919876543213.json');
		expect(r.status).toBe(200);
		expect(r.json).toEqual({
			Numbers: { PhoneNumber: '09876543213', Circle: 'MH', CircleName: 'Maharashtra Telecom Circle', Type: 'Mobile', Operator: 'V', OperatorName: 'Vodafone', DND: 'Yes' },
		});
		const land = await v1Call(sim, 'GET', '/Numbers/02241234564.json');
		expect(at(land.json, 'Numbers', 'Type')).toBe('Landline');
		expect(at(land.json, 'Numbers', 'DND')).toBe('Unavailable');
		expect(at(await v1Call(sim, 'GET', '/Numbers/9876543210.json').then((a) => a.json), 'Numbers', 'DND')).toBe('No');
	});

	it('non-Indian → 400 (or 404); Number key switch', async () => {
		const r = await v1Call(sim, 'GET', '/Numbers/%2B14155550100.json');
		expect(r.status).toBe(400);
		expect(at(r.json, 'RestException', 'Status')).toBe(400);
		sim.numberSettings.nonIndianStatus = 404;
		expect((await v1Call(sim, 'GET', '/Numbers/%2B14155550100.json')).status).toBe(404);
		sim.numberSettings.key = 'Number';
		expect(at((await v1Call(sim, 'GET', '/Numbers/09876543210.json')).json, 'Number', 'PhoneNumber')).toBe('09876543210');
	});
});

describe('ExoPhones', () => {
	it('v2_beta pages with Page/PageSize and next_page_uri on twilix', async () => {
		const seeded = sim.seedExoPhones(5);
		const seen: string[] = [];
		let path: string | null = '/IncomingPhoneNumbers?PageSize=2';
		let pages = 0;
		while (path) {
			const r = await v1Call(sim, 'GET', path, { api: 'v2_beta' });
			expect(r.status).toBe(200);
			pages++;
			for (const p of at(r.json, 'incoming_phone_numbers') as Array<{ phone_number: string }>) seen.push(p.phone_number);
			const next = at(r.json, 'next_page_uri') as string | null;
			if (next) expect(next).toMatch(/^https:\/\/twilix\.exotel\.com\/v2_beta\/Accounts\//);
			path = next ? next.replace(/^.*\/IncomingPhoneNumbers/, '/IncomingPhoneNumbers') : null;
		}
		expect(pages).toBe(3);
		expect(seen).toEqual(seeded.map((p) => p.phone_number));
		const one = await v1Call(sim, 'GET', `/IncomingPhoneNumbers/${seeded[1].sid}`, { api: 'v2_beta' });
		expect(at(one.json, 'phone_number')).toBe(seeded[1].phone_number);
		expect((await v1Call(sim, 'GET', '/IncomingPhoneNumbers/nope', { api: 'v2_beta' })).status).toBe(404);
	});

	it('v1 twin', async () => {
		sim.seedExoPhones(3);
		const r = await v1Call(sim, 'GET', '/IncomingPhoneNumbers.json?PageSize=2');
		expect(at(r.json, 'Metadata', 'Total')).toBe(3);
		expect(at(r.json, 'IncomingPhoneNumbers', 0, 'IncomingPhoneNumber', 'PhoneNumber')).toBe('08047100001');
		const next = at(r.json, 'Metadata', 'NextPageUri') as string;
		const r2 = await v1Call(sim, 'GET', next.replace(/^\/v1\/Accounts\/[^/]+/, ''));
		expect((at(r2.json, 'IncomingPhoneNumbers') as unknown[]).length).toBe(1);
		expect(at(r2.json, 'Metadata', 'NextPageUri')).toBeNull();
	});
});
