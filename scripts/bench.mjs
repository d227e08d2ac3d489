#!/usr/bin/env node
// Runs one benchmark: `npm run bench -- <name>` runs bench/<name>.ts with tsx.
// Each benchmark prints its figures and ends with one JSON line including `ratio`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const name = process.argv[2];
const available = readdirSync(new URL('../bench/', import.meta.url))
  .filter((file) => file.endsWith('.ts') && !file.startsWith('_'))
  .map((file) => file.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>\navailable: ${available.join(', ') || '(none)'}`);
  process.exit(2);
}
const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname;
if (!existsSync(tsx)) {
  console.error('tsx is missing: run npm install first');
  process.exit(2);
}
const run = spawnSync(tsx, [`bench/${name}.ts`, ...process.argv.slice(3)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
