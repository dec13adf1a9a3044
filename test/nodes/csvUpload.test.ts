/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
import { NodeHelpers } from 'n8n-workflow';
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { Exotel } from '../../nodes/Exotel/Exotel.node';
import { contactsCsv, csvHeaderColumns, escapeCsvCell } from '../../nodes/Exotel/helpers/csv';
import { bufferContent, buildMultipart } from '../../nodes/Exotel/helpers/multipart';
import { laterReading } from '../../nodes/Exotel/resources/csvUpload/sendCsv';
import { normalizeStatus } from '../../nodes/Exotel/resources/csvUpload/status';
import { BINARY_DATA_MODES, binaryItem, removeFilesystemBinaryData, useFilesystemBinaryData } from '../helpers/binaryData';
import type { BinaryDataMode } from '../helpers/binaryData';
import { runExotel } from '../helpers/harness';
import { PHONE_NUMBER_TABLE, TABLE_COUNTRY_CODE } from '../helpers/phoneNumberTable';
import type { OnError } from '../helpers/harness';
import { ExotelSimulator } from '../simulator/server';
import type { LoggedMultipart, LoggedRequest } from '../simulator/server';

const CSV_HEADER = 'number,first_name,last_name,company_name,email,tag';

/** An input item carrying a CSV file the way n8n keeps small binaries: inline base64. */
const csvItem = async (content: string | Buffer, fileName = 'x.csv', property = 'data') =>
	await binaryItem('memory', content, fileName, property);

/** Waiting as version 1.1 asks for it: the top-level toggle, with a short interval for the tests. */
const WAIT = { waitForCompletion: true, pollInterval: 0.1, timeout: 10 };

/** The upload parameters n8n keeps for a node of `typeVersion` (the ones its version shows). */
function keptParameters(parameters: IDataObject, typeVersion: number): IDataObject {
	const node = { id: 'n', name: 'Exotel', type: 'n8n-nodes-exotel.exotel', typeVersion, position: [0, 0], parameters } as INode;
	const { description } = new Exotel();
	return NodeHelpers.getNodeParameters(description.properties, parameters as never, true, false, node, description) as IDataObject;
}

/** No field twice under two spellings (`accountSid` and `account_sid`). */
function spellings(record: IDataObject): string[] {
	return Object.keys(record).map((key) => key.replace(/_/g, '').toLowerCase());
}

