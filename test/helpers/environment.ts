/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Test code runs in Node.js, not inside n8n Cloud: it needs Node.js globals/modules */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core reads these when first loaded: keep its settings file out of the home folder, and its
// logger quiet so test output shows only the tests.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-exotel-test-'));
process.env.N8N_LOG_LEVEL ??= 'silent';
