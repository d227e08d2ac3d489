/**
 * The OpenAI Responses streaming API (SSE), as Codex calls it on `POST /v1/responses`:
 * a scripted reply becomes `response.created`, a message item streamed as
 * `response.output_text.delta` events, one `function_call` item per tool call, and
 * `response.completed` with usage. A failure is an HTTP error with the status; a hang
 * keeps the stream open until the client goes away.
 */
import type { ServerResponse } from 'node:http';
import type { ScriptedReply, ScriptedToolCall, ScriptedTurn, TurnWriter } from './server.js';
import { isFailure, isHang, ScriptedModelServer } from './server.js';

let counter = 0;
const nextId = (prefix: string): string => `${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}`;

function sse(res: ServerResponse, type: string, data: Record<string, unknown>): void {
  res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
}

/** Splits text into `chunks` pieces, or one per word (spaces kept, so the pieces join back). */
export function splitText(text: string, chunks?: number): string[] {
  if (chunks !== undefined && chunks > 0) {
    const size = Math.ceil(text.length / chunks);
    const parts: string[] = [];
    for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
    return parts;
  }
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

const errorTypes: Record<number, string> = {
  401: 'invalid_api_key',
  429: 'rate_limit_exceeded',
  500: 'server_error',
  529: 'server_error',
};

async function writeReply(reply: ScriptedReply, res: ServerResponse, onDelta: (text: string) => void): Promise<void> {
  const responseId = nextId('resp');
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  sse(res, 'response.created', { response: { id: responseId, object: 'response', status: 'in_progress', output: [] } });
  let outputIndex = 0;
  if (reply.text !== undefined) {
    const itemId = nextId('msg');
    sse(res, 'response.output_item.added', {
      output_index: outputIndex,
      item: { type: 'message', id: itemId, role: 'assistant', status: 'in_progress', content: [] },
    });
    sse(res, 'response.content_part.added', { item_id: itemId, output_index: outputIndex, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
    for (const piece of splitText(reply.text, reply.chunks)) {
      if (reply.deltaDelayMs) await new Promise((resolve) => setTimeout(resolve, reply.deltaDelayMs));
      if (res.destroyed) return;
      sse(res, 'response.output_text.delta', { item_id: itemId, output_index: outputIndex, content_index: 0, delta: piece });
      onDelta(piece);
    }
    sse(res, 'response.output_text.done', { item_id: itemId, output_index: outputIndex, content_index: 0, text: reply.text });
    sse(res, 'response.output_item.done', {
      output_index: outputIndex,
      item: { type: 'message', id: itemId, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: reply.text, annotations: [] }] },
    });
    outputIndex++;
  }
  for (const call of reply.toolCalls ?? []) {
    const item = { type: 'function_call', id: nextId('fc'), call_id: call.id ?? nextId('call'), name: call.name, arguments: JSON.stringify(call.input), status: 'completed' };
    sse(res, 'response.output_item.added', { output_index: outputIndex, item: { ...item, arguments: '', status: 'in_progress' } });
    sse(res, 'response.output_item.done', { output_index: outputIndex, item });
    outputIndex++;
  }
  const usage = reply.usage ?? { inputTokens: 10, outputTokens: 5 };
  sse(res, 'response.completed', {
    response: {
      id: responseId,
      object: 'response',
      status: 'completed',
      usage: {
        input_tokens: usage.inputTokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: usage.outputTokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: usage.inputTokens + usage.outputTokens,
      },
    },
  });
  res.end();
}

const write: TurnWriter = async (turn: ScriptedTurn, { res, onDelta }) => {
  if (isFailure(turn)) {
    res.writeHead(turn.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: turn.message, type: errorTypes[turn.status] ?? 'server_error', code: errorTypes[turn.status] ?? null } }));
    return;
  }
  if (isHang(turn)) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    sse(res, 'response.created', { response: { id: nextId('resp'), object: 'response', status: 'in_progress', output: [] } });
    await new Promise<void>((resolve) => res.once('close', resolve));
    return;
  }
  await writeReply(turn, res, onDelta);
};

/** The Responses API writer for `/v1/responses`. */
export const openaiWriter = { api: 'openai', write } as const satisfies { api: 'openai'; write: TurnWriter };

/**
 * A scripted tool call that makes Codex write a file: an `apply_patch` heredoc run through
 * `exec_command`, which Codex intercepts, applies itself and reports as a `file_change`.
 * `path` is relative to the folder the turn runs in.
 */
export function codexWriteFile(path: string, content: string, id?: string): ScriptedToolCall {
  const lines = content.replace(/\n$/, '').split('\n').map((line) => `+${line}`);
  const patch = ['*** Begin Patch', `*** Add File: ${path}`, ...lines, '*** End Patch'].join('\n');
  return { name: 'exec_command', input: { cmd: `apply_patch <<'PATCH'\n${patch}\nPATCH\n` }, ...(id === undefined ? {} : { id }) };
}

/** A scripted tool call that makes Codex run a shell command. */
export function codexRunCommand(cmd: string, id?: string): ScriptedToolCall {
  return { name: 'exec_command', input: { cmd }, ...(id === undefined ? {} : { id }) };
}

/** A model server that speaks only the Responses API (Codex's tests). */
export function startOpenAIModelServer(options: { whenUsedUp?: ScriptedTurn } = {}): Promise<ScriptedModelServer> {
  return ScriptedModelServer.start({ writers: { '/v1/responses': openaiWriter }, ...options });
}
