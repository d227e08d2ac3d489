/**
 * Makes this desktop's local agents visible to the team: registers them with the
 * coordinator (tagged with this desktop's id), deregisters them when they go, and
 * heartbeats them on their behalf while the local supervisor says they are alive.
 *
 * It follows the registry's change feed, so it needs no hook in the supervisor or the
 * gateway; after every (re)connect it registers them all again (registration is
 * idempotent on instanceId).
 */
import type { NatsConnection } from 'nats.ws';
import { DESKTOP_TAG, DeregisterReply, RegisterReply } from '../../shared/coordinator-protocol.js';
import type { RegisterRequestInput } from '../../shared/coordinator-protocol.js';
import type { AgentInfo } from '../../shared/domain.js';
import { registryKey, subjects } from '../../shared/nats-subjects.js';
import { wireName } from '../../shared/wire-names.js';
import type { AgentRegistry } from '../registry/index.js';
import { CoordinatorError, coordinatorRequest, publishHeartbeat } from './coordinator-client.js';
import type { LinkProblem } from './link-problems.js';
import { registrationProblem } from './link-problems.js';

export interface LocalPublisherOptions {
  repo: string;
  desktopId: string;
  registry: AgentRegistry;
  token: string | undefined;
  heartbeatIntervalMs: number;
  log: (message: string) => void;
  /** The credential's NATS user: our agents go on the wire as `<user>.<name>` (wire-names.ts). */
  user?: string;
  /** A refusal the user should see (the link shows it as the connection's last error). */
  onProblem?: (problem: string) => void;
  /** The same refusals (and a later success) as data, for the problem centre. */
  onRegistration?: (event: Extract<LinkProblem, { kind: 'refused' | 'registered' }>) => void;
}

const LIVE = new Set(['active', 'idle', 'busy']);

/** The fields that matter to the team; a change in any of them is a re-registration. */
function registrationOf(info: AgentInfo, desktopId: string, user: string | undefined): RegisterRequestInput {
  return {
    name: wireName(user, info.name),
    type: info.type,
    location: 'local',
    ownership: info.ownership,
    endpoint: info.endpoint,
    instanceId: info.instanceId,
    capabilities: info.capabilities,
    tags: { ...info.tags, [DESKTOP_TAG]: desktopId },
    load: info.load,
    metadata: info.metadata,
    status: LIVE.has(info.status) ? (info.status as 'active' | 'idle' | 'busy') : 'active',
  };
}

