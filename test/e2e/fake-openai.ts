/* eslint-disable @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * A small OpenAI-compatible model server for the AI Agent check: plain node:http, both the Responses
 * API (`POST /responses`, what n8n's OpenAI Chat Model 1.3 calls by default) and Chat Completions
 * (`POST /chat/completions`), JSON or server-sent events when the client asks to stream.
 *
 * It follows a script instead of thinking: each turn, `script` gets the conversation so far (the
 * user's prompt, the tools offered, the tool results received) and says which tool to call next or
 * what to answer. Everything it was sent is kept in `turns` for the checks.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface OfferedTool {
	name: string;
	description: string;
	/** JSON schema of the arguments. */
	parameters: { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>;
}

export interface ToolCall {
	id: string;
	name: string;
	/** The arguments as the model sent them (a JSON string). */
	arguments: string;
}

export interface ToolResult {
	callId: string;
	name?: string;
	/** Exactly what the client sent back as the tool's output. */
	output: string;
}

export interface Conversation {
	api: 'responses' | 'chat';
	/** The user's text messages, in order. */
	userMessages: string[];
	systemMessages: string[];
	tools: OfferedTool[];
	toolCalls: ToolCall[];
	toolResults: ToolResult[];
}

export type ScriptStep = { call: { name: string; arguments: Record<string, unknown> } } | { answer: string };

export interface Turn {
	path: string;
	request: Record<string, unknown>;
	conversation: Conversation;
	step: ScriptStep;
}

export interface FakeOpenAi {
	/** What the credential's Base URL should be (ends in /v1). */
	baseUrl: string;
	apiKey: string;
	turns: Turn[];
	/** Requests the server could not understand (they were answered 400). */
	problems: string[];
	setScript(script: (c: Conversation) => ScriptStep): void;
	reset(): void;
	stop(): Promise<void>;
}

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the fake model's own key, not a secret
const API_KEY = 'sk-fake-e2e-model';

function text(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content
			.map((part) => (typeof part === 'string' ? part : typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
			.join('');
	}
	return '';
}

function outputText(output: unknown): string {
	return typeof output === 'string' ? output : Array.isArray(output) ? text(output) : JSON.stringify(output);
}

/** Reads a Responses API request (`input` items) or a Chat Completions request (`messages`). */
export function readConversation(api: 'responses' | 'chat', body: Record<string, unknown>): Conversation {
	const c: Conversation = { api, userMessages: [], systemMessages: [], tools: [], toolCalls: [], toolResults: [] };
	for (const t of (body.tools as Array<Record<string, unknown>> | undefined) ?? []) {
		// Responses: { type: 'function', name, description, parameters }; Chat: { type: 'function', function: { … } }
		const f = (t.function as Record<string, unknown> | undefined) ?? t;
		c.tools.push({ name: String(f.name), description: String(f.description ?? ''), parameters: (f.parameters as OfferedTool['parameters']) ?? {} });
	}
	if (api === 'responses') {
		if (typeof body.instructions === 'string') c.systemMessages.push(body.instructions);
		const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : ((body.input as Array<Record<string, unknown>>) ?? []);
		for (const item of input) {
			if (item.type === 'function_call') c.toolCalls.push({ id: String(item.call_id), name: String(item.name), arguments: String(item.arguments) });
			else if (item.type === 'function_call_output') c.toolResults.push({ callId: String(item.call_id), output: outputText(item.output) });
			else if (item.role === 'user') c.userMessages.push(text(item.content));
			else if (item.role === 'system' || item.role === 'developer') c.systemMessages.push(text(item.content));
		}
	} else {
		for (const m of (body.messages as Array<Record<string, unknown>>) ?? []) {
			if (m.role === 'user') c.userMessages.push(text(m.content));
			else if (m.role === 'system' || m.role === 'developer') c.systemMessages.push(text(m.content));
			else if (m.role === 'assistant') {
				for (const tc of (m.tool_calls as Array<{ id: string; function: { name: string; arguments: string } }>) ?? []) {
					c.toolCalls.push({ id: tc.id, name: tc.function.name, arguments: tc.function.arguments });
				}
			} else if (m.role === 'tool') c.toolResults.push({ callId: String(m.tool_call_id), output: outputText(m.content) });
		}
	}
	for (const r of c.toolResults) r.name = c.toolCalls.find((t) => t.id === r.callId)?.name;
	return c;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
	const turns: Turn[] = [];
	const problems: string[] = [];
	let script: (c: Conversation) => ScriptStep = () => ({ answer: 'No script set.' });
	let seq = 0;
	const sockets = new Set<Socket>();

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://x');
			const p = url.pathname.replace(/^\/v1/, '');
			const send = (status: number, body: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			if (req.headers.authorization !== `Bearer ${API_KEY}`) {
				send(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
				return;
			}
			if (req.method === 'GET' && p === '/models') {
				send(200, { object: 'list', data: [{ id: 'gpt-4.1-mini', object: 'model', created: 1700000000, owned_by: 'e2e' }] });
				return;
			}
			const api = req.method === 'POST' && p === '/responses' ? 'responses' : req.method === 'POST' && p === '/chat/completions' ? 'chat' : undefined;
			if (!api) {
				problems.push(`${req.method} ${url.pathname}`);
				send(404, { error: { message: `fake model: no ${req.method} ${url.pathname}`, type: 'invalid_request_error' } });
				return;
			}
			let body: Record<string, unknown>;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
			} catch {
				problems.push(`${url.pathname}: body is not JSON`);
				send(400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
				return;
			}
			const conversation = readConversation(api, body);
			let step: ScriptStep;
			try {
				step = script(conversation);
			} catch (e) {
				problems.push(`script: ${(e as Error).message}`);
				step = { answer: `SCRIPT ERROR: ${(e as Error).message}` };
			}
			turns.push({ path: url.pathname, request: body, conversation, step });
			seq++;
			const model = String(body.model ?? 'gpt-4.1-mini');
			const stream = body.stream === true;
			if (api === 'responses') respondResponses(res, seq, model, step, stream);
			else respondChat(res, seq, model, step, stream);
		});
	});
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		apiKey: API_KEY,
		turns,
		problems,
		setScript(s) {
			script = s;
		},
		reset() {
			turns.length = 0;
			problems.length = 0;
			script = () => ({ answer: 'No script set.' });
		},
		async stop() {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			for (const s of sockets) s.destroy();
			await closed;
		},
	};
}

