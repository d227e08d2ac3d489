/**
 * A conversation between the person and one agent, as the Conversation panel shows it:
 * the entries merged from `conversation.get` and `conversation.appended`, and the
 * transcript items built from them.
 *
 * Every body is parsed with the shared schemas (src/shared/coding.ts); a body that does
 * not parse becomes a `raw` item shown as JSON, so a new or broken agent never breaks
 * the panel. Parsing is cached per entry object: the store keeps entries by identity,
 * so a streaming task parses each message once.
 */
import type { ConversationEntry } from '../../../shared/coding-contract.js';
import type { MessageKind } from '../../../shared/domain.js';
import type {
  ApprovalRequestedBody,
  TaskCompletedBody,
  TaskFailedBody,
  TaskStartedBody,
  TranscriptEvent,
} from '../../../shared/coding.js';
import {
  ApprovalAnswerBody,
  ApprovalRequestedBody as ApprovalRequestedSchema,
  CodingTaskRequest,
  TaskCancelBody,
  TaskCompletedBody as TaskCompletedSchema,
  TaskFailedBody as TaskFailedSchema,
  TaskProgressBody,
  TaskStartedBody as TaskStartedSchema,
} from '../../../shared/coding.js';

/** A conversation keeps its newest entries up to this many (what `conversation.get` may return). */
export const MAX_CONVERSATION_ENTRIES = 2_000;

/**
 * The entries after new ones arrived: one per message id (a later copy wins), in time
 * order (arrival order among equal times), at most {@link MAX_CONVERSATION_ENTRIES}.
 * Returns `current` itself when nothing changed.
 */
export function mergeEntries(current: readonly ConversationEntry[], incoming: readonly ConversationEntry[]): readonly ConversationEntry[] {
  if (incoming.length === 0) return current;
  const byId = new Map<string, ConversationEntry>();
  for (const entry of current) byId.set(entry.messageId, entry);
  for (const entry of incoming) byId.set(entry.messageId, entry);
  const merged = [...byId.values()];
  // Array.prototype.sort is stable: entries of the same millisecond keep their order.
  merged.sort((a, b) => a.at - b.at);
  return merged.length > MAX_CONVERSATION_ENTRIES ? merged.slice(merged.length - MAX_CONVERSATION_ENTRIES) : merged;
}

interface Base {
  key: string;
  at: number;
  taskId: string | null;
}

/** One thing the transcript shows. */
export type TranscriptItem =
  | (Base & { type: 'you'; text: string; continues: boolean })
  | (Base & { type: 'cancel-sent' })
  | (Base & { type: 'answer-sent'; allow: boolean; always: boolean })
  | (Base & { type: 'started'; body: TaskStartedBody })
  | (Base & { type: 'text'; text: string })
  | (Base & { type: 'tool'; tool: string; summary: string; result: { ok: boolean; summary: string } | null })
  | (Base & { type: 'notice'; text: string })
  /** `textShown`: the answer already streamed as the task's last prose, so the card need not repeat it. */
  | (Base & { type: 'completed'; body: TaskCompletedBody; textShown: boolean })
  | (Base & { type: 'failed'; body: TaskFailedBody })
  | (Base & { type: 'approval'; body: ApprovalRequestedBody })
  | (Base & { type: 'raw'; direction: 'in' | 'out'; kind: string; body: unknown });

/** What one entry says, parsed once. */
type Parsed =
  | { type: 'you'; text: string; taskId: string | null }
  | { type: 'cancel-sent'; taskId: string }
  | { type: 'answer-sent'; allow: boolean; always: boolean }
  | { type: 'started'; body: TaskStartedBody }
  | { type: 'progress'; taskId: string; events: TranscriptEvent[] }
  | { type: 'completed'; body: TaskCompletedBody }
  | { type: 'failed'; body: TaskFailedBody }
  | { type: 'approval'; body: ApprovalRequestedBody }
  | { type: 'raw' };

