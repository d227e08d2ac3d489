/**
 * The coordinator's authorization rules, pure so they can be tested without NATS.
 *
 * - Repos are isolated: an identity reaches only the repos its entry names.
 * - Ownership comes from the type (ownershipOf), never from the request.
 * - Repo-owned agents (the team's) are registered and changed by admins only; the
 *   names and types of the team agents a coordinator runs are reserved for it.
 * - A member's agent names are its own: a dotted name starts with the member's user
 *   (`alice.x`), and with requireUserPrefix every name must.
 * - What marks a record as a coordinator's own (the `<instance>/` instance-id prefix,
 *   the `coordinator` and `spawnedBy` tags) never comes from a request.
 * - User-owned agents change only by their owner, admins included (docs/coordinator.md).
 * - Task agents change by their owner or an admin.
 */
import type { AgentInfo, Ownership } from '../shared/domain.js';
import { NameConflict, NotAllowed, QuotaExceeded, ValidationError } from '../shared/errors.js';
import { ownershipOf } from '../shared/ownership.js';
import type { Identity } from './identities.js';

/** Tags only a coordinator writes: a record carrying them is a coordinator's own. */
export const RESERVED_TAGS: readonly string[] = ['coordinator', 'spawnedBy'];

/** What a registration is checked against, from the coordinator's config and instance. */
export interface RegistrationRules {
  requireUserPrefix: boolean;
  /** The team agents' names (= types) the coordinator's config lists: members cannot register them. */
  teamAgents: ReadonlySet<string>;
  /** The coordinator's own instance-id prefix, `<instance>/`. */
  instancePrefix: string;
}

/** The parts of a registration the rules look at. */
export interface RegistrationClaim {
  name: string;
  type: string;
  instanceId: string;
  tags: Record<string, string>;
  /** What the request said, if anything; it must agree with the type. */
  ownership?: Ownership | undefined;
}

/**
 * The ownership of a registration, decided from its type.
 *
 * The request's `ownership` field decides nothing: when present it must agree, or the
 * request is a ValidationError (so a client that believes otherwise hears about it).
 */
export function ownershipOfClaim(claim: Pick<RegistrationClaim, 'type' | 'ownership'>): Ownership {
  const ownership = ownershipOf(claim.type);
  if (claim.ownership !== undefined && claim.ownership !== ownership) {
    throw new ValidationError('register request', [
      { path: 'ownership', message: `type "${claim.type}" is ${ownership}-owned; the coordinator decides ownership from the type` },
    ]);
  }
  return ownership;
}

/** Throws NotAllowed unless the identity may register this claim at all (before any record is read). */
export function assertMayRegister(identity: Identity, claim: RegistrationClaim, rules: RegistrationRules): Ownership {
  const ownership = ownershipOfClaim(claim);
  if (claim.instanceId.startsWith(rules.instancePrefix)) {
    throw new NotAllowed(`instance ids starting with "${rules.instancePrefix}" belong to this coordinator's own agents`);
  }
  const reserved = RESERVED_TAGS.filter((tag) => tag in claim.tags);
  if (reserved.length > 0) throw new NotAllowed(`the tags ${reserved.map((t) => `"${t}"`).join(', ')} are set by coordinators only`);
  assertMayCreate(identity, ownership, claim.name, rules.requireUserPrefix);
  if (identity.role !== 'admin' && (rules.teamAgents.has(claim.name) || rules.teamAgents.has(claim.type))) {
    throw new NotAllowed(`"${rules.teamAgents.has(claim.name) ? claim.name : claim.type}" is a team agent of this coordinator; members cannot register it`);
  }
  return ownership;
}

/** Throws NotAllowed unless the identity may use the repo at all. */
export function assertRepoAccess(identity: Identity, repo: string, served: ReadonlySet<string> | undefined): void {
  if (served && !served.has(repo)) throw new NotAllowed(`this coordinator does not serve repo "${repo}"`);
  if (!identity.repos.includes('*') && !identity.repos.includes(repo)) {
    throw new NotAllowed(`user "${identity.user}" has no access to repo "${repo}"`);
  }
}

