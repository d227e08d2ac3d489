/**
 * One transaction per registry operation, with its revision and its announcements.
 *
 * The revision advances by one for each operation that changed something, inside the
 * operation's transaction, so the rows stamped with it (and, for deletions, the persisted
 * floor) commit together. Changes reach the feed only after the commit: a rolled-back operation is
 * never announced.
 */
import type { Database } from 'better-sqlite3';
import type { AgentInfo } from '../../shared/domain.js';
import type { AgentRef } from '../../shared/registry-query.js';
import type { AgentStore } from './agent-store.js';
import type { ChangeFeed } from './change-feed.js';

/** What an operation sees of its transaction. */
export interface WriteTx {
  /** The revision this operation's changes carry (the next one; taken only if used). */
  readonly revision: number;
  upserted(agent: AgentInfo): void;
  removed(ref: AgentRef): void;
  /** Records that remote revision `revision` has been applied. */
  remoteApplied(revision: number): void;
}

/** Runs operations as transactions and keeps the revisions they commit. */
export class RegistryWriter {
  private revision: number;
  private remoteRevision: number;

  constructor(
    private readonly db: Database,
    private readonly store: AgentStore,
    private readonly feed: ChangeFeed,
  ) {
    this.revision = store.committedRevision();
    this.remoteRevision = store.state('remote_revision');
  }

  currentRevision(): number {
    return this.revision;
  }

  currentRemoteRevision(): number {
    return this.remoteRevision;
  }

  run<T>(work: (tx: WriteTx) => T): T {
    const changes: Array<{ agent: AgentInfo } | { ref: AgentRef }> = [];
    const next = this.revision + 1;
    let remote = this.remoteRevision;
    const tx: WriteTx = {
      revision: next,
      upserted: (agent) => changes.push({ agent }),
      removed: (ref) => changes.push({ ref }),
      remoteApplied: (revision) => {
        remote = Math.max(remote, revision);
      },
    };
    const result = this.db.transaction(() => {
      const value = work(tx);
      // Changed records carry `next` themselves; only a deletion needs the floor written,
      // which keeps registrations and heartbeats to the pages of their own rows.
      if (changes.some((change) => 'ref' in change)) this.store.setState('revision', next);
      if (remote !== this.remoteRevision) this.store.setState('remote_revision', remote);
      return value;
    })();
    if (changes.length > 0) this.revision = next;
    this.remoteRevision = remote;
    // In the order they happened: the feed keeps the last word per ref.
    for (const change of changes) {
      if ('agent' in change) this.feed.upserted(change.agent);
      else this.feed.removed(change.ref);
    }
    return result;
  }
}
