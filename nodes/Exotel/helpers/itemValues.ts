import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** `{{ $json.phone }}`, `{{ $json.contact.phone }}`, `{{ $json["Phone number"] }}`: one field of the item. */
const FIELD_REFERENCE = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[\s*(?:"[^"\\]*"|'[^'\\]*')\s*\])+)\s*\}\}$/;
const PATH_SEGMENT = /\.([A-Za-z_$][\w$]*)|\[\s*(?:"([^"]*)"|'([^']*)')\s*\]/g;

function fieldPath(expression: string): string[] | undefined {
	const match = FIELD_REFERENCE.exec(expression);
	if (!match) return undefined;
	return [...match[1].matchAll(PATH_SEGMENT)].map((segment) => segment[1] ?? segment[2] ?? segment[3]);
}

function rawParameter(context: IExecuteFunctions, parameterPath: string): unknown {
	let value: unknown = context.getNode().parameters;
	for (const key of parameterPath.split('.')) value = (value as IDataObject | undefined)?.[key];
	return value;
}

/**
 * Reads a parameter for every item of a bulk run. A mapped field (`{{ $json.phone }}`, what dragging
 * a field in produces) is read straight from each item, and a fixed value once: both give what n8n's
 * expression would, without evaluating an expression per item, which costs about 0.1 ms each
 * (6 columns x 100,000 items = a minute). Anything else is evaluated per item as usual.
 */
export function itemValueReader(
	context: IExecuteFunctions,
	parameterPath: string,
	fallback: unknown = '',
): (itemIndex: number) => unknown {
	const raw = rawParameter(context, parameterPath);
	if (typeof raw === 'string' && raw.startsWith('=')) {
		const path = fieldPath(raw);
		if (!path) return (itemIndex) => context.getNodeParameter(parameterPath, itemIndex, fallback);
		const items = context.getInputData();
		return (itemIndex) => {
			let value: unknown = items[itemIndex]?.json;
			for (const key of path) value = value === null || value === undefined ? undefined : (value as IDataObject)[key];
			return value;
		};
	}
	if (raw === undefined) return () => fallback;
	const fixed = context.getNodeParameter(parameterPath, 0, fallback);
	return () => fixed;
}
