import fc from 'fast-check';
import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { sidFrom } from '../../nodes/Exotel/helpers/validation';
import type { IdResource } from '../../nodes/Exotel/helpers/validation';

/** Property-based tests of the one ID reader: whatever it accepts can only name a record of its resource. */

const node: INode = {
	id: 'exotel',
	name: 'Exotel',
	type: 'n8n-nodes-exotel.exotel',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const RESOURCES: Array<{ resource: IdResource; uris: (sid: string) => string[] }> = [
	{ resource: 'contact', uris: (sid) => [`/v2/accounts/acme/contacts/${sid}`, `https://api.exotel.com/v2/accounts/acme/contacts/${sid}/`] },
	{ resource: 'list', uris: (sid) => [`/v2/accounts/acme/lists/${sid}`, `https://api.in.exotel.com/v2/accounts/acme/lists/${sid}?x=1#y`] },
	{ resource: 'campaign', uris: (sid) => [`/v2/accounts/acme/campaigns/${sid}`, `http://127.0.0.1:4010/v2/accounts/acme/campaigns/${sid}`] },
	{ resource: 'upload', uris: (sid) => [`/v2/accounts/acme/csv-status/${sid}`, `https://api.exotel.com/v2/accounts/acme/csv-status/${sid}`] },
	{
		resource: 'call',
		uris: (sid) => [`/v1/Accounts/acme/Calls/${sid}`, `/v1/Accounts/acme/Calls.json/${sid}`, `/v1/Accounts/acme/Calls/${sid}.json`],
	},
	{ resource: 'sms', uris: (sid) => [`/v1/Accounts/acme/SMS/Messages/${sid}`, `/v1/Accounts/acme/Sms/Messages.json/${sid}`] },
	{ resource: 'exoPhone', uris: (sid) => [`/v2_beta/Accounts/acme/IncomingPhoneNumbers/${sid}`] },
];

const resource = fc.constantFrom(...RESOURCES.map((entry) => entry.resource));
const SID_CHARS = /^[A-Za-z0-9_-]+$/;
const sid = fc.string({ unit: fc.constantFrom(...'abcdef0123456789ABCXYZ_-'), minLength: 1, maxLength: 40 });

/** Strings that try to leave the resource: dots, slashes, escapes (single and double), queries. */
const hostile = fc.oneof(
	fc.string({ unit: fc.constantFrom('.', '/', '%', '2', 'e', 'E', 'f', 'F', '5', 'c', 'C', 'a', '_', '-', ' ', '?', '#', '\\', ':', '\u3002') }),
	fc.string({ unit: 'grapheme' }),
	fc.string(),
);

const DOT_SEGMENTS = ['.', '..', '%2e', '%2E', '%2e%2e', '%2E.', '.%2e', '%252e%252e', ' .. '];

function read(value: unknown, kind: IdResource): { sid: string } | { error: NodeOperationError } {
	try {
		return { sid: sidFrom(node, 2, 'Field', value, kind) };
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return { error: error as NodeOperationError };
	}
}

describe('ID checking: properties', () => {
	it('anything accepted has only SID characters (no dot segment ever passes); anything refused names item and field', () => {
		fc.assert(
			fc.property(hostile, resource, (value, kind) => {
				const outcome = read(value, kind);
				if ('sid' in outcome) {
					expect(outcome.sid).toMatch(SID_CHARS);
				} else {
					expect(outcome.error.message).toMatch(/^Item 3: Field /);
					expect(outcome.error.context.field).toBe('Field');
				}
			}),
			{ numRuns: 1000 },
		);
	});

	it('a SID, as typed, from a resource locator, or inside any URI form of its resource, reads as itself', () => {
		fc.assert(
			fc.property(sid, fc.constantFrom(...RESOURCES), (id, { resource: kind, uris }) => {
				for (const value of [id, ` ${id} `, { __rl: true, mode: 'id', value: id }, ...uris(id)]) {
					expect(read(value, kind)).toEqual({ sid: id });
				}
			}),
			{ numRuns: 300 },
		);
	});

	it('a URI of one resource is never read as another', () => {
		fc.assert(
			fc.property(sid, fc.constantFrom(...RESOURCES), fc.constantFrom(...RESOURCES), (id, from, to) => {
				fc.pre(from.resource !== to.resource);
				for (const uri of from.uris(id)) expect(read(uri, to.resource)).toHaveProperty('error');
			}),
			{ numRuns: 300 },
		);
	});

	it('a dot segment, encoded or not, anywhere in a URI is refused', () => {
		fc.assert(
			fc.property(sid, fc.constantFrom(...RESOURCES), fc.constantFrom(...DOT_SEGMENTS), fc.nat(), (id, { resource: kind, uris }, dots, position) => {
				for (const uri of uris(id)) {
					const [path, rest = ''] = uri.split(/(?=[?#])/);
					const segments = path.split('/');
					// Into the path: after `scheme://host` in a full URL.
					const first = /^https?:/.test(uri) ? 3 : 1;
					const index = first + (position % (segments.length - first + 1));
					const withDots = [...segments.slice(0, index), dots, ...segments.slice(index)].join('/') + rest;
					expect([withDots, read(withDots, kind)]).toEqual([withDots, { error: expect.any(NodeOperationError) }]);
				}
				// And in the SID's place.
				for (const uri of uris('SID_PLACE')) expect(read(uri.replace('SID_PLACE', dots), kind)).toHaveProperty('error');
			}),
			{ numRuns: 300 },
		);
	});
});
