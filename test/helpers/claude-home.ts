/**
 * The environment a test gives the real Claude Code CLI so it talks to the scripted
 * model server and nothing else: a temporary CLAUDE_CONFIG_DIR (never the user's
 * ~/.claude), ANTHROPIC_BASE_URL on the model server, any API key, no nonessential
 * traffic (no session-title request, no telemetry) and no retries (a scripted 500 is
 * one request, not ten), and its scratch files inside that folder.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The pinned CLI that `npm run agents:install` puts in .agent-clis. */
export const CLAUDE_CLI = resolve(import.meta.dirname, '../../.agent-clis/node_modules/.bin/claude');

export interface ClaudeHome {
  /** The temporary config folder (sessions are kept here: resume needs the same one). */
  configDir: string;
  /** The CLI's path. */
  cli: string;
  /** The env for the CLI: the test process's PATH and HOME plus the settings above. */
  env: Record<string, string>;
  /** Removes the config folder. */
  remove(): void;
}

/** Makes a temporary Claude Code home pointed at `modelServerUrl`; the caller calls `remove()`. */
export function makeClaudeHome(modelServerUrl: string): ClaudeHome {
  if (!existsSync(CLAUDE_CLI)) throw new Error(`${CLAUDE_CLI} is missing: run \`npm run agents:install\``);
  const configDir = mkdtempSync(join(tmpdir(), 'sy-claude-'));
  // The CLI's per-uid temp folder (CLAUDE_CODE_TMPDIR) goes in the home too, so remove() takes it.
  const scratch = join(configDir, 'tmp');
  mkdirSync(scratch);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: configDir,
    CLAUDE_CONFIG_DIR: configDir,
    ANTHROPIC_BASE_URL: modelServerUrl,
    ANTHROPIC_API_KEY: 'sk-ant-test-any',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: '0',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_TMPDIR: scratch,
  };
  return { configDir, cli: CLAUDE_CLI, env, remove: () => rmSync(configDir, { recursive: true, force: true }) };
}
