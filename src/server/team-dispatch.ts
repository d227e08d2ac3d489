/**
 * Role dispatch for the coordinator's own agents (docs/routing.md, "Dispatch on the
 * coordinator").
 *
 * A team agent's `send` to `type:x`, `capability:x` or `*` is resolved here against the
 * team registry (the coordinator's KV cache) with the desktop's pure rules: chooseInstance
 * over the registry's records, with the load a WorkloadLedger counts from what the team
 * runner publishes and delivers. The sender is never its own pick. The choice and its
 * reason are logged (the coordinator keeps no traces).
 *
 * When no instance is free, the message is parked: FIFO per target, bounded, until its
 * ttl (or PARK_TTL_MS) runs out, and tried again whenever the registry changes (a worker
 * registering, a heartbeat lowering a load) or the ledger closes a task. `parked()` says
 * how many messages wait per target: what a spawn rule reads as "queued tasks".
 */
import type { RoleCandidate, RoleContext } from '../core/router/index.js';
import { WorkloadLedger, chooseInstance, newMessageId, taskIdOf } from '../core/router/index.js';
import { isLive } from '../core/registry/index.js';
import type { Fanout } from '../shared/dispatch.js';
import { parseTarget } from '../shared/dispatch.js';
import type { ParsedTarget } from '../shared/dispatch.js';
import type { AgentInfo, RoutedMessage } from '../shared/domain.js';
import type { QueueDepth } from '../shared/tasks.js';
import type { Logger } from './log.js';

/** A parked message waits at most this long when it carries no ttl of its own. */
export const PARK_TTL_MS = 10 * 60_000;
/** At most this many messages wait per target; a send beyond it is refused (logged). */
export const PARK_LIMIT = 256;

/** The coordinator is the host; every instance it can reach over NATS counts as reachable. */
const CONTEXT: Omit<RoleContext, 'exclude'> = { hostLocation: 'remote', hybridEnabled: true, linkUp: true };

export interface TeamDispatchOptions {
  /** The team registry's current records (all repos). */
  agents(): Iterable<AgentInfo>;
  /** Publishes a message whose `to` is one agent's name. */
  publish(message: RoutedMessage, sender: string): Promise<void>;
  log: Logger;
  now(): number;
}

interface Parked {
  message: RoutedMessage;
  sender: string;
  expiresAt: number;
}

/** What became of a role send. */
export type DispatchOutcome =
  | { status: 'sent'; to: string[]; reason: string }
  | { status: 'parked'; waiting: number; reason: string }
  | { status: 'refused'; reason: string };

