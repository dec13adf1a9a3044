import type { IDataObject } from 'n8n-workflow';

import * as shipped from '../../nodes/Exotel/transport/timing';

import { runExotel } from '../helpers/harness';
import { useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';

/** The shipped waits (30 s + 10 ms a record, 2 min, 0.5 s) at 1/40 of their length. */
const SCALE = 40;
jest.mock('../../nodes/Exotel/transport/timing', () => ({
	DEFAULT_TIMEOUT_MS: 30_000 / 40,
	TIMEOUT_PER_RECORD_MS: 10 / 40,
	NO_ANSWER_BUDGET_MS: 120_000 / 40,
	BACKOFF_BASE_MS: 500 / 40,
}));
const actual = jest.requireActual<typeof shipped>('../../nodes/Exotel/transport/timing');

/** Exotel answers a 5000-contact POST after 35 s; on the scaled clock, after 35 s / SCALE. */
const ANSWER_AFTER_MS = 35_000 / SCALE;

describe('a bulk request waits longer the more records it carries', () => {
	let sim: ExotelSimulator;
	useSimulator((started) => {
		sim = started;
	});

	const phones = (count: number) => Array.from({ length: count }, (_, k) => ({ phone: `+9197${String(k + 1).padStart(8, '0')}` }));
	const createContacts = (requestOptions: IDataObject = {}) =>
		({ resource: 'contact', operation: 'create', number: '={{ $json.phone }}', requestOptions }) as never;

	it('the shipped waits: 5000 records wait longer than the 35 s Exotel may take; the scaled ones keep their proportions', () => {
		expect(shipped.DEFAULT_TIMEOUT_MS).toBe(actual.DEFAULT_TIMEOUT_MS / SCALE); // the mock is in place
		expect(actual.DEFAULT_TIMEOUT_MS).toBeLessThan(35_000);
		expect(actual.DEFAULT_TIMEOUT_MS + 5000 * actual.TIMEOUT_PER_RECORD_MS).toBeGreaterThan(35_000);
		expect(shipped.TIMEOUT_PER_RECORD_MS).toBe(actual.TIMEOUT_PER_RECORD_MS / SCALE);
	});

	it('a 5000-contact POST answered after (scaled) 35 s succeeds, sent once', async () => {
		sim.injectFault({ kind: 'latency', ms: ANSWER_AFTER_MS, match: { method: 'POST', path: '/contacts' } });
		const result = await runExotel({ credentials: { ...sim.credentials }, parameters: createContacts(), items: phones(5000) });
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(5000);
		expect(result.output[4999].json.number).toBe('+919700005000');
		expect(sim.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
	});

	it('the same wait fails a 1-contact POST: the records, not a longer default, made the difference', async () => {
		sim.injectFault({ kind: 'latency', ms: ANSWER_AFTER_MS, match: { method: 'POST', path: '/contacts' } });
		const result = await runExotel({ credentials: { ...sim.credentials }, parameters: createContacts(), items: phones(1) });
		// 30 s + 10 ms, scaled; a POST is not sent again.
		expect(result.error?.message).toBe('Item 1: Exotel did not answer in time (0.8 s)');
	});

	it('Request Options → Timeout still wins: 5000 contacts with a 0.3 s timeout fail after 0.3 s', async () => {
		sim.injectFault({ kind: 'hang', match: { method: 'POST', path: '/contacts' } });
		const result = await runExotel({
			credentials: { ...sim.credentials },
			parameters: createContacts({ timeout: 300 }),
			items: phones(5000),
		});
		expect(result.error?.message).toBe('Items 1–5000: Exotel did not answer in time (0.3 s)');
		expect(result.error?.description).toMatch(/Exotel may have applied it anyway, so it was not sent again/);
	});
});
