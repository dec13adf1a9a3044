import { NodeHelpers, Workflow, WorkflowExpression } from 'n8n-workflow';
import type { INode, INodeProperties, INodePropertyOptions, INodeType, INodeTypes } from 'n8n-workflow';

import { BULK_NOTICE_TEXT } from '../../nodes/Exotel/helpers/bulkNotice';
import { loadExotelNode } from '../helpers/harness';

/** What the editor shows of the node: operation descriptions, notices, the canvas subtitle. */
describe('Exotel node description', () => {
	const exotel = loadExotelNode();
	const { properties } = exotel.description;
	const resources = (properties.find((p) => p.name === 'resource')?.options ?? []) as INodePropertyOptions[];
	const operationsOf = (resource: string) =>
		properties
			.filter((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource))
			.flatMap((p) => (p.options ?? []) as INodePropertyOptions[]);
	const shownFor = (property: INodeProperties, resource: string, operation: string) =>
		property.displayOptions?.show?.resource?.includes(resource) === true &&
		property.displayOptions?.show?.operation?.includes(operation) === true;

	it('gives every operation of every resource a description and an action', () => {
		const missing: string[] = [];
		for (const resource of resources) {
			const operations = operationsOf(String(resource.value));
			expect(operations.length).toBeGreaterThan(0);
			for (const operation of operations) {
				if (!operation.description?.trim() || !operation.action?.trim()) missing.push(`${resource.name} → ${operation.name}`);
			}
		}
		expect(missing).toEqual([]);
	});

	it("words actions as n8n's own nodes do: sentence case, one record (\"Create a contact\", \"Get many contacts\")", () => {
		// Words that keep their capitals inside a sentence.
		const properNouns = new Set(['CSV', 'SMS', 'ID', 'URL', 'Exotel', 'ExoPhone', 'ExoPhones']);
		const offending: string[] = [];
		for (const resource of resources) {
			for (const operation of operationsOf(String(resource.value))) {
				const action = operation.action ?? '';
				const [first, ...rest] = action.split(' ');
				const sentenceCase = /^[A-Z][a-z]/.test(first) && rest.every((word) => properNouns.has(word) || word === word.toLowerCase());
				// One record per input item, as n8n words it even where the node sends items in bulk.
				const oneRecord = !['create', 'update', 'delete', 'get'].includes(String(operation.value)) || /^\w+ (a|an|the) /.test(action);
				if (!sentenceCase || !oneRecord) offending.push(`${resource.name} → ${operation.name}: "${action}"`);
			}
		}
		expect(offending).toEqual([]);
	});

	it('shows one bulk notice, in one wording with "5,000", on exactly the five bulk operations', () => {
		expect(BULK_NOTICE_TEXT).toContain('5,000');
		const bulk = [
			['contact', 'create'],
			['contact', 'update'],
			['list', 'create'],
			['list', 'update'],
			['listContact', 'add'],
		];
		const notices = properties.filter((p) => p.type === 'notice' && p.name === 'bulkNotice');
		for (const notice of notices) expect(notice.displayName).toBe(BULK_NOTICE_TEXT);
		// No other notice speaks of the bulk size in a wording of its own.
		const others = properties.filter((p) => p.type === 'notice' && p.name !== 'bulkNotice' && /5,?000/.test(p.displayName));
		expect(others.map((p) => p.displayName)).toEqual([]);
		const noticed = resources.flatMap((resource) =>
			operationsOf(String(resource.value))
				.filter((operation) => notices.some((n) => shownFor(n, String(resource.value), String(operation.value))))
				.map((operation) => [String(resource.value), String(operation.value)]),
		);
		expect(noticed.sort()).toEqual(bulk.sort());
		// They are operations that see all input items at once (custom operations), as a bulk send needs.
		const custom = exotel.customOperations as Record<string, Record<string, unknown>>;
		for (const [resource, operation] of bulk) expect(typeof custom[resource]?.[operation]).toBe('function');
	});

	describe('subtitle', () => {
		const nodeTypes: INodeTypes = {
			getByName: () => exotel as INodeType,
			getByNameAndVersion: () => exotel as INodeType,
			getKnownTypes: () => ({}),
		};
		/** The subtitle as the editor's canvas computes it: the node's parameters with defaults, then the expression. */
		const subtitleFor = (parameters: Record<string, string>) => {
			const node: INode = {
				id: 'exotel',
				name: 'Exotel',
				type: 'n8n-nodes-exotel.exotel',
				typeVersion: 1.1,
				position: [0, 0],
				parameters: NodeHelpers.getNodeParameters(properties, parameters, true, false, null, exotel.description) ?? {},
			};
			const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
			return new WorkflowExpression(workflow).getSimpleParameterValue(node, exotel.description.subtitle, 'internal', {});
		};

		it('names the operation and the resource as the editor does', () => {
			expect(subtitleFor({ resource: 'csvUpload', operation: 'upload' })).toBe('Upload: CSV Upload');
			expect(subtitleFor({ resource: 'listContact', operation: 'getMany' })).toBe('Get Many: List Contact');
			expect(subtitleFor({ resource: 'csvUpload', operation: 'waitForCompletion' })).toBe('Wait for Completion: CSV Upload');
			// Defaults: Contact → Create.
			expect(subtitleFor({})).toBe('Create: Contact');
		});

		it('has a name for every operation of every resource', () => {
			for (const resource of resources) {
				for (const operation of operationsOf(String(resource.value))) {
					expect(subtitleFor({ resource: String(resource.value), operation: String(operation.value) })).toBe(
						`${operation.name}: ${resource.name}`,
					);
				}
			}
		});
	});
});
