/**
 * A throwaway CODEX_HOME that points the real Codex CLI at a scripted model server, so a
 * test never reads the user's ~/.codex nor reaches the internet.
 *
 * Codex ignores OPENAI_BASE_URL: it needs a `model_providers` entry in config.toml. Retries
 * are off, or one scripted 500 costs ~30 requests and ~25 s; plugins are off, so nothing
 * is fetched from github.com at start. The folder lives under the repo's .tmp/
 * (git-ignored), not the OS temp folder: Codex warns about a home under /tmp.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The pinned Codex CLI that `npm run agents:install` puts in .agent-clis. */
export const CODEX_CLI = join(repoRoot, '.agent-clis', 'node_modules', '.bin', 'codex');

const PROVIDER = 'scripted';
const API_KEY_ENV = 'SCRIPTED_OPENAI_API_KEY';

export interface CodexHome {
  /** The CODEX_HOME folder (sessions are kept here: resume needs the same one). */
  path: string;
  /** The environment the SDK starts the CLI with (the SDK does not inherit process.env when given one). */
  env: Record<string, string>;
  /** The CLI's path, for `executable` or `codexPathOverride`. */
  cli: string;
  remove(): void;
}

/** Makes a CODEX_HOME whose provider is the model server at `modelServerUrl` (`http://127.0.0.1:PORT`). */
export function makeCodexHome(modelServerUrl: string, options: { apiKey?: string } = {}): CodexHome {
  const base = join(repoRoot, '.tmp', 'codex-home');
  mkdirSync(base, { recursive: true });
  const path = mkdtempSync(join(base, 'home-'));
  const config = [
    `model_provider = "${PROVIDER}"`,
    '',
    `[model_providers.${PROVIDER}]`,
    `name = "Scripted model server"`,
    `base_url = "${modelServerUrl}/v1"`,
    `env_key = "${API_KEY_ENV}"`,
    `wire_api = "responses"`,
    'supports_websockets = false',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
    // Otherwise every start syncs OpenAI's curated plugins from github.com.
    '[features]',
    'plugins = false',
    '',
  ].join('\n');
  writeFileSync(join(path, 'config.toml'), config);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: path,
    CODEX_HOME: path,
    [API_KEY_ENV]: options.apiKey ?? 'test-key',
  };
  return { path, env, cli: CODEX_CLI, remove: () => rmSync(path, { recursive: true, force: true }) };
}
