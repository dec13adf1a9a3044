import { parseCsv } from './server';
import { MultipartParser, boundaryFromContentType, type PartInfo } from './multipart';

describe('parsers', () => {
	it('multipart parser survives every chunk split, binary content, quoted boundary and parts without filename', () => {
		const boundary = 'b:o=u n"d'; // needs quoting in the header
		const binary = Buffer.from([0, 13, 10, 45, 45, 255, 13, 10, 13, 10, 0x62]);
		const body = Buffer.concat([
			Buffer.from(`preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\nhello\r\nworld\r\n`),
			Buffer.from(`--${boundary}  \r\nContent-Disposition: form-data; name="bin"; filename="a;b.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
			binary,
			Buffer.from(`\r\n--${boundary}--\r\nepilogue`),
		]);
		expect(boundaryFromContentType(`multipart/form-data; boundary="b:o=u n\\"d"`)).toBe(boundary);
		for (let split = 1; split < body.length; split += 1) {
			const parts: Array<{ info: PartInfo; data: Buffer[] }> = [];
			const p = new MultipartParser(boundary, {
				onPartBegin: (info) => parts.push({ info, data: [] }),
				onPartData: (c) => parts[parts.length - 1].data.push(Buffer.from(c)),
				onPartEnd: () => undefined,
			});
			p.write(body.subarray(0, split));
			p.write(body.subarray(split));
			p.end();
			expect(parts.map((x) => [x.info.name, x.info.filename, x.info.contentType])).toEqual([
				['text', undefined, undefined],
				['bin', 'a;b.bin', 'application/octet-stream'],
			]);
			expect(Buffer.concat(parts[0].data).toString()).toBe('hello\r\nworld');
			expect(Buffer.concat(parts[1].data).equals(binary)).toBe(true);
		}
		const truncated = new MultipartParser('x', { onPartBegin: () => undefined, onPartData: () => undefined, onPartEnd: () => undefined });
		truncated.write(Buffer.from('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nabc'));
		expect(() => truncated.end()).toThrow();
	});

	it('CSV parser follows RFC 4180', () => {
		const rows: string[][] = [];
		parseCsv('\uFEFFa,b,c\r\n"x, y","he said ""hi""",\n\n"multi\r\nline",2,3\rlast,,', (r) => {
			rows.push(r);
		});
		expect(rows).toEqual([
			['a', 'b', 'c'],
			['x, y', 'he said "hi"', ''],
			['multi\r\nline', '2', '3'],
			['last', '', ''],
		]);
		expect(() => parseCsv('"open', () => undefined)).toThrow();
	});
});
