#!/usr/bin/env node
// `npm run agents:install`: installs the coding-agent CLIs Switchyard is tested with, at
// pinned versions, into .agent-clis/ (each brings a 350–410 MB platform binary, so they
// are not app dependencies; docs/coding-agents.md). `npm test` runs this first; a second
// run with the same versions does nothing. Prints the two executables' paths.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The versions the tests run; bump together with docs/coding-agents.md. */
export const AGENT_CLIS = {
  '@anthropic-ai/claude-code': '2.1.328',
  '@openai/codex': '0.169.0',
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const AGENT_CLIS_DIR = join(root, '.agent-clis');
export const CLAUDE_BIN = join(AGENT_CLIS_DIR, 'node_modules', '.bin', 'claude');
export const CODEX_BIN = join(AGENT_CLIS_DIR, 'node_modules', '.bin', 'codex');

function installed() {
  try {
    const lock = JSON.parse(readFileSync(join(AGENT_CLIS_DIR, 'package.json'), 'utf8'));
    return JSON.stringify(lock.dependencies) === JSON.stringify(AGENT_CLIS) && existsSync(CLAUDE_BIN) && existsSync(CODEX_BIN);
  } catch {
    return false;
  }
}

export function installAgentClis() {
  if (installed()) return true;
  mkdirSync(AGENT_CLIS_DIR, { recursive: true });
  const manifest = {
    name: 'switchyard-agent-clis',
    private: true,
    description: 'The coding-agent CLIs the tests run (scripts/agent-clis.mjs); not part of the app.',
    dependencies: AGENT_CLIS,
    // Claude Code's postinstall puts its platform binary in place.
    allowScripts: { '@anthropic-ai/claude-code': true },
  };
  writeFileSync(join(AGENT_CLIS_DIR, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`Installing the coding-agent CLIs (${Object.entries(AGENT_CLIS).map(([n, v]) => `${n}@${v}`).join(', ')}) into .agent-clis/…`);
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: AGENT_CLIS_DIR, stdio: 'inherit' });
  return result.status === 0 && existsSync(CLAUDE_BIN) && existsSync(CODEX_BIN);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!installAgentClis()) {
    console.error('The coding-agent CLIs could not be installed (see npm\'s output above).');
    process.exit(1);
  }
  console.log(`claude: ${CLAUDE_BIN}\ncodex:  ${CODEX_BIN}`);
}
