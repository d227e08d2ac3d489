/**
 * The registry's own writes: register, heartbeat, setStatus, deregister.
 *
 * Each takes input that has already been parsed and runs as one transaction through
 * the writer, so a failure (a NameConflict, an unknown agent) leaves nothing behind.
 */
import type { AgentInfo, AgentLoad, AgentStatus } from '../../shared/domain.js';
import { NameConflict, NoSuchAgent } from '../../shared/errors.js';
import { ownershipOf } from '../../shared/ownership.js';
import type { AgentRef } from '../../shared/registry-query.js';
import type { AgentStore } from './agent-store.js';
import type { ParsedRegistration } from './registry-input.js';
import type { RegistryWriter, WriteTx } from './registry-writer.js';
import type { AgentRow } from './row-mapping.js';
import { agentToParams, rowToAgent } from './row-mapping.js';
import { isLive } from './selection.js';

/** What the local writes need. */
export interface WriteContext {
  store: AgentStore;
  writer: RegistryWriter;
}

/**
 * Registers an agent, idempotently on its instanceId.
 *
 * - Same name, same instanceId: the record is updated in place; registeredAt is kept.
 * - Same name, another instanceId, holder live (active, idle, busy): NameConflict.
 * - Same name, another instanceId, holder unreachable or terminated: the newcomer takes
 *   the name over; it is a new registration, so registeredAt starts again.
 * - Same instanceId under another name, same repo and type: the instance renamed
 *   itself; its old record is removed and the new one keeps the old registeredAt. (A
 *   different repo or type is a different agent: the old record lives on until it is
 *   deregistered or swept. Keeping the lookup inside (repo, type) lets one index serve
 *   it and discovery, which keeps each registration a page lighter.)
 */
export function registerAgent(ctx: WriteContext, reg: ParsedRegistration, now: number): AgentInfo {
  return ctx.writer.run((tx) => {
    const existing = ctx.store.find(reg.repo, reg.name);
    if (existing && existing.instance_id !== reg.instanceId && isLive(existing.status)) {
      throw new NameConflict(reg.repo, reg.name);
    }
    let registeredAt = existing && existing.instance_id === reg.instanceId ? existing.registered_at : now;
    for (const previous of ctx.store.findByInstance(reg.repo, reg.type, reg.instanceId)) {
      if (previous.id === existing?.id) continue;
      registeredAt = Math.min(registeredAt, previous.registered_at);
      ctx.store.delete(previous.id);
      tx.removed({ repo: previous.repo, name: previous.name });
    }
    const agent = agentOf(reg, registeredAt, now, tx.revision);
    const statusChangedAt = existing && existing.status === agent.status ? existing.status_changed_at : now;
    ctx.store.write(agentToParams(agent, tx.revision, statusChangedAt, false), existing);
    tx.upserted(agent);
    return agent;
  });
}

/** The record a registration writes, each optional field at its default. */
function agentOf(reg: ParsedRegistration, registeredAt: number, now: number, revision: number): AgentInfo {
  return {
    name: reg.name,
    type: reg.type,
    location: reg.location,
    ownership: reg.ownership ?? ownershipOf(reg.type),
    repo: reg.repo,
    owner: reg.owner,
    endpoint: reg.endpoint ?? '',
    instanceId: reg.instanceId,
    registeredAt,
    lastHeartbeat: now,
    status: reg.status ?? 'active',
    capabilities: [...new Set(reg.capabilities ?? [])],
    tags: reg.tags ?? {},
    load: reg.load ?? { current: 0, max: 0 },
    metadata: reg.metadata ?? {},
    revision,
  };
}

/** The status a heartbeat leaves an agent in when it does not name one. */
function statusAfterHeartbeat(row: AgentRow): AgentStatus {
  // A heartbeat proves the agent alive: undo what the sweep concluded from its silence.
  // A termination someone asked for (setStatus) stays until the agent re-registers.
  if (row.status === 'unreachable' || (row.status === 'terminated' && row.swept === 1)) return 'active';
  return row.status;
}

/** Records a heartbeat: now as lastHeartbeat, and the load and status if given. */
export function recordHeartbeat(
  ctx: WriteContext,
  ref: AgentRef,
  now: number,
  load: AgentLoad | undefined,
  status: AgentStatus | undefined,
): AgentInfo {
  return update(ctx, ref, now, false, (row) => ({
    lastHeartbeat: now,
    load: load ?? { current: row.load_current, max: row.load_max },
    status: status ?? statusAfterHeartbeat(row),
  }));
}

/** Sets an agent's status; `metadata` is merged key by key into what it has. */
export function changeStatus(
  ctx: WriteContext,
  ref: AgentRef,
  now: number,
  status: AgentStatus,
  metadata: Record<string, unknown> | undefined,
  checkMetadata: (merged: Record<string, unknown>) => Record<string, unknown>,
): AgentInfo {
  return update(ctx, ref, now, true, (_row, current) => ({
    status,
    metadata: metadata ? checkMetadata({ ...current.metadata, ...metadata }) : current.metadata,
  }));
}

/** Deletes an agent's record; false when there was none. */
export function deregisterAgent(ctx: WriteContext, ref: AgentRef): boolean {
  return ctx.writer.run((tx) => {
    const existing = ctx.store.find(ref.repo, ref.name);
    if (!existing) return false;
    ctx.store.delete(existing.id);
    tx.removed({ repo: ref.repo, name: ref.name });
    return true;
  });
}

/**
 * Reads, changes and writes back one record.
 *
 * A remote record keeps the remote revision it carries, so a later applyRemote still
 * compares against the coordinator's numbering; the local revision still advances.
 * `explicit` says a caller chose the status, which clears the sweep's mark.
 */
function update(
  ctx: WriteContext,
  ref: AgentRef,
  now: number,
  explicit: boolean,
  change: (row: AgentRow, current: AgentInfo) => Partial<AgentInfo>,
): AgentInfo {
  return ctx.writer.run((tx: WriteTx) => {
    const row = ctx.store.find(ref.repo, ref.name);
    if (!row) throw new NoSuchAgent(ref.repo, ref.name);
    const current = rowToAgent(row);
    const agent: AgentInfo = {
      ...current,
      ...change(row, current),
      revision: row.location === 'remote' ? row.revision : tx.revision,
    };
    const statusChanged = agent.status !== row.status;
    const swept = !explicit && !statusChanged && row.swept === 1;
    ctx.store.writeLiveness(agentToParams(agent, tx.revision, statusChanged ? now : row.status_changed_at, swept), row.id);
    tx.upserted(agent);
    return agent;
  });
}
