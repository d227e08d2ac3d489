/**
 * Claude Code's stream as a transcript, from messages the real CLI (2.1.328) sent
 * against the scripted model (fixtures/claude-*.json, the working folder as /repo).
 */
import { readFileSync } from 'node:fs';
import type { SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { describe, expect, it } from 'vitest';
import { resultSummary, transcriptEvents } from '../../../src/core/coding/claude-transcript.js';
import { TranscriptEvent } from '../../../src/shared/coding.js';

const recorded = (name: string): SDKMessage[] => JSON.parse(readFileSync(new URL(`./fixtures/claude-${name}.json`, import.meta.url), 'utf8')) as SDKMessage[];
const transcript = (name: string) => recorded(name).flatMap((m) => transcriptEvents(m, '/repo'));

describe('Claude Code transcript', () => {
  it('streams text as deltas, once, then the tool use with its summary, then its result', () => {
    const events = transcript('write');
    expect(events.map((e) => TranscriptEvent.parse(e))).toEqual(events);
    expect(events).toEqual([
      { type: 'text', text: 'I ' },
      { type: 'text', text: 'will ' },
      { type: 'text', text: 'write ' },
      { type: 'text', text: 'it.' },
      { type: 'tool', id: 'toolu_write1', tool: 'Write', summary: 'Write src/hello.txt' },
      { type: 'tool-result', id: 'toolu_write1', ok: true, summary: expect.stringContaining('File created successfully at: /repo/src/hello.txt') as string },
      { type: 'text', text: 'Done.' },
    ]);
  });

  it('a denied tool use comes back as a failed result carrying the reason', () => {
    expect(transcript('deny')).toContainEqual({ type: 'tool-result', id: 'toolu_deny1', ok: false, summary: 'Not in this repo, please.' });
  });

  it('an API error adds nothing but what the model streamed (the failure is the result\'s)', () => {
    expect(transcript('rate-limited')).toEqual([]);
  });

  it('shows a retry and a compaction as notices', () => {
    const retry = { type: 'system', subtype: 'api_retry', attempt: 2, max_retries: 10, retry_delay_ms: 4000, error_status: 529, error: 'overloaded', uuid: 'u', session_id: 's' } as unknown as SDKMessage;
    const compact = { type: 'system', subtype: 'compact_boundary', compact_metadata: { trigger: 'auto', pre_tokens: 150000 }, uuid: 'u', session_id: 's' } as unknown as SDKMessage;
    expect(transcriptEvents(retry)).toEqual([{ type: 'notice', text: 'Model API error (HTTP 529): retry 2 of 10 in 4 s' }]);
    expect(transcriptEvents(compact)).toEqual([{ type: 'notice', text: 'Conversation compacted (auto, 150000 tokens before)' }]);
  });

  it('leaves out a subagent\'s streamed text and replayed user messages', () => {
    const sub = { type: 'stream_event', parent_tool_use_id: 'toolu_task', event: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'inner' } } } as unknown as SDKMessage;
    const replay = { type: 'user', isReplay: true, parent_tool_use_id: null, message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'old' }] } } as unknown as SDKMessage;
    expect(transcriptEvents(sub)).toEqual([]);
    expect(transcriptEvents(replay)).toEqual([]);
  });

  it('summarises a result by its first line, from a string or text blocks', () => {
    expect(resultSummary('line one\nline two')).toBe('line one');
    expect(resultSummary([{ type: 'text', text: 'from a block\nmore' }])).toBe('from a block');
    expect(resultSummary(undefined)).toBe('');
    expect(resultSummary('x'.repeat(600))).toHaveLength(200);
  });
});
