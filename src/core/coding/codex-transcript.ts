/**
 * Codex's thread events as the switchyard's transcript: assistant text, each tool use with
 * a one-line summary, each result as ok or error, and the CLI's non-fatal errors as notices.
 *
 * `codex exec` (what the SDK runs) reports an agent message once it is complete, not word
 * by word: a Codex transcript streams per item, each message as one `text` event.
 */
import { isAbsolute, relative } from 'node:path';
import type { CommandExecutionItem, FileChangeItem, McpToolCallItem, ThreadEvent, ThreadItem } from '@openai/codex-sdk';
import type { TranscriptEvent } from '../../shared/coding.js';

/** The TranscriptEvent schema's bounds: a longer value would fail its parse downstream. */
const MAX_TEXT = 65_536;
const MAX_SUMMARY = 512;
const MAX_NOTICE = 2_048;
const MAX_ID = 256;

/** Cuts `text` to `max` characters, marking the cut. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** One line: newlines folded, runs of space collapsed. */
function oneLine(text: string, max = MAX_SUMMARY): string {
  return cut(text.replace(/\s+/g, ' ').trim(), max);
}

/**
 * The command as the model wrote it: Codex runs every command as
 * `/bin/bash -lc '<cmd>'` (or `bash -c "<cmd>"`); the wrapper is noise in a summary.
 */
