import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

const optionsOf = (property: INodeProperties | undefined) =>
	((property?.options ?? []) as INodePropertyOptions[]).filter((option) => option.value !== undefined);

/**
 * The node's subtitle on the canvas, e.g. "Upload: CSV Upload": the operation and resource as the
 * editor names them, not their values. An n8n expression (the editor evaluates it on every redraw)
 * holding the names taken from `properties`, so a renamed or added operation shows up by itself.
 */
export function operationSubtitle(properties: INodeProperties[]): string {
	const resourceNames: Record<string, string> = {};
	for (const option of optionsOf(properties.find((property) => property.name === 'resource'))) {
		resourceNames[String(option.value)] = option.name;
	}
	const operationNames: Record<string, string> = {};
	for (const property of properties.filter((p) => p.name === 'operation')) {
		for (const resource of property.displayOptions?.show?.resource ?? []) {
			for (const option of optionsOf(property)) operationNames[`${String(resource)}:${String(option.value)}`] = option.name;
		}
	}
	const operation = `(${JSON.stringify(operationNames)})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"]`;
	const resource = `(${JSON.stringify(resourceNames)})[$parameter["resource"]] || $parameter["resource"]`;
	return `={{ (${operation}) + ": " + (${resource}) }}`;
}
