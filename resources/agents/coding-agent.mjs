#!/usr/bin/env node
// The coding-agent runtime (Claude Code, Codex) as a supervised agent: claude-code.json
// and codex.json start it with `node ./coding-agent.mjs`. It runs in this very process
// (no extra child), like bin/switchyard-coordinator.mjs.
//
// How it finds the runtime:
// - in a source checkout (src/ is beside resources/): tsx is registered as a loader and
//   src/core/coding/main.ts is imported, so the agent always runs the code you see (an
//   old out/ left by an earlier build is never picked up);
// - in a build without sources (the packaged app): `electron-vite build` bundles
//   src/core/coding/main.ts as out/main/coding-agent.js (the `coding-agent` entry of the
//   main build in electron.vite.config.ts); resources/ and out/ sit side by side in the
//   app folder, so that is ../../out/main/coding-agent.js from here.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../../src/core/coding/main.ts', import.meta.url);
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../../out/main/coding-agent.js', import.meta.url).href);
}
