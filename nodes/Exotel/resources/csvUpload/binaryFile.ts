import { NodeOperationError } from 'n8n-workflow';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { CSV_COLUMNS, CSV_HEAD_BYTES, MAX_CSV_BYTES, MAX_DYNAMIC_VARIABLES, csvHeaderColumns } from '../../helpers/csv';
import type { CsvFile } from './sendCsv';
import type { UploadSettings } from './uploadSettings';

/**
 * An item's CSV file: checked from its size and first bytes before anything is sent, then written
 * into the request body without another copy. n8n keeps a binary either in the item as base64 (memory
 * mode) or in a store (on disk by default, or S3, or the database) under an `id`.
 */

const MB = 1024 * 1024;
/**
 * Read size for a stored file. Measured with a 60 MB file on disk (npm run bench): 16 KB reads keep
 * peak memory growth at about the file's size (1.00-1.01x, five runs), the stream's default 64 KB at
 * about 1.16x: the read buffers, garbage once copied into place, pile up before V8 collects them.
 */
const STORE_READ_BYTES = 16 * 1024;

export interface InspectedFile {
	binary: IBinaryData;
	fileName: string;
	size: number;
}

function fileError(itemIndex: number, fileName: string, problem: string) {
	return `Item ${itemIndex + 1}: the file "${fileName}" ${problem}`;
}

/** The size of base64 data once decoded (n8n writes base64 without line breaks). */
function decodedSize(base64: string): number {
	const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
	return Math.floor((base64.length * 3) / 4) - padding;
}

/** The first bytes of a binary, without reading (or decoding) the rest. */
async function readHead(context: IExecuteFunctions, binary: IBinaryData): Promise<Buffer> {
	if (binary.id) {
		const stream = await context.helpers.getBinaryStream(binary.id, CSV_HEAD_BYTES);
		try {
			for await (const chunk of stream) return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
			return Buffer.alloc(0);
		} finally {
			stream.destroy();
		}
	}
	return Buffer.from(binary.data.slice(0, Math.ceil(CSV_HEAD_BYTES / 3) * 4), 'base64');
}

function binaryField(context: IExecuteFunctions, itemIndex: number): IBinaryData {
	const propertyName = String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	try {
		return context.helpers.assertBinaryData(itemIndex, propertyName);
	} catch {
		const available = Object.keys(context.getInputData()[itemIndex]?.binary ?? {});
		throw new NodeOperationError(context.getNode(), `Item ${itemIndex + 1}: Input Binary Field: the item has no binary field "${propertyName}"`, {
			itemIndex,
			description: available.length
				? `The item's binary fields are: ${available.join(', ')}. Set Input Binary Field to the one holding the CSV file.`
				: 'The item has no binary data. Read the CSV file first (e.g. Read/Write Files from Disk, Google Drive, HTTP Request), or set Source to Input Items to build the CSV from the items themselves.',
		});
	}
}

/** Checks an item's CSV file before anything is sent: present, not empty, at most 60 MB, a usable header. */
export async function inspectFile(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: UploadSettings,
): Promise<InspectedFile> {
	const node = context.getNode();
	const binary = binaryField(context, itemIndex);
	const fileName = binary.fileName || 'contacts.csv';
	const size = binary.id ? (await context.helpers.getBinaryMetadata(binary.id)).fileSize : decodedSize(binary.data ?? '');
	if (!size) {
		throw new NodeOperationError(node, fileError(itemIndex, fileName, 'is empty'), {
			itemIndex,
			description: 'Exotel needs a header row with a "number" column and at least one contact.',
		});
	}
	if (size > MAX_CSV_BYTES) {
		throw new NodeOperationError(
			node,
			fileError(itemIndex, fileName, `is ${(size / MB).toFixed(1)} MB (${size} bytes); Exotel takes CSV files up to 60 MB (${MAX_CSV_BYTES} bytes)`),
			{ itemIndex, description: 'Split the file into smaller files and upload each of them into the same list.' },
		);
	}
	const columns = csvHeaderColumns(await readHead(context, binary));
	if (!columns.includes('number')) {
		throw new NodeOperationError(node, fileError(itemIndex, fileName, 'has no "number" column in its header row'), {
			itemIndex,
			description: `The first row must name the columns, one of them "number" (E.164 phone numbers). The first row here is: ${columns
				.filter(Boolean)
				.slice(0, 10)
				.join(', ') || '(empty)'}. Rename the phone column to "number", or use Source → Input Items to map the fields.`,
		});
	}
	const extra = columns.filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column));
	if (settings.type === 'static' && extra.length) {
		throw new NodeOperationError(
			node,
			fileError(itemIndex, fileName, `has columns a static list does not take: ${extra.join(', ')}`),
			{
				itemIndex,
				description: `A static list takes only ${CSV_COLUMNS.join(', ')}. Remove or rename the other columns, or set Options → List Type to Dynamic (up to ${MAX_DYNAMIC_VARIABLES} extra columns).`,
			},
		);
	}
	if (settings.type === 'dynamic' && extra.length > MAX_DYNAMIC_VARIABLES) {
		throw new NodeOperationError(
			node,
			fileError(itemIndex, fileName, `has ${extra.length} extra columns; a dynamic list takes at most ${MAX_DYNAMIC_VARIABLES}`),
			{ itemIndex, description: `The extra columns are: ${extra.join(', ')}.` },
		);
	}
	return { binary, fileName, size };
}

/**
 * The file's bytes written into their place in the request body: read chunk by chunk from n8n's
 * store, or decoded from base64 straight into place. A file whose size is not the one inspected
 * (changed in the store meanwhile) is an error, not a cut or padded upload.
 */
export function binaryCsvFile(context: IExecuteFunctions, itemIndex: number, file: InspectedFile): CsvFile {
	const { binary, fileName, size } = file;
	const sizeChanged = (actual: string) =>
		new NodeOperationError(context.getNode(), fileError(itemIndex, fileName, `was ${size} bytes when checked and is ${actual} now`), {
			itemIndex,
			description: 'The file changed while the node ran. Run the node again.',
		});

	const fromStore = async (target: Buffer): Promise<number> => {
		const stream = await context.helpers.getBinaryStream(binary.id as string, STORE_READ_BYTES);
		let offset = 0;
		try {
			for await (const chunk of stream) {
				const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
				if (offset + bytes.length > target.length) throw sizeChanged('larger');
				offset += bytes.copy(target, offset);
			}
		} finally {
			stream.destroy();
		}
		if (offset !== target.length) throw sizeChanged(`${offset} bytes`);
		return offset;
	};

	const fromBase64 = (target: Buffer): number => {
		const written = target.write(binary.data, 0, target.length, 'base64');
		if (written !== target.length) throw sizeChanged(`${written} bytes`);
		return written;
	};

	return { filename: fileName, size, write: binary.id ? fromStore : fromBase64 };
}