export class LocalPublisher {
  private nc: NatsConnection | undefined;
  /** What we last registered per key, to tell a re-registration from a heartbeat. */
  private readonly registered = new Map<string, string>();
  /**
   * Every local agent a registration was queued for. A removal checks this, not
   * `registered`: the agent may go while its registration is still in flight (another
   * desktop can see the KV write before our reply arrives), and its deregistration,
   * queued behind it, must still be sent.
   */
  private readonly known = new Set<string>();
  /** Registrations that failed for a passing reason (no coordinator yet, timeout): retried each tick. */
  private readonly retry = new Set<string>();
  /** What the coordinator refused per key: not asked again until the agent changes or the link reconnects. */
  private readonly refused = new Map<string, string>();
  private readonly stopFeed: () => void;
  private readonly timer: ReturnType<typeof setInterval>;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: LocalPublisherOptions) {
    this.stopFeed = options.registry.onChange((batch) => {
      for (const info of batch.upserts) if (this.isOurs(info)) this.queueSync(info);
      for (const ref of batch.removals) {
        const key = registryKey(ref.repo, ref.name);
        if (ref.repo === options.repo && this.known.has(key)) {
          this.known.delete(key);
          this.enqueue(() => this.deregister(ref.name));
        }
      }
    });
    this.timer = setInterval(() => this.heartbeatAll(), options.heartbeatIntervalMs);
    this.timer.unref?.();
  }

  private isOurs(info: AgentInfo): boolean {
    return info.repo === this.options.repo && info.location === 'local' && info.tags[DESKTOP_TAG] === undefined;
  }

  private queueSync(info: AgentInfo): void {
    this.known.add(registryKey(info.repo, info.name));
    this.enqueue(() => this.sync(info));
  }

  /** Requests go one at a time, in feed order, so a register never overtakes its deregister. */
  private enqueue(task: () => Promise<void>): void {
    this.chain = this.chain.then(task).catch((error: unknown) => this.options.log(`local agent sync failed: ${String(error)}`));
  }

  /** A new connection: register everything local again. */
  attach(nc: NatsConnection): Promise<void> {
    this.nc = nc;
    this.registered.clear();
    this.retry.clear();
    this.refused.clear();
    for (const info of this.options.registry.discover({ repo: this.options.repo, location: 'local' })) {
      if (this.isOurs(info)) this.queueSync(info);
    }
    return this.chain;
  }

  detach(): void {
    this.nc = undefined;
  }

  private async sync(info: AgentInfo): Promise<void> {
    const key = registryKey(info.repo, info.name);
    if (!LIVE.has(info.status)) {
      if (info.status === 'terminated' && this.registered.has(key)) {
        this.known.delete(key);
        await this.deregister(info.name);
      }
      return;
    }
    const registration = registrationOf(info, this.options.desktopId, this.options.user);
    const fingerprint = JSON.stringify({ ...registration, load: undefined, status: undefined });
    if (this.registered.get(key) === fingerprint || this.refused.get(key) === fingerprint) return;
    const nc = this.nc;
    if (!nc) return;
    try {
      await coordinatorRequest(nc, subjects.register(info.repo), registration, this.options.token, RegisterReply);
      this.registered.set(key, fingerprint);
      this.retry.delete(key);
      this.refused.delete(key);
      this.options.onRegistration?.({ kind: 'registered', agent: info.name });
    } catch (error) {
      // A refusal (NotAllowed, NameConflict, ValidationError) stands until the agent changes;
      // anything else (no responders, a timeout) is retried on the next tick.
      if (error instanceof CoordinatorError) {
        this.retry.delete(key);
        this.refused.set(key, fingerprint);
        this.options.onProblem?.(registrationProblem(info.name, registration.name, error));
        this.options.onRegistration?.({ kind: 'refused', agent: info.name, wire: registration.name, error: { name: error.name, message: error.message } });
      } else this.retry.add(key);
      this.options.log(`could not register local agent ${info.name}: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }

  private async deregister(name: string): Promise<void> {
    const key = registryKey(this.options.repo, name);
    this.registered.delete(key);
    this.retry.delete(key);
    this.refused.delete(key);
    // A passing failure (no responders during a coordinator restart) gets a few more tries;
    // if all fail, the coordinator's sweep retires the silent record anyway.
    for (let attempt = 0; attempt < 3; attempt++) {
      const nc = this.nc;
      if (!nc) return;
      try {
        await coordinatorRequest(nc, subjects.deregister(this.options.repo), { name: wireName(this.options.user, name) }, this.options.token, DeregisterReply);
        // One agent fewer may make room under a quota: refused ones are asked again on the next tick.
        for (const refused of this.refused.keys()) this.retry.add(refused);
        this.refused.clear();
        return;
      } catch (error) {
        this.options.log(`could not deregister local agent ${name}: ${String(error)}`);
        if (error instanceof CoordinatorError) return;
        await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
      }
    }
  }

  /** Heartbeats every registered local agent the local registry still holds alive. */
  heartbeatAll(): void {
    const nc = this.nc;
    if (!nc || nc.isClosed()) return;
    for (const key of this.retry) {
      const info = this.options.registry.get({ repo: this.options.repo, name: key.slice(this.options.repo.length + 1) });
      this.retry.delete(key);
      if (info) this.queueSync(info);
    }
    for (const key of this.registered.keys()) {
      const name = key.slice(this.options.repo.length + 1);
      const info = this.options.registry.get({ repo: this.options.repo, name });
      if (!info || !LIVE.has(info.status)) continue;
      publishHeartbeat(
        nc,
        subjects.heartbeat(info.repo, wireName(this.options.user, info.name)),
        { instanceId: info.instanceId, load: info.load, status: info.status },
        this.options.token,
      );
    }
  }

  /** Resolves when queued registrations are done (tests). */
  idle(): Promise<void> {
    return this.chain;
  }

  close(): void {
    this.stopFeed();
    clearInterval(this.timer);
    this.nc = undefined;
  }
}
