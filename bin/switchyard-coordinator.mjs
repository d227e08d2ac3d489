#!/usr/bin/env node
// The `switchyard-coordinator` command: runs src/server/main.ts with the project's tsx.
// spawn (not spawnSync) so SIGTERM/SIGINT/SIGHUP reach the coordinator and it can stop cleanly.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const child = spawn(tsx, [`${root}src/server/main.ts`, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
