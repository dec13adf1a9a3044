/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Tooling runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
/**
 * npm run screenshots — refresh the README's pictures (docs/images/*.png) from the real n8n editor.
 *
 *   npm run screenshots                # build, then the e2e editor check with its pictures kept in docs/images
 *   npm run screenshots -- --no-build  # use the current dist/
 *
 * The pictures are the ones the e2e editor check (scripts/e2e/editor-screenshot.ts) takes while it
 * checks the node, so a picture is only refreshed when that check passes. n8n comes from the same
 * cache as `npm run test:e2e` (installed on first use). Commit the changed PNGs.
 */
import { buildPackage, cleanupAll, installSignalHandlers, log, print, printError } from './e2e/lib';
import { DOCS_IMAGES_DIR, editorScreenshotIsolated } from './e2e/editor-screenshot';
import { ensureN8n } from './e2e/n8n-install';

async function main(): Promise<number> {
	installSignalHandlers();
	const install = ensureN8n();
	if (!process.argv.includes('--no-build')) buildPackage();
	const result = await editorScreenshotIsolated(install, DOCS_IMAGES_DIR);
	if (result.skipped) {
		log(`no pictures: ${result.detail}`);
		return 1;
	}
	print(`PASS: ${result.detail}\n\nwrote:\n${result.pictures.map((p) => `  ${p}`).join('\n')}`);
	return 0;
}

main()
	.catch((e: unknown) => {
		printError(e);
		return 1;
	})
	.then(async (code) => {
		await cleanupAll();
		process.exit(code);
	});
