import { describe, expect, it } from 'vitest';
import type { ThreadEvent, ThreadItem } from '@openai/codex-sdk';
import { TranscriptEvent } from '../../../src/shared/coding.js';
import { CodexTranscript, displayPath, unwrapShell } from '../../../src/core/coding/codex-transcript.js';

const cwd = '/home/dev/repo';
const started = (item: ThreadItem): ThreadEvent => ({ type: 'item.started', item });
const completed = (item: ThreadItem): ThreadEvent => ({ type: 'item.completed', item });

function mapAll(events: ThreadEvent[]): { transcript: CodexTranscript; out: TranscriptEvent[] } {
  const transcript = new CodexTranscript(cwd);
  return { transcript, out: events.flatMap((event) => transcript.map(event)) };
}

describe('unwrapShell', () => {
  it('shows the command the model wrote, not the bash -lc wrapper', () => {
    expect(unwrapShell(`/bin/bash -lc 'npm test'`)).toBe('npm test');
    expect(unwrapShell(`bash -c "ls -la"`)).toBe('ls -la');
    expect(unwrapShell(`/bin/bash -lc 'echo '\\''hi'\\'''`)).toBe(`echo 'hi'`);
    expect(unwrapShell('git status')).toBe('git status');
  });
});

describe('displayPath', () => {
  it('makes paths inside the folder relative and leaves the rest alone', () => {
    expect(displayPath('/home/dev/repo/src/a.ts', cwd)).toBe('src/a.ts');
    expect(displayPath('/etc/hosts', cwd)).toBe('/etc/hosts');
    expect(displayPath('/home/dev/repository/x', cwd)).toBe('/home/dev/repository/x');
    expect(displayPath('src/b.ts', cwd)).toBe('src/b.ts');
  });
});

describe('CodexTranscript', () => {
  it('maps a write turn: text, the patch as one tool use and its result, the final text', () => {
    const patch: ThreadItem = { id: 'item_2', type: 'file_change', changes: [{ path: '/home/dev/repo/hello.txt', kind: 'add' }], status: 'completed' };
    const { transcript, out } = mapAll([
      { type: 'thread.started', thread_id: 't1' },
      { type: 'turn.started' },
      completed({ id: 'item_1', type: 'agent_message', text: 'I will write it.' }),
      started({ ...patch, status: 'completed' }),
      completed(patch),
      completed({ id: 'item_3', type: 'agent_message', text: 'Done.' }),
      { type: 'turn.completed', usage: { input_tokens: 1, cached_input_tokens: 0, cache_write_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0 } },
    ]);
    expect(out).toEqual([
      { type: 'text', text: 'I will write it.' },
      { type: 'tool', id: 'item_2', tool: 'apply_patch', summary: 'Add hello.txt' },
      { type: 'tool-result', id: 'item_2', ok: true, summary: 'Add hello.txt' },
      { type: 'text', text: 'Done.' },
    ]);
    expect(transcript.finalText).toBe('Done.');
    expect(transcript.roundTrips).toBe(2);
  });

  it('announces a tool use once, even when it completes without a start event', () => {
    const call: ThreadItem = { id: 'm1', type: 'mcp_tool_call', server: 'docs', tool: 'search', arguments: { q: 'x' }, status: 'failed', error: { message: 'server down' } };
    const { out } = mapAll([completed(call)]);
    expect(out).toEqual([
      { type: 'tool', id: 'm1', tool: 'docs.search', summary: 'docs.search {"q":"x"}' },
      { type: 'tool-result', id: 'm1', ok: false, summary: 'server down' },
    ]);
  });

  it('reports a command by its exit code and last output line', () => {
    const running: ThreadItem = { id: 'c1', type: 'command_execution', command: `/bin/bash -lc 'npm test'`, aggregated_output: '', status: 'in_progress' };
    const ok: ThreadItem = { ...running, aggregated_output: 'ran 3\nall passed\n', exit_code: 0, status: 'completed' };
    const failed: ThreadItem = { ...running, id: 'c2', aggregated_output: '', exit_code: 2, status: 'failed' };
    const { out } = mapAll([started(running), completed(ok), completed(failed)]);
    expect(out).toEqual([
      { type: 'tool', id: 'c1', tool: 'exec_command', summary: 'Run: npm test' },
      { type: 'tool-result', id: 'c1', ok: true, summary: 'exit 0: all passed' },
      { type: 'tool', id: 'c2', tool: 'exec_command', summary: 'Run: npm test' },
      { type: 'tool-result', id: 'c2', ok: false, summary: 'exit 2' },
    ]);
  });

  it('counts each run of tool uses as one more round trip to the model', () => {
    const cmd = (id: string): ThreadItem => ({ id, type: 'command_execution', command: 'true', aggregated_output: '', exit_code: 0, status: 'completed' });
    const { transcript } = mapAll([
      completed(cmd('a')),
      completed(cmd('b')),
      completed({ id: 'm', type: 'agent_message', text: 'checked' }),
      completed(cmd('c')),
      completed({ id: 'n', type: 'agent_message', text: 'done' }),
    ]);
    expect(transcript.roundTrips).toBe(3);
  });

  it('turns errors and plans into notices and leaves reasoning out', () => {
    const { out } = mapAll([
      completed({ id: 'e', type: 'error', message: 'Model metadata not found.\nUsing fallback.' }),
      { type: 'error', message: 'stream disconnected' },
      completed({ id: 'r', type: 'reasoning', text: 'thinking…' }),
      completed({ id: 'p', type: 'todo_list', items: [{ text: 'read', completed: true }, { text: 'write', completed: false }] }),
      { type: 'item.updated', item: { id: 'p', type: 'todo_list', items: [] } },
    ]);
    expect(out).toEqual([
      { type: 'notice', text: 'Model metadata not found. Using fallback.' },
      { type: 'notice', text: 'stream disconnected' },
      { type: 'notice', text: 'Plan: 1/2 done; next: write' },
    ]);
  });

  it('keeps every event within the transcript schema, however long the input', () => {
    const long = 'x'.repeat(100_000);
    const { out, transcript } = mapAll([
      completed({ id: 'i'.repeat(300), type: 'command_execution', command: long, aggregated_output: long, exit_code: 1, status: 'failed' }),
      completed({ id: 'e', type: 'error', message: long }),
      completed({ id: 'm', type: 'agent_message', text: long }),
    ]);
    expect(out).toHaveLength(4);
    for (const event of out) expect(() => TranscriptEvent.parse(event)).not.toThrow();
    // The outcome keeps the whole answer; only the transcript line is cut.
    expect(transcript.finalText).toHaveLength(100_000);
  });
});
