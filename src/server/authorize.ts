/**
 * The coordinator's authorization rules, pure so they can be tested without NATS.
 *
 * - Repos are isolated: an identity reaches only the repos its entry names.
 * - Repo-owned agents (the team's) are registered and changed by admins only.
 * - User-owned agents change only by their owner, admins included (DESIGN §8).
 * - Task agents change by their owner or an admin.
 */
import type { AgentInfo, Ownership } from '../shared/domain.js';
import { NameConflict, NotAllowed } from '../shared/errors.js';
import type { Identity } from './identities.js';

/** Throws NotAllowed unless the identity may use the repo at all. */
export function assertRepoAccess(identity: Identity, repo: string, served: ReadonlySet<string> | undefined): void {
  if (served && !served.has(repo)) throw new NotAllowed(`this coordinator does not serve repo "${repo}"`);
  if (!identity.repos.includes('*') && !identity.repos.includes(repo)) {
    throw new NotAllowed(`user "${identity.user}" has no access to repo "${repo}"`);
  }
}

/** Throws NotAllowed unless the identity may create an agent of this ownership. */
export function assertMayCreate(identity: Identity, ownership: Ownership, name: string, requireUserPrefix: boolean): void {
  if (ownership === 'repo' && identity.role !== 'admin') {
    throw new NotAllowed(`only admins register repo-owned agents; "${name}" is repo-owned`);
  }
  if (ownership === 'user' && requireUserPrefix && !name.startsWith(`${identity.user}.`)) {
    throw new NotAllowed(`user-owned agents of "${identity.user}" must be named "${identity.user}.<name>"`);
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
