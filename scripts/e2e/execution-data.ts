/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Tooling runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * Reading an execution's stored data (execution_data.data, or GET /rest/executions/<id>), which n8n
 * writes with `flatted`. The parser is n8n's own copy from the cached install, so this package needs
 * no dependency for it.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';

import { cacheRoot, N8N_VERSION } from './n8n-install';

type Json = Record<string, unknown>;

interface RunData {
	resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Json }> | null> } }>> };
}

function flattedParse(text: string): unknown {
	const flatted = createRequire(__filename)(path.join(cacheRoot(), `n8n-${N8N_VERSION}`, 'node_modules', 'flatted')) as { parse(t: string): unknown };
	return flatted.parse(text);
}

/** The items a node put out on its first output, over all its runs, from an execution's stored data. */
export function nodeOutputItems(storedData: string, nodeName: string): Json[] {
	const data = flattedParse(storedData) as RunData;
	const runs = data.resultData?.runData?.[nodeName] ?? [];
	return runs.flatMap((r) => r.data?.main?.[0] ?? []).map((i) => i.json);
}
