/**
 * Calls without a repo that more than one repo core answers: the merged lists of the
 * all-repos board and the look-ups by a desktop-wide id (call-scope.ts says which).
 */
import type { CallInput, CallName, CallOutput } from '../../shared/contract.js';
import type { Core } from '../core.js';
import { DEFAULT_CONVERSATION_LIMIT } from '../participant/index.js';
import type { FoundCall, MergedCall } from './call-scope.js';
import { FOUND_CALLS } from './call-scope.js';
import {
  mergeAgents,
  mergeApprovals,
  mergeContext,
  mergeConversation,
  mergeProblems,
  mergeTasks,
  mergeTracePages,
  mergeUsage,
} from './merge-results.js';

function askAll<N extends CallName>(cores: readonly Core[], call: N, input: CallInput<N>): Promise<Array<CallOutput<N>>> {
  return Promise.all(cores.map(async (core) => (await core.handlers[call](input as never)) as CallOutput<N>));
}

/** Every core answers; the answers are merged as one core's would be ordered and cut. */
export async function mergeFromCores(cores: readonly Core[], call: MergedCall, input: unknown): Promise<unknown> {
  switch (call) {
    case 'agents.list': {
      const query = input as CallInput<'agents.list'>;
      return mergeAgents(await askAll(cores, call, query), query);
    }
    case 'traces.query': {
      const query = input as CallInput<'traces.query'>;
      return mergeTracePages(await askAll(cores, call, query), query);
    }
    case 'approvals.list':
      return mergeApprovals(await askAll(cores, call, input as CallInput<'approvals.list'>));
    case 'conversation.get': {
      const query = input as CallInput<'conversation.get'>;
      return mergeConversation(await askAll(cores, call, query), query.limit ?? DEFAULT_CONVERSATION_LIMIT);
    }
    case 'usage.summary':
      return mergeUsage(await askAll(cores, call, input as CallInput<'usage.summary'>));
    case 'problems.list':
      return mergeProblems(await askAll(cores, call, undefined));
    case 'problems.dismiss': {
      // A problem's id names its repo: only its own core holds it, the others count 0.
      const answers = await askAll(cores, call, input as CallInput<'problems.dismiss'>);
      return { dismissed: answers.reduce((sum, answer) => sum + answer.dismissed, 0) };
    }
    case 'tasks.list': {
      const query = input as CallInput<'tasks.list'>;
      return mergeTasks(await askAll(cores, call, query), query);
    }
    case 'context.list': {
      const query = input as CallInput<'context.list'>;
      return mergeContext(await askAll(cores, call, query), query.limit);
    }
  }
}

/**
 * Asks each core in turn, the primary first, until one holds the id: the first
 * non-null answer, or the first failure that is not the call's not-found error. When
 * none holds it, the primary's answer (null, or its not-found error).
 */
export async function findInCores(cores: readonly Core[], call: FoundCall, input: unknown): Promise<unknown> {
  const notFound = FOUND_CALLS[call];
  let first: { value: unknown } | { error: unknown } | undefined;
  for (const core of cores) {
    try {
      const value = await (core.handlers[call] as (input: unknown) => unknown)(input);
      if (value !== null) return value;
      first ??= { value };
    } catch (error) {
      if (notFound === null || !(error instanceof Error) || error.name !== notFound) throw error;
      first ??= { error };
    }
  }
  if (first && 'error' in first) throw first.error;
  return first?.value ?? null;
}
