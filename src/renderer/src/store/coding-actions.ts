/**
 * The store's coding actions: what the core's coding events and the first loads after a
 * (re)connect write (through {@link codingBuffer}, flushed with the rest once a frame),
 * and the writes of the person's own actions (open a conversation, answer an approval),
 * which land at once.
 */
import type { ApprovalView } from '../../../shared/coding-contract.js';
import type { SwitchyardApi } from '../../../shared/contract.js';
import { applyApprovalChanges, countPending } from '../model/approvals.js';
import { MAX_CONVERSATION_ENTRIES, mergeEntries } from '../model/conversation.js';
import { useAppStore } from './app-store.js';
import { CodingBuffer } from './coding-buffer.js';
import { notifyEntries } from './web-notifications.js';

export const codingBuffer = new CodingBuffer();

/**
 * Subscribes to the coding events; `request` asks for a frame. Appended entries may
 * raise a notification at once (not a frame later): `open` shows the agent on a click.
 */
export function subscribeCoding(api: SwitchyardApi, request: () => void, open: (peer: string) => void): (() => void)[] {
  return [
    api.onConversationAppended(({ entries }) => {
      codingBuffer.pushEntries(entries, (peer) => useAppStore.getState().conversations.has(peer));
      notifyEntries(entries, open);
      request();
    }),
    api.onApprovalsChanged(({ changed }) => {
      codingBuffer.pushApprovalChanges(changed);
      request();
    }),
    api.onUsageChanged(({ agent, repo, totals }) => {
      codingBuffer.pushUsageChanged(repo, agent, totals);
      request();
    }),
  ];
}

/**
 * The approvals and the usage per agent after a (re)connect. A core without coding
 * agents (or one that refuses) leaves both empty: the rest of the app works on.
 */
export function loadCodingState(api: SwitchyardApi, request: () => void): void {
  api.approvals.list().then(
    (approvals) => {
      codingBuffer.pushApprovalSnapshot(approvals);
      request();
    },
    (error: unknown) => console.warn('switchyard: approvals.list failed:', error),
  );
  api.usage.summary().then(
    (summary) => {
      codingBuffer.pushUsageSnapshot(summary.byAgent);
      request();
    },
    (error: unknown) => console.warn('switchyard: usage.summary failed:', error),
  );
}

/**
 * Holds the conversation with `peer` from now on and fetches it; entries that arrive
 * meanwhile merge with the answer by message id, so none is lost or doubled.
 */
export async function openConversation(api: SwitchyardApi, peer: string): Promise<void> {
  useAppStore.setState((state) =>
    state.conversations.has(peer) ? {} : { conversations: new Map(state.conversations).set(peer, []) },
  );
  const entries = await api.conversation.get({ peer, limit: MAX_CONVERSATION_ENTRIES });
  useAppStore.setState((state) => ({
    conversations: new Map(state.conversations).set(peer, mergeEntries(state.conversations.get(peer) ?? [], entries)),
  }));
}

/** Records an answered approval at once (its `approvals.changed` event follows and agrees). */
export function recordApproval(approval: ApprovalView): void {
  useAppStore.setState((state) => {
    const approvals = applyApprovalChanges(state.approvals, [approval]);
    return { approvals, approvalsPending: countPending(approvals) };
  });
}
