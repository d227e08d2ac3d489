/**
 * Register, deregister and heartbeat as the coordinator applies them: identity checked,
 * owner taken from the identity, record written with compare-and-set.
 */
import type { Clock } from '../core/clock.js';
import type { DeregisterReply, DeregisterRequest, HeartbeatReply, HeartbeatRequest, RegisterRequest } from '../shared/coordinator-protocol.js';
import type { AgentInfo, AgentStatus } from '../shared/domain.js';
import { NoSuchAgent, NotAllowed } from '../shared/errors.js';
import type { RegistrationRules } from './authorize.js';
import { assertAgentQuota, assertMayChange, assertMayRegister, assertMayReplace, assertMetadataQuota, assertRepoAccess } from './authorize.js';
import type { QuotaSettings } from './config.js';
import { quotaFor } from './config.js';
import type { Identity } from './identities.js';
import type { QuotaQueue } from './quota-queue.js';
import type { RegistryStore } from './registry-store.js';

export interface OpsContext {
  store: RegistryStore;
  clock: Clock;
  /** Repos this coordinator serves; undefined serves every repo. */
  served: ReadonlySet<string> | undefined;
  rules: RegistrationRules;
  quotas: QuotaSettings;
  /** Orders one user's quota check and write after the previous ones (quota-queue.ts). */
  quotaQueue?: QuotaQueue;
}

/** How many agents `user` holds (not terminated, across repos), leaving out `except` (`<repo>.<name>`). */
export function agentsHeldBy(store: RegistryStore, user: string, except?: { repo: string; name: string }): number {
  let held = 0;
  for (const { info } of store.all()) {
    if (info.owner !== user || info.status === 'terminated') continue;
    if (except && info.repo === except.repo && info.name === except.name) continue;
    held++;
  }
  return held;
}

export async function registerAgent(ctx: OpsContext, identity: Identity, repo: string, request: RegisterRequest): Promise<AgentInfo> {
  assertRepoAccess(identity, repo, ctx.served);
  const ownership = assertMayRegister(identity, request, ctx.rules);
  const quota = quotaFor(ctx.quotas, identity.user);
  assertMetadataQuota(request.metadata, quota);
  const write = () => ctx.store.mutate(repo, request.name, (current) => {
    if (current) assertMayReplace(identity, current.info, request.instanceId);
    assertAgentQuota(identity.user, agentsHeldBy(ctx.store, identity.user, { repo, name: request.name }), quota);
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
  const written = ctx.quotaQueue ? await ctx.quotaQueue.run(identity.user, write) : await write();
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
