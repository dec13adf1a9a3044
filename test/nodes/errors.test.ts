import type { IDataObject } from 'n8n-workflow';

import { runExotel } from '../helpers/harness';
import type { OnError, RunResult } from '../helpers/harness';
import type { ExotelSimulator } from '../simulator/server';
import { rl, useSimulator } from '../helpers/simulatorSuite';

/** JSON of anything, errors included (all own properties: message, stack, description, context, cause…). */
function dump(value: unknown): string {
	const seen = new WeakSet<object>();
	const text = JSON.stringify(value, function (_key, v: unknown) {
		if (typeof v === 'bigint') return String(v);
		if (Buffer.isBuffer(v)) return v.toString('utf8');
		if (v !== null && typeof v === 'object') {
			if (seen.has(v)) return '[circular]';
			seen.add(v);
			if (v instanceof Error) {
				const out: Record<string, unknown> = { name: v.name };
				for (const key of Object.getOwnPropertyNames(v)) out[key] = (v as unknown as Record<string, unknown>)[key];
				if ('cause' in v) out.cause = (v as { cause?: unknown }).cause;
				return out;
			}
		}
		return v;
	});
	return text ?? '';
}

describe('errors', () => {
	let sim: ExotelSimulator;
	let root: string;
	useSimulator((started, accountRoot) => {
		sim = started;
		root = accountRoot;
	});

	const run = (
		parameters: IDataObject,
		items?: IDataObject[],
		onError?: OnError,
		credentials: IDataObject = sim.credentials as unknown as IDataObject,
	) => runExotel({ credentials: credentials as never, parameters: parameters as never, items, onError });

	describe('Exotel’s error shapes give Exotel’s message', () => {
		it('v2 envelope 404 on get: Exotel’s message and code, not n8n’s generic text', async () => {
			const result = await run({ resource: 'contact', operation: 'get', contactId: 'nosuchcontact' });
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe('Item 1: Exotel: Not found (1000): Contact nosuchcontact not found');
			expect(result.error?.message).not.toMatch(/resource you are requesting could not be found/i);
			expect(result.error?.description).toMatch(/does not exist in this Exotel account/);
			expect(result.error?.description).toMatch(`GET /contacts/nosuchcontact (HTTP 404)`);
			expect((result.error as unknown as { httpCode?: string }).httpCode).toBe('404');
			expect(sim.requests).toHaveLength(1); // a 4xx is not retried
		});

		it('v2 envelope 404 with continueErrorOutput: the item on the error output with its pairedItem', async () => {
			const [contact] = sim.seedContacts(1);
			const result = await run(
				{ resource: 'contact', operation: 'get', contactId: '={{ $json.sid }}' },
				[{ sid: contact.sid }, { sid: 'gone' }, { sid: contact.sid }],
				'continueErrorOutput',
			);
			expect(result.error).toBeUndefined();
			expect(result.output.map((i) => [i.json.sid, i.pairedItem])).toEqual([
				[contact.sid, { item: 0 }],
				[contact.sid, { item: 2 }],
			]);
			expect(result.errorOutput).toHaveLength(1);
			expect(result.errorOutput[0].pairedItem).toEqual({ item: 1 });
			expect(result.errorOutput[0].json.error).toBe('Item 2: Exotel: Not found (1000): Contact gone not found');
		});

		it('v1 RestException body', async () => {
			const [contact] = sim.seedContacts(1);
			sim.injectFault({ kind: 'status', status: 404, body: 'v1', match: { method: 'GET' } });
			const result = await run({ resource: 'contact', operation: 'get', contactId: contact.sid });
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe('Item 1: Exotel: Not Found');
			expect(result.error?.description).toMatch(/HTTP 404/);
		});

		it('v1 RestException body on a bulk POST', async () => {
			sim.injectFault({ kind: 'status', status: 400, body: 'v1' });
			const result = await run({ resource: 'list', operation: 'create', name: 'x' });
			expect(result.error?.message).toBe('Item 1: Exotel: Bad Request');
		});

		it('an HTML 502 page from a proxy gives a clear, non-JSON message (bulk POST: not retried)', async () => {
			sim.injectFault({ kind: 'status', status: 502, body: 'html' });
			const result = await run({ resource: 'contact', operation: 'create', number: '+919800000001' });
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe('Item 1: Exotel answered HTTP 502 with a page that is not JSON (text/html)');
			expect(result.error?.description).toMatch(/The page said: "502 Bad Gateway"/);
			expect(result.error?.description).toMatch(/not sent again/);
			expect(sim.requests).toHaveLength(1);
		});

		it('an HTML 4xx page on a GET', async () => {
			sim.injectFault({ kind: 'status', status: 404, body: 'html' });
			const result = await run({ resource: 'list', operation: 'get', listId: rl('abc') });
			expect(result.error?.message).toBe('Item 1: Exotel answered HTTP 404 with a page that is not JSON (text/html)');
			expect(result.error?.description).toMatch(/proxy/);
		});

		it('401 for a wrong token', async () => {
			const result = await run({ resource: 'list', operation: 'getMany', returnAll: true }, undefined, undefined, {
				...sim.credentials,
				apiToken: 'not-the-token',
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe('Item 1: Exotel: Authentication failed (1010): Invalid API key or token');
			expect(result.error?.description).toMatch(/Check the credential and its region/);
			expect(sim.requests).toHaveLength(1);
			expect(sim.requests[0].status).toBe(401);
		});

		it('403 for a wrong account SID', async () => {
			const result = await run({ resource: 'contact', operation: 'create', number: '+919800000001' }, undefined, undefined, {
				...sim.credentials,
				accountSid: 'someoneelse',
			});
			expect(result.error?.message).toBe(
				'Item 1: Exotel: Authorization failed (1003): The credentials are not valid for this account',
			);
			expect(sim.requests[0].path).toBe('/v2/accounts/someoneelse/contacts');
			expect(sim.requests[0].status).toBe(403);
		});
	});

	describe('validation before any request', () => {
		/** Runs a 2-item workflow whose second item is bad; the message must name item 2 and the field. */
		async function expectRejected(parameters: IDataObject, items: IDataObject[], pattern: RegExp, requestsAllowed = 0) {
			const result = await run(parameters, items);
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(pattern);
			expect(result.error?.message).toMatch(/^Item 2: /);
			expect(sim.requests).toHaveLength(requestsAllowed);
			return result;
		}
		const create = { resource: 'contact', operation: 'create', number: '={{ $json.phone }}' };
		const good = { phone: '+919800000001' };

		it('missing number', async () => {
			await expectRejected(create, [good, {}], /Item 2: Phone Number is empty/);
		});

		it.each([
			['12345', 'it has 5 digits; a phone number has 6 to 15'],
			['+0919876543210', 'a country code after + (or 00) cannot start with 0'],
			['98765 43210x', 'it contains letters'],
			['+91987654321012345', 'it has 17 digits; a phone number has 6 to 15'],
		])('malformed number %s', async (phone, reason) => {
			const result = await expectRejected(create, [good, { phone }], /Item 2: Phone Number ".*" is not a phone number: /);
			expect(result.error?.message).toBe(`Item 2: Phone Number "${phone}" is not a phone number: ${reason}`);
		});

		it('malformed email', async () => {
			await expectRejected(
				{ ...create, additionalFields: { email: '={{ $json.email }}' } },
				[
					{ ...good, email: 'a@b.co' },
					{ ...good, email: 'not-an-email' },
				],
				/Item 2: Email "not-an-email" is not an email address/,
			);
		});

		it('customFields that are not a JSON object', async () => {
			await expectRejected(
				{ ...create, additionalFields: { customFields: '={{ $json.custom }}' } },
				[
					{ ...good, custom: '{"a":1}' },
					{ ...good, custom: '[1,2]' },
				],
				/Item 2: Custom Fields must be a JSON object/,
			);
		});

		it('customFields that are not valid JSON', async () => {
			await expectRejected(
				{ ...create, additionalFields: { customFields: '={{ $json.custom }}' } },
				[
					{ ...good, custom: '{"a":1}' },
					{ ...good, custom: '{plan: gold' },
				],
				/Item 2: Custom Fields is not valid JSON/,
			);
		});

		it('contact update with a malformed number is refused before its request', async () => {
			const [contact] = sim.seedContacts(1);
			const result = await run(
				{ resource: 'contact', operation: 'update', contactId: contact.sid, updateFields: { number: '={{ $json.phone }}' } },
				[{ phone: '+919800000009' }, { phone: 'abc' }],
			);
			expect(result.error?.message).toMatch(/^Item 2: Phone Number "abc"/);
			// A bulk update checks every item before sending anything.
			expect(sim.requests).toHaveLength(0);
		});

		it('empty contactId (routed get): no request for that item', async () => {
			const [contact] = sim.seedContacts(1);
			await expectRejected(
				{ resource: 'contact', operation: 'get', contactId: '={{ $json.sid }}' },
				[{ sid: contact.sid }, { sid: '' }],
				/Item 2: Contact ID is empty/,
				1,
			);
			expect(sim.requests[0].path).toBe(`${root}/contacts/${contact.sid}`);
		});

		it('empty contactId (bulk listContact add): nothing sent', async () => {
			const list = sim.seedList('A');
			const [contact] = sim.seedContacts(1);
			await expectRejected(
				{ resource: 'listContact', operation: 'add', listId: rl(list.sid), contactId: '={{ $json.sid }}' },
				[{ sid: contact.sid }, { sid: '  ' }],
				/Item 2: Contact ID is empty/,
			);
		});

		it.each([['abc/def'], ['abc?x=1'], ['abc#frag']])('a SID containing a path character: %s', async (sid) => {
			const [contact] = sim.seedContacts(1);
			await expectRejected(
				{ resource: 'contact', operation: 'delete', contactId: '={{ $json.sid }}' },
				[{ sid: contact.sid }, { sid }],
				/Item 2: Contact ID ".*" is not a contact ID/,
				1,
			);
			expect(sim.requests[0].method).toBe('DELETE');
			expect(sim.requests[0].path).toBe(`${root}/contacts/${contact.sid}`);
		});

		it('a list SID with "/" in listContact add: nothing sent', async () => {
			const list = sim.seedList('A');
			const [contact] = sim.seedContacts(1);
			await expectRejected(
				{ resource: 'listContact', operation: 'add', listId: rl('={{ $json.list }}'), contactId: contact.sid },
				[{ list: list.sid }, { list: 'a/../b' }],
				/Item 2: List "a\/..\/b" is not a list ID or URI: it has a "." or ".." segment/,
			);
		});

		it('empty listId (bulk add): nothing sent', async () => {
			const list = sim.seedList('A');
			const [contact] = sim.seedContacts(1);
			await expectRejected(
				{ resource: 'listContact', operation: 'add', listId: rl('={{ $json.list }}'), contactId: contact.sid },
				[{ list: list.sid }, { list: '' }],
				/Item 2: List is empty/,
			);
		});

		it('empty listId (routed list get and listContact getMany)', async () => {
			const list = sim.seedList('A');
			await expectRejected(
				{ resource: 'list', operation: 'get', listId: rl('={{ $json.list }}') },
				[{ list: list.sid }, { list: '' }],
				/Item 2: List is empty/,
				1,
			);
			sim.requests.length = 0;
			await expectRejected(
				{ resource: 'listContact', operation: 'getMany', listId: rl('={{ $json.list }}'), returnAll: true },
				[{ list: list.sid }, { list: ' ' }],
				/Item 2: List is empty/,
				1,
			);
		});

		it('with continueErrorOutput the bad item goes to the error output with its pairedItem, the good one through', async () => {
			const [contact] = sim.seedContacts(1);
			const result = await run(
				{ resource: 'contact', operation: 'get', contactId: '={{ $json.sid }}' },
				[{ sid: 'bad/sid' }, { sid: contact.sid }],
				'continueErrorOutput',
			);
			expect(result.output.map((i) => [i.json.sid, i.pairedItem])).toEqual([[contact.sid, { item: 1 }]]);
			expect(result.errorOutput.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
			expect(String(result.errorOutput[0].json.error)).toMatch(/^Item 1: Contact ID "bad\/sid" is not a contact ID or URI/);
			expect(sim.requests).toHaveLength(1);
		});

		it('IDs with characters a SID never has (%, +, spaces, accents) are refused, never encoded into a path', async () => {
			const result = await run(
				{ resource: 'listContact', operation: 'remove', listId: rl('={{ $json.list }}'), contactId: '={{ $json.contact }}' },
				[
					{ list: 'list%20é', contact: 'c1' },
					{ list: 'l1', contact: 'c+1%' },
					{ list: 'l%2F1', contact: 'x' },
				],
				'continueRegularOutput',
			);
			expect(sim.requests).toHaveLength(0);
			expect(result.output.map((item) => item.json.error)).toEqual([
				'Item 1: List "list%20é" is not a list ID: an ID has only letters, digits, "_" and "-"',
				'Item 2: Contact ID "c+1%" is not a contact ID: an ID has only letters, digits, "_" and "-"',
				'Item 3: List "l%2F1" is not a list ID: an ID has only letters, digits, "_" and "-"',
			]);
		});
	});

	describe('error items: { error, details: { code, httpCode, field, description, input } }', () => {
		it('an input error: the field and the input item, on the error output beside the input’s own fields', async () => {
			const items = [
				{ phone: '+919800000001', name: 'Asha' },
				{ phone: '98x', name: 'Ravi', crm: { id: 7 } },
			];
			const result = await run({ resource: 'contact', operation: 'create', number: '={{ $json.phone }}' }, items, 'continueErrorOutput');
			expect(result.output).toHaveLength(1);
			expect(result.errorOutput).toHaveLength(1);
			const [item] = result.errorOutput;
			expect(item.pairedItem).toEqual({ item: 1 });
			expect(item.error).toBeUndefined();
			expect(item.json).toEqual({
				...items[1],
				error: 'Item 2: Phone Number "98x" is not a phone number: it contains letters',
				details: {
					field: 'Phone Number',
					description: expect.stringMatching(/^Write the number with its country code/),
					input: items[1],
				},
			});
		});

		it('with continueRegularOutput the error item is only error and details, in its place', async () => {
			const result = await run(
				{ resource: 'contact', operation: 'create', number: '={{ $json.phone }}', additionalFields: { email: '={{ $json.email }}' } },
				[
					{ phone: '+919800000001', email: 'a@b.co' },
					{ phone: '+919800000002', email: 'nope' },
				],
				'continueRegularOutput',
			);
			expect(result.output.map((i) => Object.keys(i.json))).toEqual([expect.arrayContaining(['sid', 'number']), ['error', 'details']]);
			expect(result.output[1].json.details).toEqual({ field: 'Email', input: { phone: '+919800000002', email: 'nope' } });
		});

		it('a routed operation’s Exotel error: Exotel’s code and the HTTP status', async () => {
			const result = await run(
				{ resource: 'contact', operation: 'get', contactId: '={{ $json.sid }}' },
				[{ sid: 'gone' }],
				'continueErrorOutput',
			);
			expect(result.errorOutput[0].json).toEqual({
				sid: 'gone',
				error: 'Item 1: Exotel: Not found (1000): Contact gone not found',
				details: {
					code: 1000,
					httpCode: 404,
					field: 'Contact ID',
					description: expect.stringMatching(/does not exist in this Exotel account/),
					input: { sid: 'gone' },
				},
			});
		});

		it('a bulk request Exotel refuses as a whole gives each of its items the code', async () => {
			const [contact] = sim.seedContacts(1);
			const result = await run(
				{ resource: 'listContact', operation: 'add', listId: rl('nolist'), contactId: '={{ $json.sid }}' },
				[{ sid: contact.sid }],
				'continueErrorOutput',
			);
			expect(result.errorOutput[0].json.details).toMatchObject({ code: 1000, httpCode: 404, input: { sid: contact.sid } });
		});

		it('the credential’s key and token never appear in an error item’s input', async () => {
			const { apiKey, apiToken } = sim.credentials;
			const items = [{ phone: 'bad', note: `token ${apiToken}`, nested: { key: apiKey, keep: 'me' } }];
			const result = await run({ resource: 'contact', operation: 'create', number: '={{ $json.phone }}' }, items, 'continueRegularOutput');
			expect(result.output[0].json.details).toMatchObject({
				input: { phone: 'bad', note: '[redacted]', nested: { key: '[redacted]', keep: 'me' } },
			});
			expect(dump(result.output)).not.toContain(apiToken);
			expect(dump(result.output)).not.toContain(apiKey);
		});
	});

	describe('retries', () => {
		it.each([[0], [1]])('429 with Retry-After %s, then success', async (retryAfter) => {
			const [contact] = sim.seedContacts(1);
			sim.injectFault({ kind: 'status', status: 429, retryAfter, match: { method: 'GET' } });
			const started = Date.now();
			const result = await run({ resource: 'contact', operation: 'get', contactId: contact.sid });
			const elapsed = Date.now() - started;
			expect(result.error).toBeUndefined();
			expect(result.output.map((i) => i.json.sid)).toEqual([contact.sid]);
			expect(sim.requests.map((r) => r.status)).toEqual([429, 200]);
			expect(elapsed).toBeGreaterThanOrEqual(retryAfter * 1000 - 50);
			expect(elapsed).toBeLessThan(retryAfter * 1000 + 2000);
		});

		it('429 on a bulk POST is retried too (nothing was applied)', async () => {
			sim.injectFault({ kind: 'status', status: 429, retryAfter: 0 });
			const result = await run({ resource: 'list', operation: 'create', name: 'After throttle' });
			expect(result.error).toBeUndefined();
			expect(result.output[0].json.name).toBe('After throttle');
			expect(sim.requests.map((r) => [r.method, r.status])).toEqual([
				['POST', 429],
				['POST', 207],
			]);
			expect(sim.state.lists.size).toBe(1);
		});

		it('a 429 asking for a wait longer than the bound fails at once, saying how long Exotel asked', async () => {
			sim.injectFault({ kind: 'status', status: 429, retryAfter: 400, times: 100 });
			const result = await run({ resource: 'list', operation: 'getMany', returnAll: true });
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe("Item 1: Exotel's rate limit: Exotel asked to wait 6 min 40 s, longer than the node waits (5 min 0 s)");
			expect(result.error?.description).toMatch(/answered 429 \(too many requests\) once; the node waits at most 5 min 0 s/);
			expect(sim.requests).toHaveLength(1);
		});

		it('429s that never end are bounded by count too', async () => {
			sim.injectFault({ kind: 'status', status: 429, retryAfter: 0, times: 100 });
			const result = await run({ resource: 'list', operation: 'getMany', returnAll: true });
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/^Item 1: Exotel's rate limit: still refused after waiting \d+ s$/);
			expect(result.error?.description).toMatch(/answered 429 \(too many requests\) 30 times/);
			expect(sim.requests).toHaveLength(30);
		});

		it('500 on a GET is retried, then succeeds', async () => {
			const list = sim.seedList('Flaky');
			sim.injectFault({ kind: 'status', status: 500, match: { method: 'GET' } });
			const result = await run({ resource: 'list', operation: 'get', listId: rl(list.sid) });
			expect(result.error).toBeUndefined();
			expect(result.output[0].json.name).toBe('Flaky');
			expect(sim.requests.map((r) => r.status)).toEqual([500, 200]);
		});

		it('500 on a PUT is retried (idempotent)', async () => {
			const list = sim.seedList('Flaky');
			sim.injectFault({ kind: 'status', status: 503, match: { method: 'PUT' } });
			const result = await run({ resource: 'list', operation: 'update', listId: rl(list.sid), updateFields: { tag: 't' } });
			expect(result.error).toBeUndefined();
			expect(sim.requests.map((r) => [r.method, r.status])).toEqual([
				['PUT', 503],
				['PUT', 207],
			]);
		});

		it('500 on a bulk POST is NOT retried, and the error says it was not sent again', async () => {
			sim.injectFault({ kind: 'status', status: 500, match: { method: 'POST' } });
			const result = await run({ resource: 'contact', operation: 'create', number: '+919800000001' });
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe('Item 1: Exotel: Internal error (1100): Simulated 500');
			expect(result.error?.description).toMatch(/it was not sent again/);
			expect(sim.requests).toHaveLength(1);
		});

		it('a failed second bulk request says how many earlier records were saved', async () => {
			const items = Array.from({ length: 5003 }, (_, i) => ({ phone: `+9180${String(i).padStart(8, '0')}` }));
			sim.injectFault({ kind: 'latency', ms: 0, match: { method: 'POST' } }); // first POST passes
			sim.injectFault({ kind: 'status', status: 500, match: { method: 'POST' } });
			const result = await run({ resource: 'contact', operation: 'create', number: '={{ $json.phone }}' }, items);
			expect(result.status).toBe('error');
			expect(sim.requests.map((r) => r.status)).toEqual([207, 500]);
			expect(result.error?.description).toMatch(/5000 contacts from earlier requests of this run were already saved/);
			expect(sim.state.contacts.size).toBe(5000);
		});

		it('a dropped connection on a GET is retried, then succeeds', async () => {
			sim.seedContacts(3);
			sim.injectFault({ kind: 'drop', match: { method: 'GET' } });
			const result = await run({ resource: 'contact', operation: 'getMany', returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.output).toHaveLength(3);
			expect(sim.requests.map((r) => r.status)).toEqual([0, 200]);
		});

		it('a dropped connection on a bulk POST is not retried', async () => {
			sim.injectFault({ kind: 'drop', match: { method: 'POST' } });
			const result = await run({ resource: 'list', operation: 'create', name: 'Maybe' });
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe('Item 1: Could not reach Exotel: socket hang up');
			// not n8n's generic ECONNRESET text, which says to retry right away
			expect(result.error?.message).not.toMatch(/retry the request immediately/);
			expect(result.error?.description).toMatch(/it was not sent again/);
			expect(sim.requests).toHaveLength(1);
		});
	});

	describe('secrets never appear in outputs or errors', () => {
		it('across failing and succeeding runs', async () => {
			const { apiKey, apiToken } = sim.credentials;
			const basic = Buffer.from(`${apiKey}:${apiToken}`).toString('base64');
			// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a wrong token the test must never see echoed, not a secret
			const wrong = { ...sim.credentials, apiToken: 'wrong-token-value-123' };
			const wrongBasic = Buffer.from(`${apiKey}:${wrong.apiToken}`).toString('base64');
			const list = sim.seedList('Secrets');
			const [contact] = sim.seedContacts(1, { listSid: list.sid });

			const results: RunResult[] = [];
			const both = async (parameters: IDataObject, items?: IDataObject[], credentials?: IDataObject) => {
				results.push(await run(parameters, items, undefined, credentials));
				results.push(await run(parameters, items, 'continueErrorOutput', credentials));
				results.push(await run(parameters, items, 'continueRegularOutput', credentials));
			};
			// Successes.
			await both({ resource: 'contact', operation: 'get', contactId: contact.sid });
			await both({ resource: 'contact', operation: 'getMany', returnAll: true, options: { includeLists: true } });
			// Exotel errors: 404 envelope, 401, 403, 207 rejections.
			await both({ resource: 'contact', operation: 'get', contactId: 'missing' });
			await both({ resource: 'list', operation: 'getMany', returnAll: true }, undefined, wrong);
			await both({ resource: 'list', operation: 'create', name: 'x' }, undefined, { ...sim.credentials, accountSid: 'other' });
			await both({ resource: 'list', operation: 'create', name: '={{ $json.n }}', options: { onExisting: 'error' } }, [{ n: 'Secrets' }, { n: 'new' }]);
			await both({ resource: 'list', operation: 'update', listId: rl('={{ $json.l }}'), updateFields: { name: 'Secrets' } }, [{ l: 'nolist' }]);
			await both({ resource: 'listContact', operation: 'add', listId: rl(list.sid), contactId: '={{ $json.c }}' }, [
				{ c: contact.sid },
				{ c: 'nobody' },
			]);
			// Validation.
			await both({ resource: 'contact', operation: 'create', number: '={{ $json.p }}' }, [{ p: '+919800000001' }, { p: 'bad' }]);
			// Faults: v1, HTML, 500 on POST, dropped connections, exhausted 429s.
			sim.injectFault({ kind: 'status', status: 404, body: 'v1', times: 3 });
			await both({ resource: 'contact', operation: 'get', contactId: contact.sid });
			sim.injectFault({ kind: 'status', status: 502, body: 'html', match: { method: 'POST' }, times: 3 });
			await both({ resource: 'contact', operation: 'create', number: '+919800000002' });
			sim.injectFault({ kind: 'status', status: 500, match: { method: 'POST' }, times: 3 });
			await both({ resource: 'list', operation: 'create', name: 'y' });
			sim.injectFault({ kind: 'drop', match: { method: 'POST' }, times: 3 });
			await both({ resource: 'list', operation: 'create', name: 'z' });
			sim.injectFault({ kind: 'status', status: 429, retryAfter: 0, times: 15 });
			await both({ resource: 'list', operation: 'get', listId: rl(list.sid) });

			expect(results.filter((r) => r.status === 'error').length).toBeGreaterThanOrEqual(10);
			expect(results.filter((r) => r.errorOutput.length > 0).length).toBeGreaterThanOrEqual(8);
			expect(results.filter((r) => r.output.length > 0).length).toBeGreaterThanOrEqual(10);

			for (const result of results) {
				const texts = [
					dump(result.output),
					dump(result.errorOutput),
					dump(result.error),
					dump(result.error?.description),
					dump((result.error as unknown as { context?: unknown })?.context),
					dump((result.error as unknown as { cause?: unknown })?.cause),
					dump(result.run.data),
				];
				for (const text of texts) {
					for (const secret of [apiKey, apiToken, basic, wrong.apiToken, wrongBasic]) {
						expect(text).not.toContain(secret);
					}
				}
			}
			// The secrets did go out on the wire (so the check above means something).
			expect(sim.requests.some((r) => r.headers.authorization === `Basic ${basic}`)).toBe(true);
		});
	});
});