const usage = { input_tokens: 100, output_tokens: 20, total_tokens: 120, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } };

function respondResponses(res: http.ServerResponse, seq: number, model: string, step: ScriptStep, stream: boolean): void {
	const created = Math.floor(Date.now() / 1000);
	const item =
		'call' in step
			? { type: 'function_call', id: `fc_${seq}`, call_id: `call_${seq}`, name: step.call.name, arguments: JSON.stringify(step.call.arguments), status: 'completed' }
			: { type: 'message', id: `msg_${seq}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: step.answer, annotations: [] }] };
	const response = {
		id: `resp_${seq}`,
		object: 'response',
		created_at: created,
		status: 'completed',
		model,
		output: [item],
		output_text: 'answer' in step ? step.answer : '',
		parallel_tool_calls: false,
		tool_choice: 'auto',
		tools: [],
		usage,
		error: null,
		incomplete_details: null,
	};
	if (!stream) {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify(response));
		return;
	}
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	let n = 0;
	const ev = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: n++, ...data })}\n\n`);
	ev('response.created', { response: { ...response, status: 'in_progress', output: [] } });
	ev('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', ...('call' in step ? { arguments: '' } : { content: [] }) } });
	if ('call' in step) {
		ev('response.function_call_arguments.delta', { output_index: 0, item_id: item.id, delta: JSON.stringify(step.call.arguments) });
		ev('response.function_call_arguments.done', { output_index: 0, item_id: item.id, arguments: JSON.stringify(step.call.arguments) });
	} else {
		ev('response.content_part.added', { output_index: 0, item_id: item.id, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
		ev('response.output_text.delta', { output_index: 0, item_id: item.id, content_index: 0, delta: step.answer });
		ev('response.output_text.done', { output_index: 0, item_id: item.id, content_index: 0, text: step.answer });
		ev('response.content_part.done', { output_index: 0, item_id: item.id, content_index: 0, part: { type: 'output_text', text: step.answer, annotations: [] } });
	}
	ev('response.output_item.done', { output_index: 0, item });
	ev('response.completed', { response });
	res.end();
}

function respondChat(res: http.ServerResponse, seq: number, model: string, step: ScriptStep, stream: boolean): void {
	const created = Math.floor(Date.now() / 1000);
	const toolCall = 'call' in step ? { id: `call_${seq}`, type: 'function', function: { name: step.call.name, arguments: JSON.stringify(step.call.arguments) } } : undefined;
	const message = toolCall ? { role: 'assistant', content: null, tool_calls: [toolCall] } : { role: 'assistant', content: (step as { answer: string }).answer };
	const finish = toolCall ? 'tool_calls' : 'stop';
	const chatUsage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 };
	if (!stream) {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ id: `chatcmpl-${seq}`, object: 'chat.completion', created, model, choices: [{ index: 0, message, finish_reason: finish, logprobs: null }], usage: chatUsage }));
		return;
	}
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	const chunk = (delta: Record<string, unknown>, finishReason: string | null, extra: Record<string, unknown> = {}) =>
		res.write(`data: ${JSON.stringify({ id: `chatcmpl-${seq}`, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }], ...extra })}\n\n`);
	chunk({ role: 'assistant', content: toolCall ? null : '' }, null);
	if (toolCall) chunk({ tool_calls: [{ index: 0, ...toolCall }] }, null);
	else chunk({ content: (step as { answer: string }).answer }, null);
	chunk({}, finish, { usage: chatUsage });
	res.write('data: [DONE]\n\n');
	res.end();
}
