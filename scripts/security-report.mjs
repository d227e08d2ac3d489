#!/usr/bin/env node
// Prints the trust-boundary figures the tests recorded in .tmp/security-report/ as
// Markdown tables: each fuzzed surface (inputs tried, how many got a typed error or a
// 4xx, whether the host was alive afterwards) and each NATS attack tried with the
// documented permissions. docs/security.md quotes this output; `npm test` prints it.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.tmp/security-report';
if (!existsSync(dir)) {
  console.log(`no security figures in ${dir}: run the integration tests first`);
  process.exit(0);
}
const records = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...JSON.parse(readFileSync(join(dir, file), 'utf8')) }));

const fuzz = records.filter((r) => r.file.startsWith('fuzz-'));
const isLegit = (r) => r.file.startsWith('nats-legit-');
const attacks = records.filter((r) => r.file.startsWith('nats-') && !isLegit(r));
const legit = records.filter(isLegit);
const yes = (value) => (value ? 'yes' : '**no**');
const cell = (text) => String(text ?? '').replaceAll('|', '\\|');

if (fuzz.length > 0) {
  console.log('| surface | inputs | typed error | 4xx | host alive after |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  for (const r of fuzz) console.log(`| ${r.surface} | ${r.inputs} | ${r.rejectedTyped ?? 0} | ${r.http4xx ?? 0} | ${yes(r.hostAlive)} |`);
  console.log('');
}
if (attacks.length > 0) {
  console.log('| attack (documented permissions) | refused | how |');
  console.log('| --- | --- | --- |');
  for (const r of attacks) console.log(`| ${r.attack} | ${yes(r.refused)} | ${cell(r.how)} |`);
  console.log('');
}
if (legit.length > 0) {
  console.log('| legitimate flow (same permissions) | works | what happened |');
  console.log('| --- | --- | --- |');
  for (const r of legit) console.log(`| ${r.attack.replace(/^legit-/, '')} | ${yes(!r.refused)} | ${cell(r.how)} |`);
}
