/**
 * The spawn controller: evaluates spawn rules (spawn-rules.ts) when the task queue or
 * the registry changes, starts one agent per firing rule, and traces each spawn as a row
 * with one `spawned` hop (Traces shows who started what, and why).
 *
 * The desktop runs one for its local agents (rules in settings); the coordinator one for
 * the team (rules in its config file). Neither knows how the other starts agents: `spawn`
 * is given.
 */
import { randomBytes } from 'node:crypto';
import type { SpawnRule } from '../../shared/work-model.js';
import type { Clock } from '../clock.js';
import type { SpawnCounts } from './spawn-rules.js';
import { assertBelowMax, cooldownLeft, rulesToFire } from './spawn-rules.js';

/** Where a spawn is traced: the trace store's open() (src/core/traces/trace-store.ts). */
export interface SpawnTrace {
  open(
    trace: { messageId: string; traceId: string; repo: string; from: string; to: string; kind: string; body?: unknown },
    hop: { where: 'router' | 'coordinator'; event: 'spawned'; at: number; detail: string },
  ): void;
}

export interface SpawnControllerOptions {
  rules: () => readonly SpawnRule[];
  /** Queued tasks per type (not counting those being spawned for). */
  queued: (type: string) => number;
  /** Agents of the type already running. */
  running: (type: string) => number;
  /** Starts one agent of the type; resolves with its name. */
  spawn: (type: string, repo: string) => Promise<string>;
  repo: () => string;
  clock: Clock;
  traces?: SpawnTrace;
  where?: 'router' | 'coordinator';
  log?: (message: string) => void;
}

export class SpawnController {
  private readonly lastFiredAt = new Map<string, number>();
  /** Spawns started and not yet visible in `running`. */
  private readonly starting = new Map<string, number>();
  private evaluating: Promise<string[]> | undefined;
  private again = false;
  private wake: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: SpawnControllerOptions) {}

  private counts(): SpawnCounts {
    return {
      queued: (type) => this.options.queued(type),
      running: (type) => this.options.running(type) + (this.starting.get(type) ?? 0),
    };
  }

  /** Throws SpawnLimitError when an explicit spawn of `type` would pass its rule's max. */
  assertMaySpawn(type: string): void {
    assertBelowMax(this.options.rules(), type, this.counts().running(type));
  }

  /**
   * Evaluates the rules; resolves with the names spawned. A call while a pass runs is
   * folded into one more pass after it, and resolves with that run's spawns.
   */
  evaluate(): Promise<string[]> {
    if (this.closed) return Promise.resolve([]);
    if (this.evaluating) {
      this.again = true;
      return this.evaluating;
    }
    this.evaluating = this.run().finally(() => {
      this.evaluating = undefined;
    });
    return this.evaluating;
  }

  private async run(): Promise<string[]> {
    const spawned: string[] = [];
    do {
      this.again = false;
      const now = this.options.clock.now();
      const firing = rulesToFire(this.options.rules(), this.counts(), this.lastFiredAt, now);
      await Promise.all(
        firing.map(async (rule) => {
          const name = await this.fire(rule, now);
          if (name !== undefined) spawned.push(name);
        }),
      );
    } while (this.again && !this.closed);
    this.wakeAfterCooldown();
    return spawned;
  }

  /** A rule held back only by its cooldown is looked at again when the cooldown ends. */
  private wakeAfterCooldown(): void {
    if (this.closed) return;
    const now = this.options.clock.now();
    const wait = cooldownLeft(this.options.rules(), this.counts(), this.lastFiredAt, now);
    clearTimeout(this.wake);
    if (wait === undefined) return;
    this.wake = setTimeout(() => void this.evaluate(), wait);
    this.wake.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.wake);
  }

  private async fire(rule: SpawnRule, now: number): Promise<string | undefined> {
    const repo = this.options.repo();
    const queued = this.options.queued(rule.type);
    this.lastFiredAt.set(rule.type, now);
    this.starting.set(rule.type, (this.starting.get(rule.type) ?? 0) + 1);
    try {
      const name = await this.options.spawn(rule.type, repo);
      this.options.traces?.open(
        { messageId: spawnTraceId(now), traceId: randomBytes(16).toString('hex'), repo, from: 'spawn-controller', to: name, kind: 'text' },
        {
          where: this.options.where ?? 'router',
          event: 'spawned',
          at: this.options.clock.now(),
          detail: `rule for "${rule.type}": ${queued} queued > ${rule.whenQueuedAbove}, started ${name} (at most ${rule.max})`,
        },
      );
      return name;
    } catch (error) {
      this.options.log?.(`spawn rule for "${rule.type}" could not start an agent: ${(error as Error).message}`);
      return undefined;
    } finally {
      const left = (this.starting.get(rule.type) ?? 1) - 1;
      if (left > 0) this.starting.set(rule.type, left);
      else this.starting.delete(rule.type);
    }
  }
}

function spawnTraceId(now: number): string {
  return `sp-${now.toString(36)}-${randomBytes(6).toString('hex')}`;
}
