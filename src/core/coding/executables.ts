/**
 * Which CLI a coding agent runs. The SDKs' bundled binaries are not installed (they are
 * 350–410 MB each; package.json `overrides`), so it is the user's own CLI: the manifest's
 * `executable`, else SWITCHYARD_CLAUDE_PATH / SWITCHYARD_CODEX_PATH, else `claude` /
 * `codex` on PATH. docs/coding-agents.md says how to install one.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { CodingEngine } from '../../shared/coding.js';
import { EngineError } from './engine.js';

const COMMAND: Record<CodingEngine, { bin: string; env: string; install: string; product: string }> = {
  claude: { bin: 'claude', env: 'SWITCHYARD_CLAUDE_PATH', install: 'npm install -g @anthropic-ai/claude-code', product: 'Claude Code' },
  codex: { bin: 'codex', env: 'SWITCHYARD_CODEX_PATH', install: 'npm install -g @openai/codex', product: 'Codex' },
};

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(bin: string, pathVariable: string | undefined): string | undefined {
  const names = process.platform === 'win32' ? [`${bin}.exe`, `${bin}.cmd`, bin] : [bin];
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * The absolute path of the engine's CLI, or EngineError('cli-missing') that says where
 * it looked and what to do.
 */
export function resolveExecutable(engine: CodingEngine, configured: string | undefined, env: Record<string, string | undefined>): string {
  const command = COMMAND[engine];
  const explicit = configured ?? env[command.env];
  if (explicit !== undefined && explicit !== '') {
    if (isAbsolute(explicit) && isExecutableFile(explicit)) return explicit;
    const found = isAbsolute(explicit) ? undefined : onPath(explicit, env.PATH);
    if (found) return found;
    throw new EngineError('cli-missing', `${command.product} CLI not found at "${explicit}" (${configured !== undefined ? 'the manifest\'s executable' : command.env}): point it at an installed \`${command.bin}\`, or install one with \`${command.install}\`.`);
  }
  const found = onPath(command.bin, env.PATH);
  if (found) return found;
  throw new EngineError('cli-missing', `${command.product} CLI not found: \`${command.bin}\` is not on PATH. Install it with \`${command.install}\`, or set ${command.env} (or the manifest's "executable") to its path.`);
}
