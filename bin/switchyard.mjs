#!/usr/bin/env node
// The `switchyard` command, run in this very process: from the sources with tsx
// registered as a loader in a checkout, from the build (out/main/cli.js) where there
// are no sources. No child process: Ctrl-C reaches the CLI's own handler (it ends
// `--watch` and `--follow` with exit 0) and the exit code is the CLI's.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../out/main/cli.js', import.meta.url).href);
}
