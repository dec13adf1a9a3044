import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { contactsCsv, csvHeaderColumns, escapeCsvCell } from '../../nodes/Exotel/helpers/csv';
import { buildMultipart } from '../../nodes/Exotel/helpers/multipart';
import { normalizeStatus, waitForUpload } from '../../nodes/Exotel/resources/csvUpload/status';
import { runExotel } from '../helpers/harness';
import type { OnError } from '../helpers/harness';
import { ExotelSimulator } from '../simulator/server';
import type { LoggedMultipart, LoggedRequest } from '../simulator/server';

const CSV_HEADER = 'number,first_name,last_name,company_name,email,tag';

/** An input item carrying a CSV file the way n8n keeps small binaries: inline base64. */
function csvItem(content: string | Buffer, fileName = 'x.csv', property = 'data'): INodeExecutionData {
	const buffer = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
	return {
		json: { file: fileName },
		binary: { [property]: { data: buffer.toString('base64'), mimeType: 'text/csv', fileName } },
	};
}

describe('csvUpload', () => {
	let sim: ExotelSimulator;
	let root: string;
	beforeAll(async () => {
		sim = await ExotelSimulator.start({ csvProcessingMs: 300 });
		root = `/v2/accounts/${sim.credentials.accountSid}`;
	});
	afterAll(async () => sim.stop());
	beforeEach(() => {
		sim.reset();
		sim.csvProcessingMs = 300;
	});

	const run = (parameters: IDataObject, items?: Array<IDataObject | INodeExecutionData>, onError?: OnError) =>
		runExotel({
			credentials: sim.credentials as never,
			parameters: { resource: 'csvUpload', ...parameters } as never,
			items,
			onError,
		});

	const uploads = (): LoggedRequest[] =>
		sim.requests.filter((r) => r.method === 'POST' && r.path === `${root}/contacts/csv-upload`);
	const statusPolls = (): LoggedRequest[] =>
		sim.requests.filter((r) => r.method === 'GET' && r.path.startsWith(`${root}/csv-status/`));
	const multipartOf = (request: LoggedRequest) => request.body as LoggedMultipart;
	const contactsInList = (listSid: string) =>
		sim.listMembers(listSid).map((sid) => sim.state.contacts.get(sid)!);
	const waitForSimulator = () => new Promise((resolve) => setTimeout(resolve, sim.csvProcessingMs + 150));

	describe('helpers', () => {
		it('escapes cells per RFC 4180 and guards formulas except in the number column', () => {
			expect(escapeCsvCell('plain')).toBe('plain');
			expect(escapeCsvCell('a,b')).toBe('"a,b"');
			expect(escapeCsvCell('say "hi"')).toBe('"say ""hi"""');
			expect(escapeCsvCell('two\nlines')).toBe('"two\nlines"');
			expect(escapeCsvCell('=SUM(1)')).toBe("'=SUM(1)");
			expect(escapeCsvCell('=HYPERLINK("x","y")')).toBe('"\'=HYPERLINK(""x"",""y"")"');
			for (const start of ['+', '-', '@', '\t', '\r']) expect(escapeCsvCell(`${start}1`).startsWith("'") || escapeCsvCell(`${start}1`).startsWith('"\'')).toBe(true);
			expect(escapeCsvCell('+919876543210', false)).toBe('+919876543210');
			const csv = contactsCsv([
				{ number: '+919876543210', first_name: '-x', last_name: '', company_name: '', email: '', tag: '@t' },
			]).toString('utf8');
			expect(csv).toBe(`${CSV_HEADER}\r\n+919876543210,'-x,,,,'@t\r\n`);
		});

		it('reads both spellings of stats', () => {
			expect(normalizeStatus({ status: 'x', Stats: { Total: 2, Invalid: 1 } })).toEqual({
				status: 'x',
				stats: { total: 2, invalid: 1, failed: 1 },
			});
			expect(normalizeStatus({ stats: { total: 1, failed: 0 } })).toEqual({ stats: { total: 1, failed: 0 } });
		});

		it('reads the header row from the first bytes only, BOM, quotes and case included', () => {
			expect(csvHeaderColumns(Buffer.from('\uFEFFNumber, "First_Name" ,"a,b"\r\n+91,x,y'))).toEqual(['number', 'first_name', 'a,b']);
			expect(csvHeaderColumns(Buffer.from('phone,name\n'))).toEqual(['phone', 'name']);
			expect(csvHeaderColumns(Buffer.alloc(0))).toEqual(['']);
		});

		it('builds multipart with a boundary absent from the file and one copy of it', () => {
			const file = Buffer.from('number\r\n+919876543210\r\n');
			const { body, contentType } = buildMultipart([
				{ name: 'list_name', text: 'L' },
				{ name: 'file_name', filename: 'a"b.csv', contentType: 'text/csv', content: file },
			]);
			const boundary = /boundary=(.+)$/.exec(contentType)![1];
			const text = body.toString('utf8');
			expect(text.startsWith(`--${boundary}\r\nContent-Disposition: form-data; name="list_name"\r\n\r\nL\r\n`)).toBe(true);
			expect(text).toContain('filename="a%22b.csv"\r\nContent-Type: text/csv\r\n\r\nnumber\r\n+919876543210\r\n\r\n');
			expect(text.endsWith(`--${boundary}--\r\n`)).toBe(true);
		});
	});

	describe('upload from binary', () => {
		it('sends each item’s file as real multipart and outputs { list, summary } per item', async () => {
			const file1 = `${CSV_HEADER}\r\n+919811111101,Deepa,Nair,,deepa@example.com,vip\r\n+919811111102,Farhan,,,,\r\n`;
			const file2 = 'number,first_name\n+919811111103,Gita\n';
			const result = await run({ operation: 'upload', listName: '=List {{ $json.file }}' }, [
				csvItem(file1, 'one.csv'),
				csvItem(file2, 'two.csv'),
			]);
			expect(result.error).toBeUndefined();
			expect(uploads()).toHaveLength(2);

			const [first, second] = uploads();
			for (const request of [first, second]) {
				expect(String(request.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
				expect(String(request.headers['content-type'])).not.toContain('json');
			}
			const part1 = multipartOf(first);
			expect(part1.fields).toEqual({ list_name: 'List one.csv', type: 'static' });
			expect(part1.files).toHaveLength(1);
			expect(part1.files[0]).toMatchObject({ name: 'file_name', filename: 'one.csv', contentType: 'text/csv' });
			expect(part1.files[0].content!.equals(Buffer.from(file1))).toBe(true);
			expect(multipartOf(second).files[0].content!.toString('utf8')).toBe(file2);

			expect(result.output).toHaveLength(2);
			const [out1, out2] = result.output;
			expect(out1.pairedItem).toEqual({ item: 0 });
			expect(out2.pairedItem).toEqual({ item: 1 });
			const list = out1.json.list as IDataObject;
			const summary = out1.json.summary as IDataObject;
			expect(list.name).toBe('List one.csv');
			expect(summary).toMatchObject({ status: 'in-progress', list_sid: list.sid });
			expect(summary.url).toBe(`${root}/csv-status/${String(summary.upload_id)}`);
			expect(summary.stats).toEqual({ duplicate: null, total: null, success: null, failed: null });
			expect(summary).not.toHaveProperty('Stats');

			await waitForSimulator();
			expect(contactsInList(String(list.sid)).map((c) => [c.number, c.first_name, c.email, c.tag])).toEqual([
				['+919811111101', 'Deepa', 'deepa@example.com', 'vip'],
				['+919811111102', 'Farhan', null, null],
			]);
			expect(contactsInList(String((out2.json.list as IDataObject).sid)).map((c) => c.number)).toEqual(['+919811111103']);
		});

		it('sends type dynamic and waits for completion when asked', async () => {
			const file = 'number,first_name,plan\n+919811111104,Harish,gold\n+919811111105,Isha,silver\n+919811111105,Isha,silver\n';
			const result = await run(
				{
					operation: 'upload',
					listName: 'Dynamic list',
					binaryPropertyName: 'sheet',
					options: { type: 'dynamic', waitForCompletion: true, pollInterval: 0.1, timeout: 10 },
				},
				[csvItem(file, 'd.csv', 'sheet')],
			);
			expect(result.error).toBeUndefined();
			expect(multipartOf(uploads()[0]).fields.type).toBe('dynamic');
			const { list, summary } = result.output[0].json as { list: IDataObject; summary: IDataObject };
			expect(list.name).toBe('Dynamic list');
			expect(summary).toMatchObject({ status: 'completed', stats: { total: 3, success: 2, duplicate: 1, failed: 0 } });
			expect(summary.url).toContain('/csv-status/');
			expect(statusPolls().length).toBeGreaterThanOrEqual(1);
			expect(sim.listMembers(String(list.sid))).toHaveLength(2);
		});

		it.each([
			['a missing binary field', [csvItem('number\n+919811111101\n', 'x.csv', 'other')], /^Item 1: there is no binary field "data"/],
			['an empty file', [csvItem('', 'empty.csv')], /^Item 1: the file "empty.csv" is empty/],
			['a header without number', [csvItem('phone,name\n+919811111101,A\n', 'p.csv')], /^Item 1: the file "p.csv" has no "number" column in its header row/],
			['columns a static list does not take', [csvItem('number,plan\n+919811111101,gold\n')], /^Item 1: the file "x.csv" has columns a static list does not take: plan/],
		])('rejects %s before sending anything', async (_case, items, message) => {
			const result = await run({ operation: 'upload', listName: 'L' }, items);
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(message);
			expect(sim.requests).toHaveLength(0);
		});

		it('rejects a file over 60 MB before sending it', async () => {
			const big = Buffer.alloc(60 * 1024 * 1024 + 1, 0x61);
			big.write('number\n', 0);
			const result = await run({ operation: 'upload', listName: 'L' }, [csvItem(big, 'big.csv')]);
			expect(result.error?.message).toBe('Item 1: the file "big.csv" is 60.0 MB (62914561 bytes); Exotel takes CSV files up to 60 MB (62914560 bytes)');
			expect(sim.requests).toHaveLength(0);
		});

		it('checks every item first: a bad item 3 stops the node before item 1 is sent', async () => {
			const good = csvItem('number\n+919811111101\n');
			const result = await run({ operation: 'upload', listName: 'L' }, [good, good, csvItem('name\nx\n', 'bad.csv')]);
			expect(result.error?.message).toMatch(/^Item 3: the file "bad.csv" has no "number" column/);
			expect(sim.requests).toHaveLength(0);
		});

		it('with continue on fail, bad items go to the error output and the others are uploaded', async () => {
			const result = await run(
				{ operation: 'upload', listName: 'L' },
				[csvItem('number\n+919811111101\n'), { json: { nothing: true } }, csvItem('', 'e.csv')],
				'continueErrorOutput',
			);
			expect(result.error).toBeUndefined();
			expect(uploads()).toHaveLength(1);
			expect(result.output).toHaveLength(1);
			expect(result.output[0].pairedItem).toEqual({ item: 0 });
			expect(result.errorOutput.map((item) => [item.json.error, item.pairedItem])).toEqual([
				['Item 2: there is no binary field "data"', { item: 1 }],
				['Item 3: the file "e.csv" is empty', { item: 2 }],
			]);
			// n8n keeps only `error` in an error item's json; the description travels on the error.
			expect(result.errorOutput[0].error?.description).toContain('no binary data');
		});

		it('rejects an empty list name', async () => {
			const result = await run({ operation: 'upload', listName: '  ' }, [csvItem('number\n+919811111101\n')]);
			expect(result.error?.message).toBe('Item 1: List Name is empty');
			expect(sim.requests).toHaveLength(0);
		});
	});

	describe('upload from items', () => {
		it('writes all items as one CSV with the default mapping, waits, and pairs the output with every item', async () => {
			const result = await run(
				{
					operation: 'upload',
					listName: 'From items',
					source: 'items',
					options: { waitForCompletion: true, pollInterval: 0.1, timeout: 10 },
				},
				[
					{ number: '+91 98111 11101', first_name: 'Deepa', last_name: 'Nair', email: 'deepa@example.com' },
					{ number: '+919811111102', first_name: 'Farhan', company_name: 'Ali & Co', tag: 'vip' },
					{ number: 919811111103, first_name: 'Gita' },
				].map((json, index) => (index === 2 ? { ...json, number: `+${json.number}` } : json)),
			);
			expect(result.error).toBeUndefined();
			expect(uploads()).toHaveLength(1);
			const sent = multipartOf(uploads()[0]);
			expect(sent.fields).toEqual({ list_name: 'From items', type: 'static' });
			expect(sent.files[0]).toMatchObject({ name: 'file_name', filename: 'contacts.csv', contentType: 'text/csv' });
			expect(sent.files[0].content!.toString('utf8')).toBe(
				`${CSV_HEADER}\r\n` +
					'+919811111101,Deepa,Nair,,deepa@example.com,\r\n' +
					'+919811111102,Farhan,,Ali & Co,,vip\r\n' +
					'+919811111103,Gita,,,,\r\n',
			);
			expect(String(uploads()[0].headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);

			expect(result.output).toHaveLength(1);
			const out = result.output[0];
			expect(out.pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			const { list, summary } = out.json as { list: IDataObject; summary: IDataObject };
			expect(summary).toMatchObject({ status: 'completed', stats: { total: 3, success: 3, failed: 0, duplicate: 0 } });
			expect(contactsInList(String(list.sid)).map((c) => c.number)).toEqual(['+919811111101', '+919811111102', '+919811111103']);
		});

		it('round-trips commas, quotes, newlines and neutralises formulas', async () => {
			const result = await run(
				{
					operation: 'upload',
					listName: 'Escaping',
					source: 'items',
					columnNumber: '={{ $json.phone }}',
					columnFirstName: '={{ $json.name }}',
					columnLastName: '={{ $json.surname }}',
					columnCompanyName: '={{ $json.org }}',
					columnTag: '={{ $json.label }}',
					options: { waitForCompletion: true, pollInterval: 0.1 },
				},
				[{ phone: '+919811111109', name: 'Doe, John', surname: 'O"Brien', org: 'Line 1\nLine 2', label: '=SUM(1)' }],
			);
			expect(result.error).toBeUndefined();
			const csv = multipartOf(uploads()[0]).files[0].content!.toString('utf8');
			expect(csv).toBe(`${CSV_HEADER}\r\n+919811111109,"Doe, John","O""Brien","Line 1\nLine 2",,'=SUM(1)\r\n`);
			const list = result.output[0].json.list as IDataObject;
			const [contact] = contactsInList(String(list.sid));
			expect(contact).toMatchObject({
				number: '+919811111109',
				first_name: 'Doe, John',
				last_name: 'O"Brien',
				company_name: 'Line 1\nLine 2',
				tag: "'=SUM(1)",
			});
		});

		it('names the item and field of an invalid number and sends nothing', async () => {
			const result = await run({ operation: 'upload', listName: 'L', source: 'items' }, [
				{ number: '+919811111101' },
				{ number: '12ab' },
			]);
			expect(result.error?.message).toBe('Item 2: Phone Number "12ab" is not a phone number Exotel accepts');
			expect(sim.requests).toHaveLength(0);
		});

		it('with continue on fail, uploads the valid items and reports the others with their pairedItem', async () => {
			const result = await run(
				{ operation: 'upload', listName: 'L', source: 'items' },
				[{ number: '+919811111101' }, { number: '' }, { number: '+919811111103', email: 'not-an-email' }, { number: '+919811111104' }],
				'continueErrorOutput',
			);
			expect(result.error).toBeUndefined();
			expect(multipartOf(uploads()[0]).files[0].content!.toString('utf8')).toBe(
				`${CSV_HEADER}\r\n+919811111101,,,,,\r\n+919811111104,,,,,\r\n`,
			);
			expect(result.output).toHaveLength(1);
			expect(result.output[0].pairedItem).toEqual([{ item: 0 }, { item: 3 }]);
			expect(result.errorOutput.map((item) => [item.json.error, item.pairedItem])).toEqual([
				['Item 2: Phone Number is empty', { item: 1 }],
				['Item 3: Email "not-an-email" is not an email address', { item: 2 }],
			]);
		});
	});

	describe('getStatus', () => {
		it('reads a status by id, by status path and by full URL, with stats in lower case', async () => {
			const uploaded = await run({ operation: 'upload', listName: 'S' }, [csvItem('number\n+919811111101\n')]);
			const summary = uploaded.output[0].json.summary as IDataObject;
			const id = String(summary.upload_id);
			await waitForSimulator();

			const result = await run({ operation: 'getStatus', uploadId: '={{ $json.ref }}' }, [
				{ ref: id },
				{ ref: summary.url },
				{ ref: `${sim.url}${String(summary.url)}?x=1` },
			]);
			expect(result.error).toBeUndefined();
			expect(statusPolls().map((r) => r.path)).toEqual(Array(3).fill(`${root}/csv-status/${id}`));
			expect(result.output).toHaveLength(3);
			result.output.forEach((item, index) => {
				expect(item.pairedItem).toEqual({ item: index });
				expect(item.json).toMatchObject({
					upload_id: id,
					list_sid: summary.list_sid,
					status: 'completed',
					stats: { total: 1, success: 1, failed: 0, duplicate: 0 },
				});
			});
		});

		it('takes the upload id from the input by default (summary.upload_id of an Upload)', async () => {
			const uploaded = await run({ operation: 'upload', listName: 'S' }, [csvItem('number\n+919811111101\n')]);
			const result = await run({ operation: 'getStatus' }, [uploaded.output[0].json]);
			expect(result.error).toBeUndefined();
			expect(result.output[0].json.upload_id).toBe((uploaded.output[0].json.summary as IDataObject).upload_id);
		});

		it('rejects an id that would change the path, and reports an unknown upload per item', async () => {
			const result = await run(
				{ operation: 'getStatus', uploadId: '={{ $json.ref }}' },
				[{ ref: 'a/b' }, { ref: 'nope' }],
				'continueErrorOutput',
			);
			expect(result.errorOutput.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(result.errorOutput[0].json.error).toMatch(/^Item 1: Upload ID "a\/b" is not a SID/);
			expect(result.errorOutput[1].json.error).toMatch(/Upload nope not found/);
			expect(statusPolls()).toHaveLength(1);
		});
	});

	describe('waitForCompletion', () => {
		const uploadOne = async (content = 'number\n+919811111101\n+919811111102\n') => {
			const uploaded = await run({ operation: 'upload', listName: 'W' }, [csvItem(content)]);
			expect(uploaded.error).toBeUndefined();
			return String((uploaded.output[0].json.summary as IDataObject).upload_id);
		};

		it('polls until completed and outputs the final status', async () => {
			sim.csvProcessingMs = 1500;
			const id = await uploadOne();
			const started = Date.now();
			const result = await run({ operation: 'waitForCompletion', uploadId: id, options: { pollInterval: 0.3 } });
			expect(result.error).toBeUndefined();
			expect(Date.now() - started).toBeGreaterThan(1000);
			expect(statusPolls().length).toBeGreaterThanOrEqual(3);
			expect(result.output).toHaveLength(1);
			expect(result.output[0].json).toMatchObject({ upload_id: id, status: 'completed', stats: { total: 2, success: 2 } });
		});

		it('fails after the timeout with the last status and counts', async () => {
			sim.csvProcessingMs = 5000;
			const id = await uploadOne();
			const started = Date.now();
			const result = await run({ operation: 'waitForCompletion', uploadId: id, options: { pollInterval: 0.2, timeout: 0.5 } });
			const elapsed = Date.now() - started;
			expect(result.error?.message).toBe(`Item 1: upload ${id} is still in-progress after 0.5 seconds (no counts yet)`);
			expect(elapsed).toBeGreaterThanOrEqual(450);
			expect(elapsed).toBeLessThan(2500);
			expect(statusPolls().length).toBeGreaterThanOrEqual(3);
		});

		it('fails on a final status other than completed, giving the counts', async () => {
			sim.failNextUpload('failed');
			const id = await uploadOne();
			const result = await run({ operation: 'waitForCompletion', uploadId: id, options: { pollInterval: 0.1 } });
			expect(result.error?.message).toBe(
				`Item 1: upload ${id} ended with status "failed" (duplicate 0, total 2, success 2, failed 0)`,
			);
		});

		it('an upload that waits reports a failed import as an error of its item', async () => {
			sim.failNextUpload('error');
			const result = await run(
				{ operation: 'upload', listName: 'F', options: { waitForCompletion: true, pollInterval: 0.1 } },
				[csvItem('number\n+919811111101\n')],
				'continueErrorOutput',
			);
			expect(result.output).toHaveLength(0);
			expect(result.errorOutput).toHaveLength(1);
			expect(result.errorOutput[0].json.error).toMatch(/^Item 1: upload \w+ ended with status "error" \(.*total 1/);
			expect(result.errorOutput[0].pairedItem).toEqual({ item: 0 });
		});

		it('keeps polling through a 429', async () => {
			const id = await uploadOne();
			sim.injectFault({ kind: 'status', status: 429, retryAfter: 0, match: { method: 'GET', path: /csv-status/ }, times: 2 });
			const result = await run({ operation: 'waitForCompletion', uploadId: id, options: { pollInterval: 0.1 } });
			expect(result.error).toBeUndefined();
			expect(result.output[0].json.status).toBe('completed');
			expect(statusPolls().filter((r) => r.status === 429)).toHaveLength(2);
		});

		it('stops within a second when the execution is cancelled, even with a long poll interval', async () => {
			const signal = { aborted: false };
			let polls = 0;
			const context = {
				getNode: () => ({ id: 'e', name: 'Exotel', type: 'n8n-nodes-exotel.exotel', typeVersion: 1, position: [0, 0], parameters: {} }),
				getCredentials: async () => sim.credentials,
				getExecutionCancelSignal: () => signal,
				helpers: {
					httpRequestWithAuthentication: async () => {
						polls++;
						return {
							statusCode: 200,
							headers: {},
							body: { response: { code: 200, status: 'success', data: { upload_id: 'u1', status: 'in-progress', Stats: { Total: 3 } } } },
						};
					},
				},
			} as unknown as IExecuteFunctions;
			setTimeout(() => (signal.aborted = true), 200);
			const started = Date.now();
			await expect(waitForUpload(context, 'u1', 0, { pollInterval: 5, timeout: 600 })).rejects.toThrow(
				'Stopped waiting for upload u1: the execution was cancelled',
			);
			expect(Date.now() - started).toBeLessThan(1500);
			expect(polls).toBe(1);
		});
	});
});
