import { DirectoryLoader, ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeConnectionTypes,
	Workflow,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	ExecutionError,
} from 'n8n-workflow';

import { ExotelApi } from '../../credentials/ExotelApi.credentials';
import { Exotel } from '../../nodes/Exotel/Exotel.node';

let loadedExotel: Exotel | undefined;

/**
 * The node as n8n's loader hands it to the editor and the engine: with Settings → Request Options.
 * Loaded once, as n8n does (the loader changes the description in place).
 */
export function loadExotelNode(): Exotel {
	if (!loadedExotel) {
		loadedExotel = new Exotel();
		DirectoryLoader.applyDeclarativeNodeOptionParameters(loadedExotel);
	}
	return loadedExotel;
}

const exotel = loadExotelNode();

/** A start node that emits the items a test gives it (n8n-nodes-base is not a dependency). */
function testItemsNode(items: INodeExecutionData[]): INodeType {
	return {
		description: {
			displayName: 'Test Items',
			name: 'testItems',
			group: ['input'],
			version: 1,
			description: 'Emits the items the test gives it',
			defaults: { name: 'Test Items' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [] as INodeProperties[],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [items];
		},
	};
}

function nodeTypesWith(items: INodeExecutionData[], nodeUnderTest: INodeType): INodeTypes {
	const byName: Record<string, INodeType> = {
		'n8n-nodes-exotel.exotel': nodeUnderTest,
		'test.items': testItemsNode(items),
	};
	return {
		getByName: (name) => byName[name] as INodeType | IVersionedNodeType,
		getByNameAndVersion: (name) => byName[name],
		getKnownTypes: () => ({}),
	};
}

const credentialTypes: Record<string, ICredentialType> = { exotelApi: new ExotelApi() };

/**
 * The part of n8n's credentials service a node run needs: hands out the test's credential data and
 * applies the credential type's generic `authenticate` block the way n8n does, expressions included.
 */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = credentialTypes[typeName]?.authenticate;
		if (!authenticate || typeof authenticate === 'function' || !workflow || !node) return requestOptions;
		const resolve = (value: unknown) =>
			workflow.expression.getSimpleParameterValue(node, value as string, 'internal', { $credentials: credentials }, undefined, '');
		const { auth, headers, qs } = authenticate.properties as IDataObject & {
			auth?: { username: string; password: string };
		};
		if (auth) requestOptions.auth = { username: String(resolve(auth.username)), password: String(resolve(auth.password)) };
		for (const [key, value] of Object.entries((headers ?? {}) as IDataObject)) {
			requestOptions.headers = { ...(requestOptions.headers ?? {}), [key]: resolve(value) as string };
		}
		for (const [key, value] of Object.entries((qs ?? {}) as IDataObject)) {
			requestOptions.qs = { ...(requestOptions.qs ?? {}), [key]: resolve(value) as string };
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return this.data;
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return credentialTypes.exotelApi.properties;
	}
}

/**
 * The simulator has no rate limit unless a test sets one, so tests pace the node to a budget it never
 * reaches; tests about pacing and 429s give their own `requestsPerMinute`.
 */
function withTestBudget(credentials: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	return { requestsPerMinute: 1_000_000, ...credentials };
}

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunOptions {
	credentials: ICredentialDataDecryptedObject;
	/** The Exotel node's parameters, e.g. `{ resource: 'contact', operation: 'create', number: '={{ $json.phone }}' }`. */
	parameters: INodeParameters;
	/** Input items for the Exotel node (plain objects become `{ json }`). */
	items?: Array<IDataObject | INodeExecutionData>;
	onError?: OnError;
	/** Called once the execution has started, with what the editor's Stop button does. */
	onStarted?: (cancel: () => void) => void;
	/** Another node type to run in the Exotel node's place (the benchmark's per-item baseline). */
	nodeType?: INodeType;
	/** The Exotel node's version; default the one the editor gives a new node. */
	typeVersion?: number;
}

export interface RunResult {
	/** Items on the Exotel node's main output (with `continueRegularOutput`, error items too). */
	output: INodeExecutionData[];
	/** Items on its error output (only with `continueErrorOutput`). */
	errorOutput: INodeExecutionData[];
	/** The error that stopped the workflow, if one did. */
	error?: ExecutionError;
	status: IRun['status'];
	run: IRun;
}

const EXOTEL_NODE = 'Exotel';
let executionCount = 0;

/** Runs Test Items → Exotel through n8n-core's WorkflowExecute, as n8n runs a manual execution. */
export async function runExotel(options: RunOptions): Promise<RunResult> {
	const items = (options.items ?? [{}]).map((item) =>
		'json' in item && typeof item.json === 'object' ? (item as INodeExecutionData) : { json: item as IDataObject },
	);
	const nodes: INode[] = [
		{
			id: 'input',
			name: 'Input',
			type: 'test.items',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'exotel',
			name: EXOTEL_NODE,
			type: 'n8n-nodes-exotel.exotel',
			typeVersion: options.typeVersion ?? exotel.description.defaultVersion ?? 1,
			position: [200, 0],
			parameters: options.parameters,
			credentials: { exotelApi: { id: 'cred-1', name: 'Exotel account' } },
			onError: options.onError,
		},
	];
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'Exotel test',
		nodes,
		connections: { Input: { main: [[{ node: EXOTEL_NODE, type: NodeConnectionTypes.Main, index: 0 }]] } },
		active: false,
		nodeTypes: nodeTypesWith(items, options.nodeType ?? exotel),
		settings: { executionOrder: 'v1' },
	});

	// Each run its own execution, as in n8n (per-run state such as cached credentials is keyed by it).
	const executionId = `test-execution-${++executionCount}`;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: 'test-workflow',
		name: 'Exotel test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes,
		connections: workflow.connectionsBySourceNode,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	let resolveRun: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));

	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(withTestBudget(options.credentials)),
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used by these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('task runners are not used by these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData: IRunExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;

	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	// A cancelled execution's promise never settles (n8n answers through the workflowExecuteAfter hook).
	execution.catch(() => undefined);
	options.onStarted?.(() => execution.cancel());
	const run = await finished;
	const taskData = run.data.resultData.runData[EXOTEL_NODE]?.[0];
	const outputs = taskData?.data?.main ?? [];
	return {
		output: (outputs[0] ?? []) as INodeExecutionData[],
		errorOutput: (outputs[1] ?? []) as INodeExecutionData[],
		error: taskData?.error ?? run.data.resultData.error,
		status: run.status,
		run,
	};
}

/**
 * An ILoadOptionsFunctions for the Exotel node, built by n8n-core's own LoadOptionsContext (what the
 * editor uses for listSearch and loadOptions methods), with the test's credential data.
 */
export function exotelLoadOptionsContext(options: {
	credentials: ICredentialDataDecryptedObject;
	parameters?: INodeParameters;
	path?: string;
}): LoadOptionsContext {
	const node: INode = {
		id: 'exotel',
		name: EXOTEL_NODE,
		type: 'n8n-nodes-exotel.exotel',
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters ?? {},
		credentials: { exotelApi: { id: 'cred-1', name: 'Exotel account' } },
	};
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'Exotel test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesWith([], exotel),
		settings: { executionOrder: 'v1' },
	});
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(options.credentials),
		currentNodeParameters: node.parameters,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, node, additionalData, options.path ?? 'parameters.listId');
}
