/**
 * The coding agents' part of the live buffer: conversation entries, approval changes and
 * usage totals wait here between frames and reach the store in the same one update per
 * frame as the agents and traces (actions.ts `flushLive`).
 *
 * It folds like the rest: approvals and usage by key (the newest wins), entries by
 * message id and only for conversations the window holds, at most a conversation's
 * worth per agent, so a hidden window's buffer stays bounded.
 */
import type { ApprovalView, ConversationEntry, UsageSummary, UsageTotals } from '../../../shared/coding-contract.js';
import { applyApprovalChanges, countPending } from '../model/approvals.js';
import { MAX_CONVERSATION_ENTRIES, mergeEntries } from '../model/conversation.js';
import type { CodingSlice } from './slices.js';

/** The store's key of an agent's usage: `${repo}/${agent}`, as the agents map. */
export function usageKey(repo: string, agent: string): string {
  return `${repo}/${agent}`;
}

export interface CodingBatch {
  entries: Map<string, Map<string, ConversationEntry>>;
  approvalSnapshot: ApprovalView[] | null;
  approvalChanges: Map<string, ApprovalView>;
  usageSnapshot: UsageSummary['byAgent'] | null;
  usageChanges: Map<string, UsageTotals>;
}

function emptyBatch(): CodingBatch {
  return { entries: new Map(), approvalSnapshot: null, approvalChanges: new Map(), usageSnapshot: null, usageChanges: new Map() };
}

export class CodingBuffer {
  private batch = emptyBatch();

  /** Appended entries; `held` says which conversations the window holds (others are fetched when opened). */
  pushEntries(entries: readonly ConversationEntry[], held: (peer: string) => boolean): void {
    for (const entry of entries) {
      if (!held(entry.peer)) continue;
      let perPeer = this.batch.entries.get(entry.peer);
      if (!perPeer) this.batch.entries.set(entry.peer, (perPeer = new Map()));
      perPeer.delete(entry.messageId);
      perPeer.set(entry.messageId, entry);
      if (perPeer.size > MAX_CONVERSATION_ENTRIES) perPeer.delete(perPeer.keys().next().value as string);
    }
  }

  /** The answer of `approvals.list`: replaces what came before it. */
  pushApprovalSnapshot(approvals: ApprovalView[]): void {
    this.batch.approvalSnapshot = approvals;
    this.batch.approvalChanges = new Map();
  }

  pushApprovalChanges(changed: readonly ApprovalView[]): void {
    for (const approval of changed) this.batch.approvalChanges.set(approval.approvalId, approval);
  }

  pushUsageSnapshot(byAgent: UsageSummary['byAgent']): void {
    this.batch.usageSnapshot = byAgent;
    this.batch.usageChanges = new Map();
  }

  pushUsageChanged(repo: string, agent: string, totals: UsageTotals): void {
    this.batch.usageChanges.set(usageKey(repo, agent), totals);
  }

  get isEmpty(): boolean {
    const b = this.batch;
    return b.entries.size === 0 && b.approvalSnapshot === null && b.approvalChanges.size === 0 && b.usageSnapshot === null && b.usageChanges.size === 0;
  }

  take(): CodingBatch {
    const batch = this.batch;
    this.batch = emptyBatch();
    return batch;
  }
}

/** What a batch changes in the coding slice; untouched parts are left out (and keep their identity). */
export function applyCodingBatch(state: CodingSlice, batch: CodingBatch): Partial<CodingSlice> {
  const patch: Partial<CodingSlice> = {};
  if (batch.entries.size > 0) {
    const conversations = new Map(state.conversations);
    for (const [peer, entries] of batch.entries) {
      const current = conversations.get(peer);
      if (current) conversations.set(peer, mergeEntries(current, [...entries.values()]));
    }
    patch.conversations = conversations;
  }
  if (batch.approvalSnapshot !== null || batch.approvalChanges.size > 0) {
    const base = batch.approvalSnapshot !== null ? applyApprovalChanges(new Map(), batch.approvalSnapshot) : state.approvals;
    const approvals = applyApprovalChanges(base, [...batch.approvalChanges.values()]);
    patch.approvals = approvals;
    patch.approvalsPending = countPending(approvals);
  }
  if (batch.usageSnapshot !== null || batch.usageChanges.size > 0) {
    const usage =
      batch.usageSnapshot !== null
        ? new Map(batch.usageSnapshot.map(({ agent, repo, ...totals }) => [usageKey(repo, agent), totals] as const))
        : new Map(state.usageByAgent);
    for (const [key, totals] of batch.usageChanges) usage.set(key, totals);
    patch.usageByAgent = usage;
  }
  return patch;
}
