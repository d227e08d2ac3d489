/**
 * One supervised local agent: its child process, its protocol stream, its registry
 * record and its restart policy. The Supervisor owns a set of these.
 *
 * The pieces that need no process live beside it: the handshake (agent-handshake.ts),
 * heartbeats (heartbeat-watch.ts), restarts (restart-scheduler.ts), the bounded stop
 * (stop-escalation.ts) and the registry record (agent-registration.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { AgentLine, ExitReason, LastExit, ProtocolErrorCode, Supervision, SupervisionState, SwitchyardLine } from '../../shared/agent-protocol.js';
import type { AgentInfo, AgentStatus } from '../../shared/domain.js';
import type { RegistrationInput } from '../registry/index.js';
import { spawnAgentProcess } from './agent-process.js';
import type { AgentRun, StartSettings } from './agent-handshake.js';
import { judgeHello, readStdout, runEnvironment, welcomeFor } from './agent-handshake.js';
import { AgentRecord } from './agent-record.js';
import { agentRegistration } from './agent-registration.js';
import type { SplitResult } from './line-splitter.js';
import { excerpt } from './line-splitter.js';
import { LogRing } from './log-ring.js';
import type { LoadedManifest } from './manifest-store.js';
import { launchSpec } from './manifest-store.js';
import { signalGroup } from './process-group.js';
import { HeartbeatWatch } from './heartbeat-watch.js';
import { RestartScheduler, exitRecord } from './restart-scheduler.js';
import { escalateStop } from './stop-escalation.js';
import { makeStateDir } from './agent-state-dir.js';
import type { AgentHost } from './supervision-types.js';

export class SupervisedAgent {
  readonly type: string;
  private state: SupervisionState = 'stopped';
  private child: ChildProcess | undefined;
  private pid: number | null = null;
  private instanceId = '';
  private startedAt = 0;
  private readonly health = new HeartbeatWatch();
  private pendingReason: ExitReason | undefined;
  private lastExit: LastExit | null = null;
  private selfStatus: AgentStatus = 'idle';
  private capabilities: string[];
  private readonly restart: RestartScheduler;
  private readonly record: AgentRecord;
  private exitWaiters: (() => void)[] = [];
  private stateDir: string | undefined;

  constructor(
    private readonly loaded: LoadedManifest,
    readonly name: string,
    readonly repo: string,
    private readonly host: AgentHost,
    readonly log: LogRing = new LogRing(500),
    /** The workspace and isolation `agents.start` gave; every run (and restart) gets them. */
    readonly settings: StartSettings = {},
  ) {
    this.type = loaded.manifest.type;
    this.capabilities = [...loaded.manifest.capabilities];
    this.restart = new RestartScheduler(host.clock, host.timings);
    this.record = new AgentRecord(host.registry, { repo, name }, (message) => this.note('error', message));
  }

  /** Neither stopped nor given up: it runs, starts, stops or waits to restart. */
  isLive(): boolean {
    return this.state !== 'stopped' && this.state !== 'crash-loop';
  }

  /** The supervision summary the UI reads from metadata.supervision. */
  supervision(): Supervision {
    const { restarts, nextRestartAt } = this.restart;
    return { state: this.state, pid: this.pid, restarts, lastExit: this.lastExit, nextRestartAt };
  }

  /** A manual start: forgets the restart history and starts the process. */
  async start(): Promise<void> {
    if (this.isLive()) return;
    this.restart.reset();
    this.note('info', `starting ${this.type} as "${this.name}"`);
    const started = await this.launch();
    if (!started) throw new Error(this.lastExit?.detail ?? 'the agent could not be started');
  }

  /** Writes one line to the agent; false when it has no running process to take it. */
  write(line: SwitchyardLine): boolean {
    if (this.state !== 'starting' && this.state !== 'running') return false;
    return this.writeRaw(line);
  }

  /** Writes to stdin whatever the state: `shutdown` goes out while the agent is already stopping. */
  private writeRaw(line: SwitchyardLine): boolean {
    const stdin = this.child?.stdin;
    if (!stdin || !stdin.writable) return false;
    stdin.write(`${JSON.stringify(line)}\n`);
    return true;
  }

  /** Marks the agent unreachable after missed heartbeats; kills it for a restart when allowed. */
  checkHealth(now: number): void {
    if (!this.child || (this.state !== 'starting' && this.state !== 'running')) return;
    const warning = this.health.overdue(now, this.loaded.manifest.healthCheck);
    if (warning === undefined) return;
    this.note('warn', warning);
    this.publish('unreachable');
    if (this.loaded.manifest.healthCheck.autoRestart) {
      this.pendingReason = 'unresponsive';
      signalGroup(this.child, this.pid, 'SIGKILL');
    }
  }

  /**
   * Stops the agent: `shutdown` and end of stdin, SIGTERM to its group after the grace,
   * SIGKILL after the bound. Resolves once the process has exited.
   */
  async stop(reason = 'stopped by the user'): Promise<void> {
    this.restart.cancel();
    if (!this.child) {
      if (this.state === 'backoff' || this.state === 'starting') this.finish('stopped', 'terminated');
      return;
    }
    const exited = this.waitForExit();
    if (this.state === 'stopping') return exited;
    this.state = 'stopping';
    this.note('info', `stopping: ${reason}`);
    this.publish(this.selfStatus);
    // Not write(): it refuses lines once the state is `stopping`, and that dropped this one.
    this.writeRaw({ type: 'shutdown', reason });
    this.child.stdin?.end();
    await escalateStop({
      clock: this.host.clock,
      exited,
      graceMs: this.host.timings.stopGraceMs ?? this.loaded.manifest.healthCheck.timeoutMs,
      killAfterMs: this.host.timings.killAfterMs,
      signal: (signal) => signalGroup(this.child, this.pid, signal),
      note: (text) => this.note('warn', text),
    });
  }

  /** Synchronous last resort when the app itself is exiting. */
  killNow(): void {
    this.restart.cancel();
    signalGroup(this.child, this.pid, 'SIGKILL');
  }

  private async launch(): Promise<boolean> {
    const spec = launchSpec(this.loaded);
    this.instanceId = randomUUID();
    this.state = 'starting';
    this.restart.markNotDue();
    this.health.reset(this.host.clock.now());
    this.pendingReason = undefined;
    this.selfStatus = 'idle';
    this.capabilities = [...this.loaded.manifest.capabilities];
    const { stateRoot } = this.host;
    this.stateDir = stateRoot === undefined ? undefined : makeStateDir(stateRoot, this.repo, this.name, (message) => this.note('error', message));
    const result = await spawnAgentProcess(spec, runEnvironment(this.run()), {
      onStdout: (r) => this.onStdout(r),
      onStderr: (text) => this.log.add(this.host.clock.now(), 'stderr', 'info', text),
      onExit: (child, code, signal) => this.onExit(child, code, signal),
      onError: (error) => this.note('error', `process error: ${error.message}`),
    });
    return result.ok ? this.onSpawned(result.child) : this.onSpawnFailed(result.error);
  }

  private onSpawned(child: ChildProcess): true {
    this.child = child;
    this.pid = child.pid ?? null;
    this.startedAt = this.host.clock.now();
    this.health.reset(this.startedAt);
    this.note('info', `process ${this.pid} started`);
    this.record.register(this.registration());
    return true;
  }

  private onSpawnFailed(error: Error): false {
    this.note('error', `could not start: ${error.message}`);
    this.child = undefined;
    this.pid = null;
    this.afterExit({ code: null, signal: null, reason: 'spawn-failed', at: this.host.clock.now(), detail: error.message }, 0);
    return false;
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    const now = this.host.clock.now();
    // Helpers the agent forked must not outlive it.
    signalGroup(undefined, this.pid, 'SIGKILL');
    this.child = undefined;
    this.pid = null;
    const exit = exitRecord(code, signal, now, this.state === 'stopping' ? 'stopped' : this.pendingReason);
    this.note(exit.reason === 'stopped' ? 'info' : 'warn', `process exited (${exit.detail})`);
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    this.afterExit(exit, now - this.startedAt);
    waiters.forEach((resolve) => resolve());
  }

  private afterExit(exit: LastExit, uptimeMs: number): void {
    this.lastExit = exit;
    if (exit.reason === 'stopped' || !this.loaded.manifest.healthCheck.autoRestart) {
      this.finish('stopped', 'terminated');
      return;
    }
    const plan = this.restart.afterExit(exit, uptimeMs, () => void this.launch());
    if (plan.action === 'give-up') {
      this.lastExit = { ...exit, reason: 'crash-loop', detail: plan.detail };
      this.note('error', `crash loop: ${plan.detail}; not restarting`);
      this.finish('crash-loop', 'terminated');
      return;
    }
    this.state = 'backoff';
    this.note('info', `restart ${this.restart.restarts} in ${plan.delayMs} ms`);
    this.publish('unreachable');
  }

  private finish(state: 'stopped' | 'crash-loop', status: AgentStatus): void {
    this.state = state;
    this.restart.markNotDue();
    this.publish(status);
  }

  private onStdout(result: SplitResult): void {
    const parsed = readStdout(result);
    if (parsed.ok) this.onLine(parsed.line);
    else this.protocolError(parsed.code, parsed.message, parsed.ref);
  }

  private onLine(line: AgentLine): void {
    const now = this.host.clock.now();
    switch (line.type) {
      case 'hello': {
        const verdict = judgeHello(line, this.name);
        if (verdict.refuse !== undefined) return this.protocolError('unsupported-protocol', verdict.refuse);
        if (verdict.warn !== undefined) this.protocolError('name-mismatch', verdict.warn);
        if (line.capabilities) this.capabilities = [...new Set([...this.capabilities, ...line.capabilities])].slice(0, 64);
        this.alive(now);
        this.record.register(this.registration());
        this.write(welcomeFor(this.run()));
        return;
      }
      case 'heartbeat':
        this.alive(now);
        this.record.heartbeat(line.load, this.selfStatus);
        return;
      case 'status':
        this.selfStatus = line.status;
        this.publish(line.status);
        return;
      case 'log':
        this.log.add(now, 'agent', line.level, line.message);
        return;
      case 'send':
      case 'spawn':
        return this.host.outbound({ repo: this.repo, name: this.name }, line);
      case 'context.set':
      case 'context.get':
      case 'context.watch': {
        // Replies reach this run only: a watch of an earlier run ends at its next change.
        const run = this.instanceId;
        return this.host.context({ repo: this.repo, name: this.name }, line, (reply) => run === this.instanceId && this.write(reply));
      }
    }
  }

  /** A heartbeat or hello: the agent is alive, and running once it has said so. */
  private alive(now: number): void {
    const wasUnresponsive = this.health.heard(now);
    const wasStarting = this.state === 'starting';
    if (wasStarting) this.state = 'running';
    if (wasStarting || wasUnresponsive) this.publish(this.selfStatus);
  }

  private protocolError(code: ProtocolErrorCode, message: string, ref?: string): void {
    this.log.add(this.host.clock.now(), 'protocol', 'warn', `${code}: ${message}`);
    this.write({ type: 'error', code, message, ...(ref ? { ref } : {}) });
  }

  private registration(): RegistrationInput {
    const { pid, capabilities, selfStatus: status } = this;
    return agentRegistration({ ...this.run(), owner: this.host.owner, pid, capabilities, supervision: this.supervision(), status });
  }

  private run(): AgentRun {
    const { loaded, name, repo, instanceId, settings, stateDir } = this;
    const { approver } = this.host;
    return { loaded, name, repo, instanceId, settings, ...(stateDir ? { stateDir } : {}), ...(approver !== undefined ? { approver } : {}) };
  }

  /** Writes status and supervision state to the registry, so `agents.changed` carries them. */
  private publish(status: AgentStatus): void {
    // An agent that failed before it ever registered is registered now, so the UI can show why.
    const failed = this.state === 'backoff' || this.state === 'crash-loop' || this.state === 'stopped';
    this.record.publish(status, { supervision: this.supervision() }, failed ? () => this.registration() : undefined);
  }

  private note(level: 'info' | 'warn' | 'error', text: string): void {
    this.log.add(this.host.clock.now(), 'supervisor', level, excerpt(text, 1000));
  }

  private waitForExit(): Promise<void> {
    return this.child ? new Promise((resolve) => this.exitWaiters.push(resolve)) : Promise.resolve();
  }

  /** The registry record, when there is one. */
  info(): AgentInfo | undefined {
    return this.record.get();
  }
}
