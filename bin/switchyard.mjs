#!/usr/bin/env node
// The `switchyard` command: runs src/cli/main.ts with the project's tsx.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const run = spawnSync(tsx, [`${root}src/cli/main.ts`, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
