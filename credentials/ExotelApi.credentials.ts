import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** Exotel's API clusters; an account lives in exactly one, and the other answers 401. */
export const EXOTEL_REGION_HOSTS = {
	singapore: 'https://api.exotel.com',
	mumbai: 'https://api.in.exotel.com',
} as const;

/**
 * The account's API root, as an n8n expression over the credential. The node's request defaults and
 * the credential test both use it; transport/ computes the same from decrypted credentials.
 */
export const EXOTEL_ACCOUNT_ROOT_EXPRESSION =
	'={{ ($credentials.region === "custom" ? String($credentials.baseUrl || "").replace(/\\/+$/, "") : ' +
	`(${JSON.stringify(EXOTEL_REGION_HOSTS)})[$credentials.region || "singapore"]) ` +
	'+ "/v2/accounts/" + encodeURIComponent(String($credentials.accountSid || "").trim()) }}';

export class ExotelApi implements ICredentialType {
	name = 'exotelApi';

	displayName = 'Exotel API';

	icon: Icon = { light: 'file:exotel.svg', dark: 'file:exotel.dark.svg' };

	documentationUrl = 'https://developer.exotel.com/api/campaigns-contacts';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Exotel Dashboard → Settings → API Settings → API Key',
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Exotel Dashboard → Settings → API Settings → API Token',
		},
		{
			displayName: 'Account SID',
			name: 'accountSid',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. yourcompany1',
			description: 'Shown as "Account SID" on the same API Settings page; it is part of every request path',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{
					name: 'Singapore (api.exotel.com)',
					value: 'singapore',
				},
				{
					name: 'Mumbai (api.in.exotel.com)',
					value: 'mumbai',
				},
				{
					name: 'Custom Base URL',
					value: 'custom',
					description: 'For a proxy or a local Exotel simulator',
				},
			],
			default: 'singapore',
			description:
				'The cluster your account was created in; the API Settings page shows it as the subdomain. The wrong one fails with "Authentication failed".',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. http://127.0.0.1:4010',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 200,
			description:
				"The account's API request budget, per family of Exotel's APIs (campaigns; contacts, lists and CSV; calls, numbers and ExoPhones; SMS). The node paces each family to it across the workflows of this n8n process, slows down on Exotel's 429s and climbs back after clean minutes; Exotel's X-RateLimit headers win when it sends them. Exotel documents 200 a minute (bulk SMS 50).",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{$credentials.apiKey}}',
				password: '={{$credentials.apiToken}}',
			},
		},
	};

	// Listing one list is the cheapest call that checks key, token, account SID and region together.
	test: ICredentialTestRequest = {
		request: {
			baseURL: EXOTEL_ACCOUNT_ROOT_EXPRESSION,
			url: '/lists',
			qs: { offset: 0, limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Exotel: Authentication failed (1010). Check the API key and token, and that the region is the one your account is in.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Exotel: Authorization failed (1003). The key and token are valid but do not belong to this account SID.',
				},
			},
		],
	};
}
