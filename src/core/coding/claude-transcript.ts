/**
 * Claude Code's message stream as transcript events, read through the SDK's own types.
 *
 * Text comes from the partial messages (`stream_event` text deltas, with
 * `includePartialMessages`), so a reader sees it as it is written; the complete
 * assistant message that follows repeats that text and is read for its tool_use blocks
 * only. Tool results come back in the next user message, with `is_error` set for a
 * failed or denied tool.
 */
import type { SDKMessage, SDKUserMessage } from '@anthropic-ai/claude-agent-sdk';
import type { TranscriptEvent } from '../../shared/coding.js';
import { oneLine, toolSummary } from './claude-tool-summary.js';

/** TranscriptEvent caps a text event at 64 KiB; a single delta never comes near it, but a cap is a cap. */
const TEXT_MAX = 65_536;

type UserContent = SDKUserMessage['message']['content'];
type ToolResultContent = Extract<Exclude<UserContent, string>[number], { type: 'tool_result' }>['content'];

/** The first line of a tool's result, as the transcript shows it. */
export function resultSummary(content: ToolResultContent): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return oneLine(content.split('\n', 1)[0] ?? '');
  const text = content.find((block) => block.type === 'text');
  return text && text.type === 'text' ? oneLine(text.text.split('\n', 1)[0] ?? '') : '';
}

function streamEvents(message: Extract<SDKMessage, { type: 'stream_event' }>): TranscriptEvent[] {
  const { event } = message;
  if (message.parent_tool_use_id !== null) return [];
  if (event.type !== 'content_block_delta' || event.delta.type !== 'text_delta') return [];
  const text = event.delta.text;
  return text === '' ? [] : [{ type: 'text', text: text.slice(0, TEXT_MAX) }];
}

function assistantEvents(message: Extract<SDKMessage, { type: 'assistant' }>, cwd: string | undefined): TranscriptEvent[] {
  const events: TranscriptEvent[] = [];
  for (const block of message.message.content) {
    if (block.type !== 'tool_use') continue;
    const input = typeof block.input === 'object' && block.input !== null ? (block.input as Record<string, unknown>) : {};
    events.push({ type: 'tool', id: block.id, tool: block.name, summary: toolSummary(block.name, input, cwd) });
  }
  return events;
}

function userEvents(message: SDKUserMessage): TranscriptEvent[] {
  const { content } = message.message;
  if (typeof content === 'string') return [];
  const events: TranscriptEvent[] = [];
  for (const block of content) {
    if (block.type !== 'tool_result') continue;
    events.push({ type: 'tool-result', id: block.tool_use_id, ok: block.is_error !== true, summary: resultSummary(block.content) });
  }
  return events;
}

function systemEvents(message: Extract<SDKMessage, { type: 'system' }>): TranscriptEvent[] {
  if (message.subtype === 'api_retry') {
    const status = message.error_status === null ? message.error : `HTTP ${message.error_status}`;
    return [{ type: 'notice', text: `Model API error (${status}): retry ${message.attempt} of ${message.max_retries} in ${Math.round(message.retry_delay_ms / 1000)} s` }];
  }
  if (message.subtype === 'compact_boundary') {
    return [{ type: 'notice', text: `Conversation compacted (${message.compact_metadata.trigger}, ${message.compact_metadata.pre_tokens} tokens before)` }];
  }
  return [];
}

/**
 * The transcript events one SDK message carries (none for most: init, status, result).
 * `cwd` makes file paths in tool summaries relative to the folder the turn runs in.
 */
export function transcriptEvents(message: SDKMessage, cwd?: string): TranscriptEvent[] {
  if (message.type === 'stream_event') return streamEvents(message);
  if (message.type === 'assistant') return assistantEvents(message, cwd);
  if (message.type === 'user') return 'isReplay' in message && message.isReplay ? [] : userEvents(message);
  if (message.type === 'system') return systemEvents(message);
  return [];
}
