/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Tooling runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules and child processes */
/**
 * `npm run scan` (after `npm run build`): the package as npm would publish it, checked the way n8n
 * checks a community package before verifying it.
 *
 * 1. The tarball's file list (`npm pack --dry-run --json`): only dist/ (JavaScript, icons, codex
 *    JSON), README.md, LICENSE and package.json; every node and credential package.json names is in
 *    it. Prints its size and file count.
 * 2. n8n's community-package scanner (@n8n/scan-community-package) on the packed and unpacked
 *    tarball (compiled JavaScript and package.json) and on the sources (package.json, nodes/,
 *    credentials/), with the rules and file patterns it uses on a published package. Its command line
 *    only takes a package name on npm and needs a provenance statement, so this calls its analyser.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface PackedFile {
	path: string;
	size: number;
}
interface PackResult {
	filename: string;
	size: number;
	unpackedSize: number;
	entryCount: number;
	files: PackedFile[];
}
interface Analysis {
	passed: boolean;
	message?: string;
	details?: string;
}
interface Scanner {
	analyzePackage(directory: string, filePatterns?: string[]): Promise<Analysis>;
	SOURCE_FILE_PATTERNS: string[];
}

const repoRoot = path.resolve(__dirname, '..');
/** The patterns the scanner lints a downloaded tarball with. */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

function print(text: string): void {
	process.stdout.write(`${text}\n`);
}

function run(command: string, args: string[], cwd: string): string {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
	return result.stdout;
}

function pack(args: string[]): PackResult {
	return (JSON.parse(run('npm', ['pack', '--json', ...args], repoRoot)) as PackResult[])[0];
}

/** Why a packed path does not belong in the tarball, or undefined when it does. */
function unwanted(file: string): string | undefined {
	if (['package.json', 'README.md', 'LICENSE'].includes(file)) return undefined;
	if (!file.startsWith('dist/')) return 'only dist/, README.md, LICENSE and package.json are published';
	if (/\.map$/.test(file)) return 'source map';
	if (/\.d\.ts$/.test(file)) return 'type declarations';
	if (/\.tsbuildinfo$/.test(file)) return 'TypeScript build state';
	if (/(^|\/)(test|tests|__tests__|bench|scripts)\//.test(file) || /\.(test|spec)\.js$/.test(file)) return 'test or tooling code';
	if (!/\.(js|svg|png)$/.test(file) && !/\.node\.json$/.test(file)) return 'not JavaScript, an icon or a codex file';
	return undefined;
}

function checkContents(result: PackResult): void {
	const files = result.files.map((f) => f.path);
	const problems = files.flatMap((file) => {
		const reason = unwanted(file);
		return reason ? [`${file}: ${reason}`] : [];
	});
	const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		if (!files.includes(entry)) problems.push(`${entry}: named in package.json but not packed (run npm run build first)`);
	}
	print(
		`tarball ${result.filename}: ${(result.size / 1024).toFixed(1)} kB packed, ${(result.unpackedSize / 1024).toFixed(1)} kB unpacked, ${result.entryCount} files`,
	);
	if (problems.length > 0) throw new Error(`The tarball holds what it should not:\n  ${problems.join('\n  ')}`);
}

async function scan(scanner: Scanner, label: string, directory: string, patterns: string[]): Promise<boolean> {
	const result = await scanner.analyzePackage(directory, patterns);
	print(`${result.passed ? 'PASS' : 'FAIL'} n8n scanner, ${label}${result.message ? `: ${result.message}` : ''}`);
	if (result.details) print(result.details);
	return result.passed;
}

async function main(): Promise<number> {
	checkContents(pack(['--dry-run']));

	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'exotel-scan-'));
	try {
		const packed = pack(['--pack-destination', work]);
		const unpacked = path.join(work, 'package');
		fs.mkdirSync(unpacked);
		run('tar', ['-xzf', path.join(work, packed.filename), '-C', unpacked, '--strip-components=1'], work);

		// An ES module without types (Scanner says what this uses); CommonJS loads it through require(),
		// which Node.js 20.19+ and 22.12+ allow.
		const scannerModule = '@n8n/scan-community-package/scanner/scanner.mjs';
		const scanner = (await import(scannerModule)) as Scanner;
		const tarball = await scan(scanner, 'packed tarball', unpacked, TARBALL_FILE_PATTERNS);
		const source = await scan(scanner, 'sources', repoRoot, scanner.SOURCE_FILE_PATTERNS);
		return tarball && source ? 0 : 1;
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

if (require.main === module) {
	main().then(
		(code) => process.exit(code),
		(e: unknown) => {
			process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
			process.exit(1);
		},
	);
}
