import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CodingAgentConfig } from '../../../src/shared/coding.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import { ownershipOf } from '../../../src/shared/ownership.js';

const manifest = (file: string): AgentManifest =>
  AgentManifest.parse(JSON.parse(readFileSync(fileURLToPath(new URL(`../../../resources/agents/${file}`, import.meta.url)), 'utf8')));

describe('shipped coding-agent manifests', () => {
  it.each([
    ['claude-code.json', 'claude'],
    ['codex.json', 'codex'],
  ] as const)('%s runs the coding-agent launcher with a valid %s config, as a user-owned agent', (file, engine) => {
    const m = manifest(file);
    expect(m).toMatchObject({ command: 'node', args: ['./coding-agent.mjs'], capabilities: ['code', 'review'] });
    expect(CodingAgentConfig.parse(m.config)).toMatchObject({ engine, isolation: 'worktree' });
    expect(ownershipOf(m.type)).toBe('user');
    expect(m.healthCheck.autoRestart).toBe(true);
  });
});