export class TeamDispatch {
  private readonly ledger = new WorkloadLedger();
  /** `<repo>\u0000<target>` → messages waiting, oldest first. */
  private readonly queues = new Map<string, Parked[]>();
  private draining = false;
  private again = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: TeamDispatchOptions) {}

  /** Counts a message published or delivered by the team runner (opens and closes tasks). */
  observe(message: RoutedMessage): void {
    const before = this.ledger.count(message.repo, message.from);
    this.ledger.observe(message);
    // A task closed: its assignee may take a parked one now.
    if (this.ledger.count(message.repo, message.from) < before) this.retry();
  }

  /**
   * Sends `message` (whose `to` is a role or `*`) to the chosen instance(s).
   * `fanout: "all"` and `*` reach every live instance once; one instance otherwise, parked when none is free.
   */
  async dispatch(message: RoutedMessage, fanout: Fanout | undefined, sender: string): Promise<DispatchOutcome> {
    const target = parseTarget(message.to);
    if (target.kind === 'name') throw new Error(`${message.to} is an agent's name, not a role`);
    if (target.kind === 'all' || fanout === 'all') return this.broadcast(message, target, sender);
    const outcome = await this.sendOne(message, target, sender);
    if (outcome) return outcome;
    return this.park(message, sender);
  }

  /** Messages waiting per target in a repo (`{ target: "capability:task", queued: 2 }`): "queued tasks" for a spawn rule. */
  parked(repo: string): QueueDepth[] {
    const depths: QueueDepth[] = [];
    for (const [key, queue] of this.queues) {
      const [queueRepo, target] = key.split('\u0000') as [string, string];
      if (queueRepo === repo && queue.length > 0) depths.push({ target, queued: queue.length });
    }
    return depths;
  }

  /** Messages an agent of `type` offering `capabilities` could take: parked for its type or one of its capabilities. */
  queuedFor(repo: string, type: string, capabilities: readonly string[]): number {
    let total = 0;
    for (const { target, queued } of this.parked(repo)) {
      const parsed = parseTarget(target);
      if ((parsed.kind === 'type' && parsed.type === type) || (parsed.kind === 'capability' && capabilities.includes(parsed.capability))) total += queued;
    }
    return total;
  }

  /** Called when what parked() returns changes (a spawn rule re-evaluates). */
  onParkedChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tries the parked messages again, oldest first per target; drops the expired. Call it when the registry changes. */
  retry(): void {
    if (this.queues.size === 0) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = true;
    void this.drain()
      .catch((error: unknown) => this.options.log.warn('retrying parked messages failed', { error: String(error) }))
      .finally(() => {
        this.draining = false;
        if (this.again) {
          this.again = false;
          this.retry();
        }
      });
  }

  private async drain(): Promise<void> {
    let changed = false;
    for (const [key, queue] of this.queues) {
      while (queue.length > 0) {
        const head = queue[0]!;
        if (head.expiresAt <= this.options.now()) {
          queue.shift();
          changed = true;
          this.options.log.warn('a parked message expired: no instance became free', { repo: head.message.repo, from: head.message.from, target: head.message.to, id: head.message.id });
          continue;
        }
        const outcome = await this.sendOne(head.message, parseTarget(head.message.to), head.sender);
        if (!outcome) break;
        queue.shift();
        changed = true;
      }
      if (queue.length === 0) this.queues.delete(key);
    }
    if (changed) this.changed();
  }

  private park(message: RoutedMessage, sender: string): DispatchOutcome {
    const key = `${message.repo}\u0000${message.to}`;
    const queue = this.queues.get(key) ?? [];
    if (queue.length >= PARK_LIMIT) {
      const reason = `no instance of ${message.to} is free and ${PARK_LIMIT} messages already wait for one`;
      this.options.log.warn('refused a role send', { repo: message.repo, from: message.from, target: message.to, id: message.id, reason });
      return { status: 'refused', reason };
    }
    queue.push({ message, sender, expiresAt: message.timestamp + (message.ttlMs ?? PARK_TTL_MS) });
    this.queues.set(key, queue);
    const reason = `no instance of ${message.to} is free; queued (${queue.length} waiting)`;
    this.options.log.info('parked a role send', { repo: message.repo, from: message.from, target: message.to, id: message.id, taskId: taskIdOf(message.body), reason });
    this.changed();
    return { status: 'parked', waiting: queue.length, reason };
  }

  /** One instance, or undefined when none is free now. */
  private async sendOne(message: RoutedMessage, target: ParsedTarget, sender: string): Promise<DispatchOutcome | undefined> {
    const candidates = this.candidates(message.repo, target);
    const choice = chooseInstance(candidates, { ...CONTEXT, exclude: new Set([message.from]) });
    if (!choice.chosen) return undefined;
    const { name: to, location } = choice.chosen.agent;
    const routed = { ...message, to, route: { ...message.route, destLocation: location } };
    this.options.log.info('dispatched', { repo: message.repo, from: message.from, target: message.to, to, id: message.id, taskId: taskIdOf(message.body), reason: choice.reason });
    this.ledger.observe(routed);
    try {
      await this.options.publish(routed, sender);
    } catch (error) {
      this.ledger.release(routed.repo, to, taskIdOf(routed.body) ?? routed.id);
      throw error;
    }
    return { status: 'sent', to: [to], reason: choice.reason };
  }

  private async broadcast(message: RoutedMessage, target: ParsedTarget, sender: string): Promise<DispatchOutcome> {
    const recipients = this.candidates(message.repo, target)
      .map((c) => c.agent)
      .filter((agent) => agent.name !== message.from && isLive(agent.status));
    const reason = `broadcast to ${message.to}: ${recipients.length} live instance${recipients.length === 1 ? '' : 's'}`;
    this.options.log.info('broadcast', { repo: message.repo, from: message.from, target: message.to, to: recipients.map((a) => a.name), reason });
    // One copy per recipient, each its own message id, all on the sender's trace.
    for (const [index, agent] of recipients.entries()) {
      const copy = { ...message, to: agent.name, route: { ...message.route, destLocation: agent.location }, id: index === 0 ? message.id : newMessageId(this.options.now()) };
      this.ledger.observe(copy);
      await this.options.publish(copy, sender);
    }
    return { status: 'sent', to: recipients.map((a) => a.name), reason };
  }

  private candidates(repo: string, target: ParsedTarget): RoleCandidate[] {
    const found: RoleCandidate[] = [];
    for (const agent of this.options.agents()) {
      if (agent.repo !== repo || !matches(agent, target)) continue;
      // Its open tasks died with it; a restarted instance starts empty.
      if (agent.status === 'terminated' || agent.status === 'unreachable') this.ledger.forget(agent.repo, agent.name);
      found.push({ agent, load: this.ledger.load(agent), location: agent.location, placedAt: agent.location, backlogged: false });
    }
    return found;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function matches(agent: AgentInfo, target: ParsedTarget): boolean {
  switch (target.kind) {
    case 'all':
      return true;
    case 'type':
      return agent.type === target.type;
    case 'capability':
      return agent.capabilities.includes(target.capability);
    case 'name':
      return agent.name === target.name;
  }
}
