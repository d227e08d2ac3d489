/**
 * Which repo core answers a contract call on a desktop of several repos.
 *
 * The rule (docs/configuration.md, Several repos): a call whose input names a `repo`
 * goes to that repo's core; a call without one goes to the primary, except the list
 * calls of the all-repos board, which every core answers and the desktop merges, and
 * the look-ups by a desktop-wide id (a trace, an approval, a task), which go to the
 * core that holds it.
 */
import type { CallName } from '../../shared/contract.js';

/** Without a repo, every core answers and the answers are merged (merge-results.ts). */
export const MERGED_CALLS = [
  'agents.list',
  'traces.query',
  'approvals.list',
  'conversation.get',
  'usage.summary',
  'problems.list',
  'problems.dismiss',
  'tasks.list',
  'context.list',
] as const satisfies readonly CallName[];
export type MergedCall = (typeof MERGED_CALLS)[number];

/**
 * Without a repo, asked of each core in turn (primary first) until one holds the id:
 * answered non-null, or failed with something other than its not-found error.
 */
export const FOUND_CALLS = {
  'traces.get': null,
  'approvals.answer': 'ApprovalNotFound',
  'tasks.get': null,
  'tasks.cancel': 'TaskNotFound',
} as const satisfies Partial<Record<CallName, string | null>>;
export type FoundCall = keyof typeof FOUND_CALLS;

/**
 * Calls whose `repo` says which core's local agents to act on. Sent to a core, they act
 * in that core's repo whatever they name, so a repo this desktop does not work in is
 * refused rather than answered by the primary (stopping its agent of the same name).
 */
export const REPO_BOUND_CALLS = new Set<CallName>([
  'agents.start',
  'agents.stop',
  'agents.restart',
  'agents.scale',
  'agents.logs',
  'agents.metrics',
]);

export function isMergedCall(call: CallName): call is MergedCall {
  return (MERGED_CALLS as readonly string[]).includes(call);
}

export function isFoundCall(call: CallName): call is FoundCall {
  return Object.hasOwn(FOUND_CALLS, call);
}

/** The repo a parsed input names, if any (`agents.select` names it inside its query). */
export function repoNamedBy(call: CallName, input: unknown): string | undefined {
  const holder = call === 'agents.select' ? field(input, 'query') : input;
  const repo = field(holder, 'repo');
  return typeof repo === 'string' ? repo : undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
