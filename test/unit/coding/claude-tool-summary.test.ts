import { describe, expect, it } from 'vitest';
import { oneLine, toolSummary } from '../../../src/core/coding/claude-tool-summary.js';

describe('Claude Code tool summaries', () => {
  it.each([
    ['Write', { file_path: '/repo/src/a.ts', content: 'x' }, 'Write src/a.ts'],
    ['Edit', { file_path: '/repo/README.md', old_string: 'a', new_string: 'b' }, 'Edit README.md'],
    ['Read', { file_path: '/etc/hosts' }, 'Read /etc/hosts'],
    ['Write', { file_path: '/repo-other/a.ts' }, 'Write /repo-other/a.ts'],
    ['Bash', { command: 'npm test\n  -- --run', description: 'run tests' }, 'Bash: npm test -- --run'],
    ['Glob', { pattern: '**/*.ts' }, 'Glob **/*.ts'],
    ['Grep', { pattern: 'TODO', path: 'src' }, 'Grep TODO'],
    ['WebFetch', { url: 'https://example.com', prompt: 'read' }, 'WebFetch https://example.com'],
    ['Task', { description: 'review the diff', prompt: 'long' }, 'Task: review the diff'],
    ['TodoWrite', { todos: [{}, {}, {}] }, 'TodoWrite (3 items)'],
    ['mcp__github__create_issue', { title: 'Bug', body: 'text' }, 'mcp__github__create_issue Bug'],
    ['Write', {}, 'Write'],
    ['Mystery', { n: 1 }, 'Mystery'],
  ] as const)('%s %j → %s', (tool, input, summary) => {
    expect(toolSummary(tool, input as Record<string, unknown>, '/repo')).toBe(summary);
  });

  it('keeps one line of at most 200 characters', () => {
    const summary = toolSummary('Bash', { command: `echo ${'a'.repeat(500)}\nrm -rf x` });
    expect(summary).toHaveLength(200);
    expect(summary.endsWith('…')).toBe(true);
    expect(summary).not.toContain('\n');
    expect(oneLine('  a \n\t b  ')).toBe('a b');
  });
});