describe('csvUpload', () => {
	let sim: ExotelSimulator;
	let root: string;
	beforeAll(async () => {
		sim = await ExotelSimulator.start({ csvProcessingMs: 300 });
		root = `/v2/accounts/${sim.credentials.accountSid}`;
	});
	afterAll(async () => {
		await sim.stop();
		removeFilesystemBinaryData();
	});
	beforeEach(() => {
		sim.reset();
		sim.csvProcessingMs = 300;
	});

	const run = (
		parameters: IDataObject,
		items?: Array<IDataObject | INodeExecutionData>,
		onError?: OnError,
		typeVersion?: number,
	) =>
		runExotel({
			credentials: sim.credentials as never,
			parameters: { resource: 'csvUpload', ...parameters } as never,
			items,
			onError,
			typeVersion,
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
		it('escapes cells per RFC 4180 and writes every value as typed, a leading = + - @ included', () => {
			expect(escapeCsvCell('plain')).toBe('plain');
			expect(escapeCsvCell('a,b')).toBe('"a,b"');
			expect(escapeCsvCell('say "hi"')).toBe('"say ""hi"""');
			expect(escapeCsvCell('two\nlines')).toBe('"two\nlines"');
			expect(escapeCsvCell('=SUM(1)')).toBe('=SUM(1)');
			expect(escapeCsvCell('=HYPERLINK("x","y")')).toBe('"=HYPERLINK(""x"",""y"")"');
			for (const start of ['+', '-', '@', '\t']) expect(escapeCsvCell(`${start}1`)).toBe(`${start}1`);
			expect(escapeCsvCell('\r1')).toBe('"\r1"');
			const csv = contactsCsv([
				{ number: '+919876543210', first_name: '-Smith', last_name: '', company_name: '', email: '', tag: '+VIP' },
			]);
			expect(csv).toBe(`${CSV_HEADER}\r\n+919876543210,-Smith,,,,+VIP\r\n`);
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
			expect(csvHeaderColumns(Buffer.alloc(0))).toEqual([]);
			// Excel writes a trailing comma (an empty cell) for a column with nothing in its header.
			expect(csvHeaderColumns(Buffer.from('number,first_name,\r\n'))).toEqual(['number', 'first_name']);
			expect(csvHeaderColumns(Buffer.from('number,,"" ,first_name,,\n'))).toEqual(['number', 'first_name']);
		});

		it('builds multipart in one buffer of the exact size, the file written into place', async () => {
			const file = Buffer.from('number\r\n+919876543210\r\n');
			const { body, contentType } = await buildMultipart([
				{ name: 'list_name', text: 'Lïst' },
				{ name: 'file_name', filename: 'a"b.csv', contentType: 'text/csv', ...bufferContent(file) },
			]);
			const boundary = /boundary=(.+)$/.exec(contentType)![1];
			const expected =
				`--${boundary}\r\nContent-Disposition: form-data; name="list_name"\r\n\r\nLïst\r\n` +
				`--${boundary}\r\nContent-Disposition: form-data; name="file_name"; filename="a%22b.csv"\r\nContent-Type: text/csv\r\n\r\n` +
				`number\r\n+919876543210\r\n\r\n--${boundary}--\r\n`;
			expect(body.toString('utf8')).toBe(expected);
			expect(body.length).toBe(Buffer.byteLength(expected));
			expect(body.buffer.byteLength >= body.length).toBe(true);
		});

		it('picks another boundary when the file holds the first one, in the same places', async () => {
			let firstBoundary = '';
			const { body, contentType } = await buildMultipart([
				{
					name: 'file_name',
					filename: 'f.csv',
					contentType: 'text/csv',
					size: 64,
					// Writes the boundary the frame already holds into the file: a file that would end its part early.
					write: (target) => {
						// The part's head sits right before `target` and starts with `--<boundary>`.
						const head = `--${'x'.repeat(53)}\r\nContent-Disposition: form-data; name="file_name"; filename="f.csv"\r\nContent-Type: text/csv\r\n\r\n`;
						firstBoundary = Buffer.from(target.buffer, target.byteOffset - head.length + 2, 53).toString('latin1');
						target.fill(0x20);
						target.write(firstBoundary, 0, 'latin1');
						return target.length;
					},
				},
			]);
			const boundary = /boundary=(.+)$/.exec(contentType)![1];
			expect(firstBoundary).toMatch(/^----n8nExotelBoundary[0-9a-f]{32}$/);
			expect(boundary).not.toBe(firstBoundary);
			expect(boundary).toHaveLength(firstBoundary.length);
			const text = body.toString('latin1');
			expect(text.startsWith(`--${boundary}\r\n`)).toBe(true);
			expect(text).toContain(`\r\n\r\n${firstBoundary}${' '.repeat(64 - firstBoundary.length)}\r\n--${boundary}--\r\n`);
			expect(text.split(boundary)).toHaveLength(3);
		});

		it('rejects a file that gives fewer bytes than its size', async () => {
			await expect(
				buildMultipart([{ name: 'f', filename: 'short.csv', contentType: 'text/csv', size: 10, write: () => 9 }]),
			).rejects.toThrow('The file "short.csv" gave 9 bytes where 10 were expected');
		});

		it('keeps one spelling of a field when a later reading spells it differently', () => {
			expect(
				laterReading(
					{ upload_id: 'u', accountSid: 'acme', status: 'in-progress', url: '/csv-status/u' },
					{ upload_id: 'u', account_sid: 'acme', status: 'completed' },
				),
			).toEqual({ url: '/csv-status/u', upload_id: 'u', account_sid: 'acme', status: 'completed' });
		});
	});

	describe.each(BINARY_DATA_MODES)('upload from binary, binary data in %s', (mode: BinaryDataMode) => {
		beforeAll(async () => {
			if (mode === 'filesystem') await useFilesystemBinaryData();
		});
		const fileItem = async (content: string | Buffer, fileName = 'x.csv', property = 'data') =>
			await binaryItem(mode, content, fileName, property);

		it('keeps the file where the mode keeps it', async () => {
			const item = await fileItem('number\n+919811111101\n');
			if (mode === 'memory') expect(item.binary!.data.id).toBeUndefined();
			else expect(item.binary!.data.id).toMatch(/^filesystem(-v2)?:/);
		});

		it('sends each item’s file as real multipart and outputs { list, summary } per item', async () => {
			const file1 = `${CSV_HEADER}\r\n+919811111101,Deepa,Nair,,deepa@example.com,vip\r\n+919811111102,Farhan,,,,\r\n`;
			const file2 = 'number,first_name\n+919811111103,Gita\n';
			const result = await run({ operation: 'upload', listName: '=List {{ $json.file }}' }, [
				await fileItem(file1, 'one.csv'),
				await fileItem(file2, 'two.csv'),
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

		it('takes an Excel export whose header row ends in a comma (an empty column): sent as it is', async () => {
			const file = 'number,first_name,\r\n+919811111101,Deepa,\r\n+919811111102,Farhan,\r\n';
			const result = await run({ operation: 'upload', listName: 'Excel', ...WAIT }, [
				await fileItem(file, 'export.csv'),
			]);
			expect(result.error).toBeUndefined();
			expect(multipartOf(uploads()[0]).files[0].content!.toString('utf8')).toBe(file);
			const list = result.output[0].json.list as IDataObject;
			expect(contactsInList(String(list.sid)).map((c) => [c.number, c.first_name])).toEqual([
				['+919811111101', 'Deepa'],
				['+919811111102', 'Farhan'],
			]);
		});

		it('sends a file byte for byte: larger than a read chunk, multi-byte UTF-8, BOM, no final line end', async () => {
			const rows = Array.from({ length: 3000 }, (_, i) => `+9198${String(i).padStart(8, '0')},Zoë ${i},Ñandú,"Acme, ${i}",,`);
			const file = Buffer.from(`\uFEFF${CSV_HEADER}\r\n${rows.join('\r\n')}`, 'utf8');
			expect(file.length).toBeGreaterThan(128 * 1024);
			const result = await run({ operation: 'upload', listName: 'Big' }, [await fileItem(file, 'big.csv')]);
			expect(result.error).toBeUndefined();
			expect(multipartOf(uploads()[0]).files[0].content!.equals(file)).toBe(true);
			expect(uploads()[0].bodyBytes).toBe(Number(uploads()[0].headers['content-length']));
		});

		it('sends type dynamic and waits for completion when asked', async () => {
			const file = 'number,first_name,plan\n+919811111104,Harish,gold\n+919811111105,Isha,silver\n+919811111105,Isha,silver\n';
			const result = await run(
				{ operation: 'upload', listName: 'Dynamic list', binaryPropertyName: 'sheet', ...WAIT, options: { type: 'dynamic' } },
				[await fileItem(file, 'd.csv', 'sheet')],
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
			['a missing binary field', async () => [await binaryItem(mode, 'number\n+919811111101\n', 'x.csv', 'other')], /^Item 1: Input Binary Field: the item has no binary field "data"/],
			['an empty file', async () => [await binaryItem(mode, '', 'empty.csv')], /^Item 1: the file "empty.csv" is empty/],
			['a header without number', async () => [await binaryItem(mode, 'phone,name\n+919811111101,A\n', 'p.csv')], /^Item 1: the file "p.csv" has no "number" column in its header row/],
			['columns a static list does not take', async () => [await binaryItem(mode, 'number,plan\n+919811111101,gold\n')], /^Item 1: the file "x.csv" has columns a static list does not take: plan/],
		])('rejects %s before sending anything', async (_case, items, message) => {
			const result = await run({ operation: 'upload', listName: 'L' }, await items());
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(message);
			expect(sim.requests).toHaveLength(0);
		});

		it('rejects a file over 60 MB before sending it', async () => {
			const big = Buffer.alloc(60 * 1024 * 1024 + 1, 0x61);
			big.write('number\n', 0);
			const result = await run({ operation: 'upload', listName: 'L' }, [await fileItem(big, 'big.csv')]);
			expect(result.error?.message).toBe('Item 1: the file "big.csv" is 60.0 MB (62914561 bytes); Exotel takes CSV files up to 60 MB (62914560 bytes)');
			expect(sim.requests).toHaveLength(0);
		});

		it('checks every item first: a bad item 3 stops the node before item 1 is sent', async () => {
			const good = await fileItem('number\n+919811111101\n');
			const result = await run({ operation: 'upload', listName: 'L' }, [good, good, await fileItem('name\nx\n', 'bad.csv')]);
			expect(result.error?.message).toMatch(/^Item 3: the file "bad.csv" has no "number" column/);
			expect(sim.requests).toHaveLength(0);
		});

		it('with continue on fail, bad items go to the error output and the others are uploaded', async () => {
			const result = await run(
				{ operation: 'upload', listName: 'L' },
				[await fileItem('number\n+919811111101\n'), { json: { nothing: true } }, await fileItem('', 'e.csv')],
				'continueErrorOutput',
			);
			expect(result.error).toBeUndefined();
			expect(uploads()).toHaveLength(1);
			expect(result.output).toHaveLength(1);
			expect(result.output[0].pairedItem).toEqual({ item: 0 });
			expect(result.errorOutput.map((item) => [item.json.error, item.pairedItem])).toEqual([
				['Item 2: Input Binary Field: the item has no binary field "data"', { item: 1 }],
				['Item 3: the file "e.csv" is empty', { item: 2 }],
			]);
			expect((result.errorOutput[0].json.details as IDataObject).description).toContain('no binary data');
		});

		it('rejects an empty list name', async () => {
			const result = await run({ operation: 'upload', listName: '  ' }, [await fileItem('number\n+919811111101\n')]);
			expect(result.error?.message).toBe('Item 1: List Name is empty');
			expect(sim.requests).toHaveLength(0);
		});
	});

	describe('waiting', () => {
		it('shows Poll Interval and Max Wait only while Wait for Completion is on (version 1.1)', () => {
			const base = { resource: 'csvUpload', operation: 'upload', listName: 'L' };
			const off = keptParameters({ ...base, pollInterval: 3, timeout: 60 }, 1.1);
			expect(off.waitForCompletion).toBe(false);
			expect(off).not.toHaveProperty('pollInterval');
			expect(off).not.toHaveProperty('timeout');
			const on = keptParameters({ ...base, waitForCompletion: true }, 1.1);
			expect(on).toMatchObject({ waitForCompletion: true, pollInterval: 5, timeout: 600 });
			// Version 1.1 offers no waiting in Options; version 1 keeps what it saved there.
			expect(keptParameters({ ...base, options: { waitForCompletion: true, timeout: 9 } }, 1.1).options).toEqual({});
			expect(keptParameters({ ...base, options: { waitForCompletion: true, timeout: 9 } }, 1).options).toEqual({
				waitForCompletion: true,
				timeout: 9,
			});
			expect(keptParameters({ ...base, waitForCompletion: true }, 1)).not.toHaveProperty('waitForCompletion');

			const properties = new Exotel().description.properties.filter((p) => ['pollInterval', 'timeout'].includes(p.name));
			expect(properties.map((p) => [p.displayName, p.typeOptions?.numberPrecision])).toEqual([
				['Poll Interval (Seconds)', 0],
				['Max Wait (Seconds)', 0],
			]);
		});

		it('does not wait when the toggle is off', async () => {
			const result = await run({ operation: 'upload', listName: 'No wait', pollInterval: 0.1 }, [await csvItem('number\n+919811111101\n')]);
			expect(result.error).toBeUndefined();
			expect((result.output[0].json.summary as IDataObject).status).toBe('in-progress');
			expect(statusPolls()).toHaveLength(0);
		});

		it('a workflow saved with version 1 still waits as its Options say', async () => {
			const result = await run(
				{ operation: 'upload', listName: 'Legacy', options: { waitForCompletion: true, pollInterval: 0.1, timeout: 10 } },
				[await csvItem('number\n+919811111101\n+919811111102\n')],
				undefined,
				1,
			);
			expect(result.error).toBeUndefined();
			expect(result.output[0].json.summary).toMatchObject({ status: 'completed', stats: { success: 2 } });
			expect((result.output[0].json.list as IDataObject).contact_count).toBe(2);
		});

		it('after waiting, list.contact_count is what the list holds (read again once), summary in one spelling', async () => {
			// A list that already has a member, then an upload of two more.
			const first = await run({ operation: 'upload', listName: 'Counted', ...WAIT }, [await csvItem('number\n+919811111101\n')]);
			expect(first.error).toBeUndefined();
			const before = sim.requests.length;
			const listSid = String((first.output[0].json.list as IDataObject).sid);

			const result = await run({ operation: 'upload', listName: 'Counted', ...WAIT }, [
				await csvItem('number\n+919811111102\n+919811111103\n'),
			]);
			expect(result.error).toBeUndefined();
			const { list, summary } = result.output[0].json as { list: IDataObject; summary: IDataObject };
			expect(list.sid).toBe(listSid);
			expect(summary).toMatchObject({ status: 'completed', stats: { total: 2, success: 2 } });
			expect(sim.listMembers(listSid)).toHaveLength(3);
			expect(list.contact_count).toBe(sim.listMembers(listSid).length);

			const requests = sim.requests.slice(before);
			const listReads = requests.filter((r) => r.method === 'GET' && r.path === `${root}/lists/${listSid}`);
			expect(listReads).toHaveLength(1);
			expect(requests.indexOf(listReads[0])).toBe(requests.length - 1);
			for (const record of [summary, list]) expect(new Set(spellings(record)).size).toBe(spellings(record).length);
		});

		it('when the list cannot be read again, the upload still succeeds, without a stale count', async () => {
			sim.injectFault({ kind: 'status', status: 404, match: { method: 'GET', path: /\/lists\// }, times: 1 });
			const result = await run({ operation: 'upload', listName: 'Unread', ...WAIT }, [await csvItem('number\n+919811111101\n')]);
			expect(result.error).toBeUndefined();
			const { list, summary } = result.output[0].json as { list: IDataObject; summary: IDataObject };
			expect(summary.status).toBe('completed');
			expect(list.name).toBe('Unread');
			expect(list).not.toHaveProperty('contact_count');
		});
	});

	describe('upload from items', () => {
		it('writes all items as one CSV with the default mapping, waits, and pairs the output with every item', async () => {
			const result = await run(
				{
					operation: 'upload',
					listName: 'From items',
					source: 'items',
					...WAIT,
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

		it('round-trips commas, quotes, newlines and values starting with = + - @, as typed', async () => {
			// The same contact sent as JSON (Contact Create) is stored as typed: so is the CSV's.
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
					...WAIT,
				},
				[{ phone: '+919811111109', name: 'Doe, John', surname: 'O"Brien', org: 'Line 1\nLine 2', label: '=SUM(1)' }],
			);
			expect(result.error).toBeUndefined();
			const csv = multipartOf(uploads()[0]).files[0].content!.toString('utf8');
			expect(csv).toBe(`${CSV_HEADER}\r\n+919811111109,"Doe, John","O""Brien","Line 1\nLine 2",,=SUM(1)\r\n`);
			const list = result.output[0].json.list as IDataObject;
			const [contact] = contactsInList(String(list.sid));
			expect(contact).toMatchObject({
				number: '+919811111109',
				first_name: 'Doe, John',
				last_name: 'O"Brien',
				company_name: 'Line 1\nLine 2',
				tag: '=SUM(1)',
			});
		});

		it.each([
			['without a default country code', undefined, 'withoutCountryCode'],
			[`with default country code ${TABLE_COUNTRY_CODE}`, TABLE_COUNTRY_CODE, 'withCountryCode'],
		] as const)('writes every number of the README table as it says, %s', async (_case, defaultCountryCode, outcome) => {
			const result = await run(
				{ operation: 'upload', listName: 'Numbers', source: 'items', options: defaultCountryCode ? { defaultCountryCode } : {} },
				PHONE_NUMBER_TABLE.map((row) => ({ number: row.input })),
				'continueErrorOutput',
			);
			expect(result.error).toBeUndefined();
			const sent = multipartOf(uploads()[0]).files[0].content!.toString('utf8').split('\r\n').slice(1, -1);
			const expectedSent = PHONE_NUMBER_TABLE.flatMap((row) => {
				const expected = row[outcome];
				return 'sent' in expected ? [`${expected.sent},,,,,`] : [];
			});
			expect(sent).toEqual(expectedSent);
			const expectedErrors = PHONE_NUMBER_TABLE.flatMap((row, index) => {
				const expected = row[outcome];
				return 'error' in expected ? [[`Item ${index + 1}: Phone Number "${row.input}" is not a phone number: ${expected.error}`, { item: index }]] : [];
			});
			expect(result.errorOutput.map((item) => [item.json.error, item.pairedItem])).toEqual(expectedErrors);
			expect(result.output[0].pairedItem).toEqual(
				PHONE_NUMBER_TABLE.flatMap((row, index) => ('sent' in row[outcome] ? [{ item: index }] : [])),
			);
		});

		it('names the Default Country Code when it is not one, and sends nothing', async () => {
			const result = await run(
				{ operation: 'upload', listName: 'L', source: 'items', options: { defaultCountryCode: '0091' } },
				[{ number: '9876543210' }],
			);
			expect(result.error?.message).toMatch(/^Item 1: Default Country Code "0091" is not a country code/);
			expect(sim.requests).toHaveLength(0);
		});

		it('names the item and field of an invalid number and sends nothing', async () => {
			const result = await run({ operation: 'upload', listName: 'L', source: 'items' }, [
				{ number: '+919811111101' },
				{ number: '12ab' },
			]);
			expect(result.error?.message).toBe('Item 2: Phone Number "12ab" is not a phone number: it contains letters');
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
			const uploaded = await run({ operation: 'upload', listName: 'S' }, [await csvItem('number\n+919811111101\n')]);
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
			const uploaded = await run({ operation: 'upload', listName: 'S' }, [await csvItem('number\n+919811111101\n')]);
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
			expect(result.errorOutput[0].json.error).toMatch(/^Item 1: Upload ID "a\/b" is not an upload ID or status URL/);
			expect(result.errorOutput[1].json.error).toMatch(/Upload nope not found/);
			expect(statusPolls()).toHaveLength(1);
		});
	});

	describe('waitForCompletion', () => {
		const uploadOne = async (content = 'number\n+919811111101\n+919811111102\n') => {
			const uploaded = await run({ operation: 'upload', listName: 'W' }, [await csvItem(content)]);
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
			// A check at the start and one at the deadline at least (more when the machine is not busy).
			expect(statusPolls().length).toBeGreaterThanOrEqual(2);
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
				{ operation: 'upload', listName: 'F', ...WAIT },
				[await csvItem('number\n+919811111101\n')],
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

		it('stops when the execution is cancelled, without waiting out a long poll interval', async () => {
			sim.csvProcessingMs = 60_000;
			const id = await uploadOne();
			let cancel = () => {};
			const resultPromise = runExotel({
				credentials: sim.credentials as never,
				parameters: { resource: 'csvUpload', operation: 'waitForCompletion', uploadId: id, options: { pollInterval: 30 } } as never,
				onStarted: (stop) => (cancel = stop),
			});
			// The first status check has been answered: the node now waits 30 s for the next one.
			while (statusPolls().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
			await new Promise((resolve) => setTimeout(resolve, 100));
			cancel();
			const stoppedAt = Date.now();
			const result = await resultPromise;
			expect(result.status).toBe('canceled');
			// Nothing more reaches Exotel after the stop, and the wait did not hold the node: the next check
			// would have come 30 s later.
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			expect(statusPolls()).toHaveLength(1);
			expect(sim.requests.filter((r) => r.receivedAt > stoppedAt)).toHaveLength(0);
		});
	});
});
