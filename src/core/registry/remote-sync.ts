/**
 * Applying the remote registry's records to the mirror.
 *
 * The coordinator's registry is a JetStream KV bucket: every record carries the KV
 * revision it was written at, and a watch can resume from the highest revision seen.
 * So a record is applied only when it is newer than the one held, replays and
 * out-of-order deliveries are harmless, and the highest revision applied is persisted.
 */
import type { AgentInfo } from '../../shared/domain.js';
import type { AgentRef } from '../../shared/registry-query.js';
import type { AgentStore } from './agent-store.js';
import type { RegistryWriter } from './registry-writer.js';
import type { AgentRow } from './row-mapping.js';
import { agentToParams } from './row-mapping.js';
import { isLive } from './selection.js';

/**
 * Whether a remote record may replace what the mirror holds under its name.
 *
 * A remote record replaces an older remote one. It never replaces a live local agent:
 * that one runs here and its registration is the truth on this machine (its own echo,
 * same instanceId, included). A local holder that is unreachable or terminated yields,
 * as it would to a local newcomer.
 */
function mayReplace(existing: AgentRow | undefined, record: AgentInfo): boolean {
  if (!existing) return true;
  if (existing.location === 'remote') return record.revision > existing.revision;
  if (existing.instance_id === record.instanceId) return false;
  return !isLive(existing.status);
}

/** Upserts the remote records that are newer than what is held; returns how many. */
export function applyRemoteRecords(
  store: AgentStore,
  writer: RegistryWriter,
  records: readonly AgentInfo[],
  revision: number,
  now: number,
): number {
  return writer.run((tx) => {
    let applied = 0;
    for (const record of records) {
      if (record.location !== 'remote') continue;
      const existing = store.find(record.repo, record.name);
      if (!mayReplace(existing, record)) continue;
      const statusChangedAt = existing && existing.status === record.status ? existing.status_changed_at : now;
      store.write(agentToParams(record, tx.revision, statusChangedAt, false), existing);
      tx.upserted(record);
      applied += 1;
    }
    tx.remoteApplied(revision);
    return applied;
  });
}

/**
 * Removes remote records the remote side deleted at `revision`; returns how many.
 *
 * A record written after the deletion (its revision above `revision`) stays: it is the
 * newer truth. Local records are never removed from here.
 */
export function removeRemoteRecords(
  store: AgentStore,
  writer: RegistryWriter,
  refs: readonly AgentRef[],
  revision: number,
): number {
  return writer.run((tx) => {
    let removed = 0;
    for (const ref of refs) {
      const existing = store.find(ref.repo, ref.name);
      if (!existing || existing.location !== 'remote' || existing.revision > revision) continue;
      store.delete(existing.id);
      tx.removed({ repo: ref.repo, name: ref.name });
      removed += 1;
    }
    tx.remoteApplied(revision);
    return removed;
  });
}