const parsedCache = new WeakMap<ConversationEntry, Parsed>();

function parseEntry(entry: ConversationEntry): Parsed {
  let parsed = parsedCache.get(entry);
  if (!parsed) {
    parsed = entry.direction === 'out' ? parseOutgoing(entry) : parseIncoming(entry);
    parsedCache.set(entry, parsed);
  }
  return parsed;
}

type Parser = (body: unknown, entry: ConversationEntry) => Parsed;

function parseRequest(body: unknown): Parsed {
  const request = CodingTaskRequest.safeParse(body);
  if (!request.success) return { type: 'raw' };
  return typeof request.data === 'string'
    ? { type: 'you', text: request.data, taskId: null }
    : { type: 'you', text: request.data.prompt, taskId: request.data.taskId ?? null };
}

function parseAnswer(body: unknown, entry: ConversationEntry): Parsed {
  const answer = ApprovalAnswerBody.safeParse(body);
  return answer.success ? { type: 'answer-sent', allow: entry.kind === 'approval.granted', always: answer.data.always } : { type: 'raw' };
}

/** What the person sends, by kind; any other kind shows as it is. */
const OUTGOING: Partial<Record<MessageKind, Parser>> = {
  text: parseRequest,
  'task.assigned': parseRequest,
  'task.cancel': (body) => {
    const cancel = TaskCancelBody.safeParse(body);
    return cancel.success ? { type: 'cancel-sent', taskId: cancel.data.taskId } : { type: 'raw' };
  },
  'approval.granted': parseAnswer,
  'approval.denied': parseAnswer,
};

function as<T>(result: { success: true; data: T } | { success: false }, make: (data: T) => Parsed): Parsed {
  return result.success ? make(result.data) : { type: 'raw' };
}

/** What a coding agent sends, by kind; any other kind shows as it is. */
const INCOMING: Partial<Record<MessageKind, Parser>> = {
  'task.started': (body) => as(TaskStartedSchema.safeParse(body), (data) => ({ type: 'started', body: data })),
  'task.progress': (body) => as(TaskProgressBody.safeParse(body), (data) => ({ type: 'progress', taskId: data.taskId, events: data.events })),
  'task.completed': (body) => as(TaskCompletedSchema.safeParse(body), (data) => ({ type: 'completed', body: data })),
  'task.failed': (body) => as(TaskFailedSchema.safeParse(body), (data) => ({ type: 'failed', body: data })),
  'approval.requested': (body) => as(ApprovalRequestedSchema.safeParse(body), (data) => ({ type: 'approval', body: data })),
};

function parseOutgoing(entry: ConversationEntry): Parsed {
  return OUTGOING[entry.kind]?.(entry.body, entry) ?? { type: 'raw' };
}

function parseIncoming(entry: ConversationEntry): Parsed {
  return INCOMING[entry.kind]?.(entry.body, entry) ?? { type: 'raw' };
}

/**
 * The transcript of a conversation: consecutive text of one task reads as one block of
 * prose, and each tool use is one line that its result (ok or error), arriving in the
 * same or a later batch, completes.
 */
export function buildTranscript(entries: readonly ConversationEntry[]): TranscriptItem[] {
  const items: TranscriptItem[] = [];
  const tools = new Map<string, Extract<TranscriptItem, { type: 'tool' }>>();
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    const base = { key: entry.messageId, at: entry.at };
    if (parsed.type === 'progress') {
      appendProgress(items, tools, entry, parsed.taskId, parsed.events);
      continue;
    }
    const item = itemOf(parsed, base, entry);
    if (item.type === 'completed') item.textShown = streamedLast(items, item.taskId, item.body.text);
    items.push(item);
  }
  return items;
}