/**
 * Throws NotAllowed unless the identity may create an agent of this ownership and name.
 *
 * Admins are not bound by the name rules (they register the team's agents). For a
 * member, the part of a name before its first dot is a user prefix: it must be the
 * member's own, and with requireUserPrefix every name — user-owned or task — needs it.
 */
export function assertMayCreate(identity: Identity, ownership: Ownership, name: string, requireUserPrefix: boolean): void {
  if (ownership === 'repo' && identity.role !== 'admin') {
    throw new NotAllowed(`only admins register repo-owned agents; "${name}" is repo-owned`);
  }
  if (identity.role === 'admin') return;
  const dot = name.indexOf('.');
  if (dot >= 0 && name.slice(0, dot) !== identity.user) {
    throw new NotAllowed(`"${name}" is in user "${name.slice(0, dot)}"'s prefix; "${identity.user}" names agents "${identity.user}.<name>"`);
  }
  if (requireUserPrefix && dot < 0) {
    throw new NotAllowed(`agents of "${identity.user}" must be named "${identity.user}.<name>"`);
  }
}

/** Per-identity limits (docs/coordinator.md, `quotas`). */
export interface Quota {
  metadataBytes: number;
  agentsPerUser: number;
}

const encoder = new TextEncoder();

/** Throws QuotaExceeded when the metadata, as JSON, is over the identity's limit. */
export function assertMetadataQuota(metadata: Record<string, unknown>, quota: Quota): void {
  const bytes = encoder.encode(JSON.stringify(metadata)).length;
  if (bytes > quota.metadataBytes) {
    throw new QuotaExceeded('metadataBytes', quota.metadataBytes, `metadata is ${bytes} bytes; the limit is ${quota.metadataBytes}`);
  }
}

/**
 * Throws QuotaExceeded when one more agent would put the user over its limit.
 *
 * `held` counts the user's records that are not terminated, across repos, without the
 * one being replaced (a re-registration is not one more).
 */
export function assertAgentQuota(user: string, held: number, quota: Quota): void {
  if (held >= quota.agentsPerUser) {
    throw new QuotaExceeded('agentsPerUser', quota.agentsPerUser, `user "${user}" already has ${held} agents; the limit is ${quota.agentsPerUser}`);
  }
}

/** Throws NotAllowed unless the identity may change (re-register, heartbeat, remove) an existing record. */
export function assertMayChange(identity: Identity, existing: AgentInfo): void {
  switch (existing.ownership) {
    case 'repo':
      if (identity.role !== 'admin') throw new NotAllowed(`only admins change repo-owned agent "${existing.name}"`);
      return;
    case 'user':
      if (existing.owner !== identity.user) {
        throw new NotAllowed(`agent "${existing.name}" belongs to another user`);
      }
      return;
    case 'task':
      if (existing.owner !== identity.user && identity.role !== 'admin') {
        throw new NotAllowed(`task agent "${existing.name}" belongs to another user`);
      }
      return;
  }
}

/**
 * Decides whether a registration may replace an existing record of the same name.
 *
 * The same instance re-registering is an update (idempotent on instanceId). Another
 * instance takes the name over only when the record is terminated or already the
 * caller's (an owner restarting their agent); otherwise the name is held: NameConflict.
 */
export function assertMayReplace(identity: Identity, existing: AgentInfo, instanceId: string): void {
  if (existing.instanceId === instanceId) {
    assertMayChange(identity, existing);
    return;
  }
  if (existing.status === 'terminated') return;
  if (existing.owner === identity.user || existing.ownership === 'repo') {
    assertMayChange(identity, existing);
    return;
  }
  throw new NameConflict(existing.repo, existing.name);
}
