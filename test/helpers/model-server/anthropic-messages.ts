/**
 * The Anthropic Messages API, streaming, as Claude Code reads it: one scripted turn is
 * written as SSE (message_start, a content block per text and tool_use with its deltas,
 * message_delta with the stop reason and usage, message_stop), a failure as the API's
 * JSON error with its HTTP status, a hang as an open stream that never ends.
 *
 * Claude Code calls `POST /v1/messages?beta=true` (the server strips the query) and,
 * with CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1, nothing else (docs/coding-agents.md).
 */
import type { ServerResponse } from 'node:http';
import type { ModelServerOptions, ScriptedFailure, ScriptedReply, ScriptedTurn, TurnWriter } from './server.js';
import { isFailure, isHang, ScriptedModelServer } from './server.js';

/** The error `type` the API names for each status. */
const ERROR_TYPE: Record<ScriptedFailure['status'], string> = {
  401: 'authentication_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

let nextId = 1;
const newId = (prefix: string): string => `${prefix}_sy${String(nextId++).padStart(6, '0')}`;

/** The text cut into deltas: `chunks` near-equal pieces, else one per word (its trailing space kept). */
export function splitText(text: string, chunks?: number): string[] {
  if (text === '') return [];
  if (chunks === undefined || chunks < 1) return text.match(/\s*\S+\s*/g) ?? [text];
  const size = Math.ceil(text.length / chunks);
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}

function modelOf(body: unknown): string {
  const model = typeof body === 'object' && body !== null ? (body as { model?: unknown }).model : undefined;
  return typeof model === 'string' ? model : 'claude-sonnet-4-5';
}

function writeFailure(res: ServerResponse, turn: ScriptedFailure): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': newId('req') };
  if (turn.status === 429) headers['retry-after'] = '1';
  if (turn.status === 429) headers['anthropic-ratelimit-requests-remaining'] = '0';
  res.writeHead(turn.status, headers).end(JSON.stringify({ type: 'error', error: { type: ERROR_TYPE[turn.status], message: turn.message } }));
}

/** An SSE writer that stops quietly once the client has gone. */
function sse(res: ServerResponse): { event(name: string, data: Record<string, unknown>): boolean; closed: Promise<void> } {
  const closed = new Promise<void>((resolve) => res.once('close', resolve));
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'request-id': newId('req') });
  return {
    event(name, data) {
      if (res.destroyed || res.writableEnded) return false;
      res.write(`event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`);
      return true;
    },
    closed,
  };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function messageStart(model: string, inputTokens: number): Record<string, unknown> {
  return {
    message: {
      id: newId('msg'),
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
  };
}

async function writeReply(res: ServerResponse, turn: ScriptedReply, body: unknown, onDelta: (text: string) => void): Promise<void> {
  const stream = sse(res);
  const text = turn.text ?? '';
  const toolCalls = turn.toolCalls ?? [];
  const usage = turn.usage ?? { inputTokens: 120, outputTokens: Math.max(1, splitText(text).length + toolCalls.length * 20) };
  stream.event('message_start', messageStart(modelOf(body), usage.inputTokens));
  let index = 0;
  if (text !== '') {
    stream.event('content_block_start', { index, content_block: { type: 'text', text: '' } });
    for (const piece of splitText(text, turn.chunks)) {
      if (turn.deltaDelayMs) await pause(turn.deltaDelayMs);
      if (!stream.event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } })) return;
      onDelta(piece);
    }
    stream.event('content_block_stop', { index });
    index += 1;
  }
  for (const call of toolCalls) {
    stream.event('content_block_start', { index, content_block: { type: 'tool_use', id: call.id ?? newId('toolu'), name: call.name, input: {} } });
    // The API streams a tool's input as JSON fragments; two make the client join them.
    const json = JSON.stringify(call.input);
    const half = Math.ceil(json.length / 2);
    for (const part of [json.slice(0, half), json.slice(half)]) {
      if (part !== '') stream.event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
    }
    stream.event('content_block_stop', { index });
    index += 1;
  }
  const stopReason = toolCalls.length > 0 ? 'tool_use' : 'end_turn';
  stream.event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.outputTokens } });
  stream.event('message_stop', {});
  res.end();
}

/** Opens the stream, starts a message, and holds it until the client disconnects. */
async function writeHang(res: ServerResponse, body: unknown): Promise<void> {
  const stream = sse(res);
  stream.event('message_start', messageStart(modelOf(body), 100));
  stream.event('ping', {});
  await stream.closed;
}

const write: TurnWriter = async (turn: ScriptedTurn, { body, res, onDelta }) => {
  if (isFailure(turn)) return writeFailure(res, turn);
  if (isHang(turn)) return writeHang(res, body);
  return writeReply(res, turn, body, onDelta);
};

/** The Anthropic Messages protocol for ScriptedModelServer. */
export const anthropicWriter: { api: 'anthropic'; write: TurnWriter } = { api: 'anthropic', write };

/** A model server that speaks only the Anthropic Messages API (`POST /v1/messages`). */
export function startAnthropicModelServer(options: Omit<ModelServerOptions, 'writers'> = {}): Promise<ScriptedModelServer> {
  return ScriptedModelServer.start({ ...options, writers: { '/v1/messages': anthropicWriter } });
}
