/**
 * One line that says what a Claude Code tool use does (`Write src/a.ts`,
 * `Bash: npm test`), for the live transcript and the approval request. Claude Code's
 * tools take plain JSON inputs; the SDK types them per tool (sdk-tools.d.ts) but hands
 * `canUseTool` and tool_use blocks an untyped record, so each field is read with a check.
 */
import { isAbsolute, relative } from 'node:path';

/** The longest summary: TranscriptEvent and ApprovalRequestedBody allow 512. */
export const SUMMARY_MAX = 200;

/** Newlines and runs of spaces become one space; anything past `max` becomes "…". */
export function oneLine(text: string, max = SUMMARY_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function field(input: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = input[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** A path inside the working folder is shown relative to it; one outside stays absolute. */
function shownPath(path: string, cwd: string | undefined): string {
  if (cwd === undefined || !isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

const PATH_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'Read', 'NotebookEdit', 'NotebookRead']);
const COLON_TOOLS: Record<string, string[]> = {
  Bash: ['command'],
  Task: ['description', 'prompt'],
  Agent: ['description', 'prompt'],
  WebSearch: ['query'],
};
const SPACE_TOOLS: Record<string, string[]> = {
  Glob: ['pattern'],
  Grep: ['pattern'],
  WebFetch: ['url'],
  LS: ['path'],
};

/** The one-line summary of a tool use; unknown tools show their first string input, else the tool's name. */
export function toolSummary(tool: string, input: Record<string, unknown>, cwd?: string): string {
  if (PATH_TOOLS.has(tool)) {
    const path = field(input, 'file_path', 'notebook_path', 'path');
    return oneLine(path === undefined ? tool : `${tool} ${shownPath(path, cwd)}`);
  }
  const colon = COLON_TOOLS[tool];
  if (colon) {
    const value = field(input, ...colon);
    return oneLine(value === undefined ? tool : `${tool}: ${value}`);
  }
  const space = SPACE_TOOLS[tool];
  if (space) {
    const value = field(input, ...space);
    return oneLine(value === undefined ? tool : `${tool} ${value}`);
  }
  if (tool === 'TodoWrite' && Array.isArray(input.todos)) return `TodoWrite (${input.todos.length} items)`;
  const first = Object.values(input).find((value): value is string => typeof value === 'string' && value !== '');
  return oneLine(first === undefined ? tool : `${tool} ${first}`);
}
