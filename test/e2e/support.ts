/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules and plain errors */
/**
 * Helpers for checking `n8n execute --rawOutput` results against expectations. Plain node:assert,
 * messages that say what was expected and what came.
 */
import assert from 'node:assert/strict';

export interface ItemLike {
	json: Record<string, unknown>;
	error?: unknown;
	pairedItem?: unknown;
}

export interface TaskDataLike {
	executionStatus?: string;
	error?: { message?: string; description?: string };
	data?: { main?: Array<ItemLike[] | null> };
}

export interface RunLike {
	status?: string;
	finished?: boolean;
	data: {
		resultData: {
			runData: Record<string, TaskDataLike[]>;
			error?: { message?: string; description?: string; node?: { name?: string } };
			lastNodeExecuted?: string;
		};
	};
}

/**
 * `n8n execute --rawOutput` prints log lines and the run as pretty-printed JSON on stdout. Finds the
 * JSON object (a line that is just `{` up to a line that is just `}`) and parses it. Throws when there
 * is none: `n8n execute` without a usable `--id` exits 0 having run nothing, which must never pass.
 */
export function parseExecuteOutput(stdout: string): RunLike {
	const lines = stdout.split(/\r?\n/);
	const start = lines.findIndex((l) => l === '{');
	assert.ok(start !== -1, `n8n execute printed no run JSON. stdout was:\n${stdout.slice(-3000)}`);
	for (let end = lines.length - 1; end > start; end--) {
		if (lines[end] !== '}') continue;
		try {
			const parsed = JSON.parse(lines.slice(start, end + 1).join('\n')) as RunLike;
			assert.ok(parsed?.data?.resultData?.runData, 'the JSON printed by n8n execute has no data.resultData.runData');
			return parsed;
		} catch (e) {
			if (e instanceof assert.AssertionError) throw e;
		}
	}
	assert.fail(`could not parse the run JSON printed by n8n execute. stdout was:\n${stdout.slice(-3000)}`);
}

/** The items a node put on one of its outputs (0 = main/success, 1 = error output), in its first run. */
export function nodeOutput(run: RunLike, nodeName: string, outputIndex = 0): ItemLike[] {
	const tasks = run.data.resultData.runData[nodeName];
	const ran = Object.keys(run.data.resultData.runData).join(', ');
	assert.ok(tasks && tasks.length > 0, `node "${nodeName}" did not run (nodes that ran: ${ran || 'none'})`);
	const task = tasks[0];
	assert.ok(!task.error, `node "${nodeName}" failed: ${task.error?.message ?? ''} ${task.error?.description ?? ''}`);
	return task.data?.main?.[outputIndex] ?? [];
}

export function assertRunSucceeded(run: RunLike, nodeNames: string[]): void {
	const err = run.data.resultData.error;
	assert.ok(!err, `the workflow failed${err?.node?.name ? ` in node "${err.node.name}"` : ''}: ${err?.message ?? ''} ${err?.description ?? ''}`);
	for (const name of nodeNames) nodeOutput(run, name);
}

export function jsons(items: ItemLike[]): Array<Record<string, unknown>> {
	return items.map((i) => i.json);
}

export function pairedIndexes(items: ItemLike[]): number[] {
	return items.map((i) => {
		const p = i.pairedItem as { item?: number } | number | undefined;
		return typeof p === 'number' ? p : (p?.item ?? -1);
	});
}

/** A table for the console: columns padded to their widest cell. */
export function table(rows: string[][]): string {
	const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
	const line = (r: string[]) => r.map((cell, c) => (cell ?? '').padEnd(widths[c])).join('  ').trimEnd();
	return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