/** True when `text` is how the task's last prose block ends: the answer the reader has just seen stream. */
function streamedLast(items: readonly TranscriptItem[], taskId: string | null, text: string): boolean {
  const answer = text.trim();
  if (answer === '') return false;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.taskId !== taskId) continue;
    if (item.type === 'text') return item.text.trim().endsWith(answer);
    if (item.type === 'tool' || item.type === 'started' || item.type === 'you') return false;
  }
  return false;
}

function itemOf(parsed: Exclude<Parsed, { type: 'progress' }>, base: { key: string; at: number }, entry: ConversationEntry): TranscriptItem {
  switch (parsed.type) {
    case 'you':
      return { ...base, type: 'you', taskId: parsed.taskId, text: parsed.text, continues: parsed.taskId !== null };
    case 'cancel-sent':
      return { ...base, type: 'cancel-sent', taskId: parsed.taskId };
    case 'answer-sent':
      return { ...base, type: 'answer-sent', taskId: entry.taskId, allow: parsed.allow, always: parsed.always };
    case 'started':
      return { ...base, type: 'started', taskId: parsed.body.taskId, body: parsed.body };
    case 'completed':
      return { ...base, type: 'completed', taskId: parsed.body.taskId, body: parsed.body, textShown: false };
    case 'failed':
      return { ...base, type: 'failed', taskId: parsed.body.taskId ?? entry.taskId, body: parsed.body };
    case 'approval':
      return { ...base, type: 'approval', taskId: parsed.body.taskId, body: parsed.body };
    case 'raw':
      return { ...base, type: 'raw', taskId: entry.taskId, direction: entry.direction, kind: entry.kind, body: entry.body };
  }
}

function appendProgress(
  items: TranscriptItem[],
  tools: Map<string, Extract<TranscriptItem, { type: 'tool' }>>,
  entry: ConversationEntry,
  taskId: string,
  events: readonly TranscriptEvent[],
): void {
  events.forEach((event, index) => {
    const key = `${entry.messageId}:${index}`;
    const last = items[items.length - 1];
    switch (event.type) {
      case 'text':
        if (last?.type === 'text' && last.taskId === taskId) last.text += event.text;
        else items.push({ type: 'text', key, at: entry.at, taskId, text: event.text });
        return;
      case 'tool': {
        const item = { type: 'tool' as const, key, at: entry.at, taskId, tool: event.tool, summary: event.summary, result: null };
        tools.set(`${taskId}/${event.id}`, item);
        items.push(item);
        return;
      }
      case 'tool-result': {
        const tool = tools.get(`${taskId}/${event.id}`);
        if (tool) tool.result = { ok: event.ok, summary: event.summary };
        else items.push({ type: 'notice', key, at: entry.at, taskId, text: `tool result ${event.ok ? 'ok' : 'error'}: ${event.summary}` });
        return;
      }
      case 'notice':
        items.push({ type: 'notice', key, at: entry.at, taskId, text: event.text });
        return;
    }
  });
}

/** Where a task stands, as far as the conversation shows it. */
export type TaskPhase = 'running' | 'completed' | 'failed';

/** The tasks of a conversation, newest first: those the composer may continue and those a Cancel may stop. */
export function tasksOf(items: readonly TranscriptItem[]): { taskId: string; phase: TaskPhase; at: number }[] {
  const tasks = new Map<string, { taskId: string; phase: TaskPhase; at: number }>();
  for (const item of items) {
    if (item.taskId === null) continue;
    const phase: TaskPhase | null =
      item.type === 'started' ? 'running' : item.type === 'completed' ? 'completed' : item.type === 'failed' ? 'failed' : null;
    const known = tasks.get(item.taskId);
    if (phase) tasks.set(item.taskId, { taskId: item.taskId, phase, at: known?.at ?? item.at });
    else if (!known && item.type !== 'you') tasks.set(item.taskId, { taskId: item.taskId, phase: 'running', at: item.at });
  }
  return [...tasks.values()].sort((a, b) => b.at - a.at);
}
