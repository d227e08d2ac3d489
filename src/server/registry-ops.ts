/**
 * Register, deregister and heartbeat as the coordinator applies them: identity checked,
 * owner taken from the identity, record written with compare-and-set.
 */
import type { Clock } from '../core/clock.js';
import type { DeregisterReply, DeregisterRequest, HeartbeatReply, HeartbeatRequest, RegisterRequest } from '../shared/coordinator-protocol.js';
import type { AgentInfo, AgentStatus } from '../shared/domain.js';
import { NoSuchAgent, NotAllowed } from '../shared/errors.js';
import { ownershipOf } from '../shared/ownership.js';
import { assertMayChange, assertMayCreate, assertMayReplace, assertRepoAccess } from './authorize.js';
import type { Identity } from './identities.js';
import type { RegistryStore } from './registry-store.js';

export interface OpsContext {
  store: RegistryStore;
  clock: Clock;
  /** Repos this coordinator serves; undefined serves every repo. */
  served: ReadonlySet<string> | undefined;
  requireUserPrefix: boolean;
}

export async function registerAgent(ctx: OpsContext, identity: Identity, repo: string, request: RegisterRequest): Promise<AgentInfo> {
  assertRepoAccess(identity, repo, ctx.served);
  const ownership = request.ownership ?? ownershipOf(request.type);
  assertMayCreate(identity, ownership, request.name, ctx.requireUserPrefix);
  const written = await ctx.store.mutate(repo, request.name, (current) => {
    if (current) assertMayReplace(identity, current.info, request.instanceId);
    const now = ctx.clock.now();
    const sameInstance = current?.info.instanceId === request.instanceId;
    return {
      put: {
        name: request.name,
        type: request.type,
        location: request.location,
        ownership,
        repo,
        owner: identity.user,
        endpoint: request.endpoint,
        instanceId: request.instanceId,
        registeredAt: sameInstance && current ? current.info.registeredAt : now,
        lastHeartbeat: now,
        status: request.status,
        capabilities: request.capabilities,
        tags: request.tags,
        load: request.load,
        metadata: request.metadata,
        revision: 0,
      },
    };
  });
  return written!;
}

export async function deregisterAgent(
  ctx: OpsContext,
  identity: Identity,
  repo: string,
  request: DeregisterRequest,
): Promise<DeregisterReply> {
  assertRepoAccess(identity, repo, ctx.served);
  let removed = false;
  await ctx.store.mutate(repo, request.name, (current) => {
    removed = false;
    if (!current) return { keep: true };
    assertMayChange(identity, current.info);
    // A stale instance must not remove the record of the instance that replaced it.
    if (request.instanceId !== undefined && request.instanceId !== current.info.instanceId) return { keep: true };
    removed = true;
    return { delete: true };
  });
  return { removed };
}

/** Statuses after a heartbeat: a heartbeat proves life, so the sweep's verdicts are lifted. */
function statusAfterHeartbeat(current: AgentStatus, reported: HeartbeatRequest['status']): AgentStatus {
  if (reported) return reported;
  return current === 'unreachable' || current === 'terminated' ? 'active' : current;
}

export async function heartbeatAgent(
  ctx: OpsContext,
  identity: Identity,
  repo: string,
  name: string,
  request: HeartbeatRequest,
): Promise<HeartbeatReply> {
  assertRepoAccess(identity, repo, ctx.served);
  const written = await ctx.store.mutate(repo, name, (current) => {
    if (!current) throw new NoSuchAgent(repo, name);
    assertMayChange(identity, current.info);
    if (request.instanceId !== undefined && request.instanceId !== current.info.instanceId) {
      throw new NotAllowed(`instance ${request.instanceId} no longer holds "${name}"; register again`);
    }
    return {
      put: {
        ...current.info,
        lastHeartbeat: ctx.clock.now(),
        status: statusAfterHeartbeat(current.info.status, request.status),
        load: request.load ?? current.info.load,
      },
    };
  });
  return { status: written!.status, lastHeartbeat: written!.lastHeartbeat };
}