export function unwrapShell(command: string): string {
  const match = /^(?:\S*\/)?(?:ba|z)?sh\s+-l?c\s+(['"])([\s\S]*)\1$/.exec(command.trim());
  if (!match?.[2]) return command;
  return match[1] === "'" ? match[2].replaceAll(`'\\''`, "'") : match[2];
}

/** A path as the user reads it: relative to the folder the turn runs in when inside it. */
export function displayPath(path: string, cwd: string): string {
  if (!isAbsolute(path)) return path;
  const inside = relative(cwd, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

const verb = { add: 'Add', update: 'Edit', delete: 'Delete' } as const;

function fileChangeSummary(item: FileChangeItem, cwd: string): string {
  if (item.changes.length === 0) return 'Patch (no files)';
  return oneLine(item.changes.map((change) => `${verb[change.kind]} ${displayPath(change.path, cwd)}`).join(', '));
}

/** The tool name and one-line summary of a tool-like item; undefined for text, reasoning and the rest. */
export function toolUseOf(item: ThreadItem, cwd: string): { tool: string; summary: string } | undefined {
  switch (item.type) {
    case 'command_execution':
      return { tool: 'exec_command', summary: oneLine(`Run: ${unwrapShell(item.command)}`) };
    case 'file_change':
      return { tool: 'apply_patch', summary: fileChangeSummary(item, cwd) };
    case 'mcp_tool_call':
      return { tool: `${item.server}.${item.tool}`, summary: oneLine(`${item.server}.${item.tool} ${JSON.stringify(item.arguments ?? {})}`) };
    case 'web_search':
      return { tool: 'web_search', summary: oneLine(`Search: ${item.query}`) };
    case 'agent_message':
    case 'reasoning':
    case 'todo_list':
    case 'error':
      return undefined;
  }
  // A kind a newer CLI added: not a tool this transcript knows.
  return undefined;
}

function commandResult(item: CommandExecutionItem): { ok: boolean; summary: string } {
  // The SDK types exit_code as optional; the CLI sends null while it has none.
  const exitCode = item.exit_code ?? null;
  const ok = item.status === 'completed' && (exitCode === null || exitCode === 0);
  const lastLine = item.aggregated_output.trim().split('\n').pop() ?? '';
  const status = exitCode === null ? item.status : `exit ${exitCode}`;
  return { ok, summary: oneLine(lastLine === '' ? status : `${status}: ${lastLine}`) };
}

function mcpResult(item: McpToolCallItem): { ok: boolean; summary: string } {
  if (item.status === 'failed' || item.error) return { ok: false, summary: oneLine(item.error?.message ?? 'failed') };
  const text = item.result?.content.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join(' ') ?? '';
  return { ok: true, summary: oneLine(text) };
}

/** How a finished tool-like item went: ok or not, and a line saying so. */
export function toolResultOf(item: ThreadItem, cwd: string): { ok: boolean; summary: string } | undefined {
  switch (item.type) {
    case 'command_execution':
      return commandResult(item);
    case 'file_change': {
      const ok = item.status === 'completed';
      return { ok, summary: ok ? fileChangeSummary(item, cwd) : oneLine(`patch failed: ${fileChangeSummary(item, cwd)}`) };
    }
    case 'mcp_tool_call':
      return mcpResult(item);
    case 'web_search':
      return { ok: true, summary: oneLine(item.query) };
    case 'agent_message':
    case 'reasoning':
    case 'todo_list':
    case 'error':
      return undefined;
  }
  return undefined;
}

function todoSummary(items: ReadonlyArray<{ text: string; completed: boolean }>): string {
  const done = items.filter((item) => item.completed).length;
  const next = items.find((item) => !item.completed);
  return oneLine(`Plan: ${done}/${items.length} done${next ? `; next: ${next.text}` : ''}`, MAX_NOTICE);
}

/**
 * Turns a Codex thread's events into transcript events. Stateful: a tool use is announced
 * once (on `item.started`, or on `item.completed` when no start was seen), its result on
 * completion; the final assistant text and the tool round trips are kept for the outcome.
 */
export class CodexTranscript {
  private readonly announced = new Set<string>();
  private lastText = '';
  private toolBatches = 0;
  private inToolBatch = false;

  constructor(private readonly cwd: string) {}

  /** The last complete assistant message: the turn's answer. */
  get finalText(): string {
    return this.lastText;
  }

  /**
   * Model round trips, as far as the items show them: Codex does not count them. Each run
   * of tool items ends in another request to the model, so it is one plus the runs.
   */
  get roundTrips(): number {
    return 1 + this.toolBatches;
  }

  /** The transcript events one thread event makes (often none). */
  map(event: ThreadEvent): TranscriptEvent[] {
    switch (event.type) {
      case 'item.started':
        return this.started(event.item);
      case 'item.completed':
        return this.completed(event.item);
      case 'error':
        return [{ type: 'notice', text: oneLine(event.message, MAX_NOTICE) }];
      case 'thread.started':
      case 'turn.started':
      case 'turn.completed':
      case 'turn.failed':
      case 'item.updated':
        // The session, usage and failure are the outcome's; an update (a to-do list
        // ticking) is reported when its item completes.
        return [];
    }
    return [];
  }

  private announce(item: ThreadItem): TranscriptEvent[] {
    const use = toolUseOf(item, this.cwd);
    if (!use || this.announced.has(item.id)) return [];
    this.announced.add(item.id);
    if (!this.inToolBatch) {
      this.inToolBatch = true;
      this.toolBatches++;
    }
    return [{ type: 'tool', id: cut(item.id, MAX_ID), tool: cut(use.tool, MAX_ID), summary: use.summary }];
  }

  private started(item: ThreadItem): TranscriptEvent[] {
    return this.announce(item);
  }

  private completed(item: ThreadItem): TranscriptEvent[] {
    switch (item.type) {
      case 'agent_message':
        this.inToolBatch = false;
        this.lastText = item.text;
        return item.text === '' ? [] : [{ type: 'text', text: cut(item.text, MAX_TEXT) }];
      case 'error':
        return [{ type: 'notice', text: oneLine(item.message, MAX_NOTICE) }];
      case 'todo_list':
        return [{ type: 'notice', text: todoSummary(item.items) }];
      case 'reasoning':
        return [];
      case 'command_execution':
      case 'file_change':
      case 'mcp_tool_call':
      case 'web_search':
        return this.finished(item);
    }
    return [];
  }

  private finished(item: ThreadItem): TranscriptEvent[] {
    const events = this.announce(item);
    const result = toolResultOf(item, this.cwd);
    return result ? [...events, { type: 'tool-result', id: cut(item.id, MAX_ID), ...result }] : events;
  }
}
