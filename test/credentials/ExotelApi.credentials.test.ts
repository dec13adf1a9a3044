/* eslint-disable @n8n/community-nodes/no-dangerous-functions -- Test code runs in Node.js, not inside n8n Cloud: it evaluates the credential's expression as JavaScript */
import { NodeConnectionTypes } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IDataObject, INodeType } from 'n8n-workflow';

import { ExotelApi } from '../../credentials/ExotelApi.credentials';
import { accountRoot } from '../../nodes/Exotel/transport';
import { runExotel } from '../helpers/harness';
import { ExotelSimulator } from '../simulator/server';

const credentialType = new ExotelApi();

/**
 * n8n runs a credential's `test.request` through RoutingNode as the request defaults of a throwaway
 * node; this node does the same, so the test sends exactly what the credential dialog sends.
 */
const credentialTestNode: INodeType = {
	description: {
		displayName: 'Credential test',
		name: 'exotel',
		group: ['output'],
		version: 1,
		description: 'Sends the credential test request',
		defaults: { name: 'Credential test' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'exotelApi', required: true }],
		requestDefaults: credentialType.test.request,
		properties: [],
	},
};

async function testCredential(credentials: ICredentialDataDecryptedObject) {
	const result = await runExotel({ credentials, parameters: {}, nodeType: credentialTestNode });
	const httpCode = Number((result.error as { httpCode?: string } | undefined)?.httpCode ?? 200);
	const rule = credentialType.test.rules?.find(
		(candidate) => candidate.type === 'responseCode' && candidate.properties.value === httpCode,
	);
	return { httpCode, body: result.output[0]?.json, dialogMessage: rule?.properties.message };
}

describe('Exotel API credential', () => {
	let singapore: ExotelSimulator;
	let mumbai: ExotelSimulator;
	beforeAll(async () => {
		singapore = await ExotelSimulator.start();
		// Another cluster: the same account does not exist there, so its key and token fail.
		mumbai = await ExotelSimulator.start({ apiKey: 'other-key', apiToken: 'other-token', accountSid: 'otheraccount' });
	});
	afterAll(async () => {
		await singapore.stop();
		await mumbai.stop();
	});
	beforeEach(() => singapore.reset());

	it('passes with the right key, token, account SID and region, listing one list with Basic auth', async () => {
		singapore.seedList('anything');
		const { httpCode, body } = await testCredential({ ...singapore.credentials });
		expect(httpCode).toBe(200);
		expect((body as IDataObject).http_code).toBe(200);
		const [request] = singapore.requests;
		expect(request.path).toBe('/v2/accounts/simaccount1/lists');
		expect(request.query).toEqual({ offset: '0', limit: '1' });
		const basic = Buffer.from(`${singapore.credentials.apiKey}:${singapore.credentials.apiToken}`).toString('base64');
		expect(request.headers.authorization).toBe(`Basic ${basic}`);
	});

	it('fails with a wrong token: Exotel says authentication failed, and the dialog names the likely causes', async () => {
		const { httpCode, dialogMessage } = await testCredential({ ...singapore.credentials, apiToken: 'wrong' });
		expect(httpCode).toBe(401);
		expect(dialogMessage).toMatch(/Authentication failed \(1010\).*key and token.*region/);
	});

	it('fails with a wrong account SID: authorization failed', async () => {
		const { httpCode, dialogMessage } = await testCredential({ ...singapore.credentials, accountSid: 'someoneelse' });
		expect(httpCode).toBe(403);
		expect(dialogMessage).toMatch(/Authorization failed \(1003\).*account SID/);
	});

	it('fails against the wrong region host', async () => {
		const { httpCode, dialogMessage } = await testCredential({ ...singapore.credentials, baseUrl: mumbai.url });
		expect(httpCode).toBe(401);
		expect(dialogMessage).toMatch(/region/);
		// n8n's request helper itself tries a 401 a second time (pre-authentication), hence not exactly 1.
		expect(mumbai.requests.length).toBeGreaterThan(0);
		expect(singapore.requests).toHaveLength(0);
	});

	it('trims a trailing slash from a custom base URL and spaces around the account SID', async () => {
		const { httpCode } = await testCredential({
			...singapore.credentials,
			baseUrl: `${singapore.url}/`,
			accountSid: ' simaccount1 ',
		});
		expect(httpCode).toBe(200);
		expect(singapore.requests[0].path).toBe('/v2/accounts/simaccount1/lists');
	});

	it('maps each region to its cluster, the same way in the request defaults and in the transport', () => {
		expect(accountRoot({ region: 'singapore', accountSid: 'acme' })).toBe('https://api.exotel.com/v2/accounts/acme');
		expect(accountRoot({ region: 'mumbai', accountSid: 'acme' })).toBe('https://api.in.exotel.com/v2/accounts/acme');
		expect(accountRoot({ region: 'custom', baseUrl: 'http://127.0.0.1:4010/', accountSid: 'acme' })).toBe(
			'http://127.0.0.1:4010/v2/accounts/acme',
		);
		// The expression form, evaluated as JavaScript over the same credentials, gives the same roots.
		const expression = credentialType.test.request.baseURL!.replace(/^=\{\{|\}\}$/g, '');
		const evaluate = new Function('$credentials', `return (${expression});`) as (credentials: IDataObject) => string;
		for (const credentials of [
			{ region: 'singapore', accountSid: 'acme' },
			{ region: 'mumbai', accountSid: 'acme' },
			{ region: 'custom', baseUrl: 'http://127.0.0.1:4010/', accountSid: 'a b' },
		]) {
			expect(evaluate(credentials)).toBe(accountRoot(credentials));
		}
	});
});
