import type { IDataObject } from 'n8n-workflow';

import { runExotel } from '../helpers/harness';
import type { OnError } from '../helpers/harness';
import { rl, useSimulator } from '../helpers/simulatorSuite';
import type { ExotelSimulator } from '../simulator/server';

describe('ExoPhone', () => {
	let sim: ExotelSimulator;
	let listPath: string;
	useSimulator((started) => {
		sim = started;
		listPath = `/v2_beta/Accounts/${started.credentials.accountSid}/IncomingPhoneNumbers`;
	});

	const run = (parameters: IDataObject, items?: IDataObject[], onError?: OnError) =>
		runExotel({ credentials: { ...sim.credentials }, parameters: { resource: 'exoPhone', ...parameters } as never, items, onError });

	describe('Get Many', () => {
		it("Return All follows Exotel's next-page URI: 250 ExoPhones in 3 pages of 100, each once, in order", async () => {
			const seeded = sim.seedExoPhones(250);
			const result = await run({ operation: 'getMany', returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.output.map((item) => item.json.sid)).toEqual(seeded.map((exoPhone) => exoPhone.sid));
			expect(sim.requests.map((request) => [request.path, request.query.Page ?? '0', request.query.PageSize])).toEqual([
				[listPath, '0', '100'],
				[listPath, '1', '100'],
				[listPath, '2', '100'],
			]);
			expect(result.output[0].json).toMatchObject({ phone_number: seeded[0].phone_number, capabilities: { voice: true, sms: true } });
		});

		it('Limit asks for no more than it needs', async () => {
			sim.seedExoPhones(30);
			const result = await run({ operation: 'getMany', returnAll: false, limit: 5 });
			expect(result.output).toHaveLength(5);
			expect(sim.requests.map((request) => request.query.PageSize)).toEqual(['5']);
		});
	});

	describe('Get', () => {
		it('by SID (By ID), by number (as the picker or a user gives it), each its own ExoPhone', async () => {
			const [first, second] = sim.seedExoPhones(2);
			const result = await run({ operation: 'get', exoPhoneId: rl('={{ $json.id }}') }, [
				{ id: first.sid },
				{ id: second.phone_number },
				{ id: `0${second.phone_number.slice(3)}` },
			]);
			expect(result.error).toBeUndefined();
			expect(result.output.map((item) => item.json.sid)).toEqual([first.sid, second.sid, second.sid]);
			expect(sim.requests[0].path).toBe(`${listPath}/${first.sid}`);
		});

		it('an ExoPhone the account does not have is an error naming the item; a SID with a slash never reaches a path', async () => {
			sim.seedExoPhones(1);
			const result = await run({ operation: 'get', exoPhoneId: rl('={{ $json.id }}') }, [{ id: '+918000000000' }, { id: '../Calls' }], 'continueErrorOutput');
			expect(result.errorOutput.map((item) => item.json.error)).toEqual([
				'Item 1: ExoPhone "+918000000000" is not one of this account\'s ExoPhones',
				expect.stringMatching(/^Item 2: ExoPhone "\.\.\/Calls" is not an ExoPhone ID or URI/),
			]);
			expect(sim.requests.every((request) => request.path === listPath)).toBe(true);
		});
	});
});
