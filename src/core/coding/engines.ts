/**
 * The engine drivers by `config.engine`: the one place the runtime learns which SDKs exist.
 */
import type { CodingEngine } from '../../shared/coding.js';
import { createClaudeEngine } from './claude-engine.js';
import { createCodexEngine } from './codex-engine.js';
import type { EngineFactory } from './engine.js';

export const ENGINES: Record<CodingEngine, EngineFactory> = {
  claude: createClaudeEngine,
  codex: createCodexEngine,
};
