/**
 * One supervised local agent: its child process, its protocol stream, its registry
 * record and its restart policy. The Supervisor owns a set of these.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type {
  AgentLine,
  ExitReason,
  LastExit,
  ProtocolErrorCode,
  Supervision,
  SupervisionState,
  SwitchyardLine,
} from '../../shared/agent-protocol.js';
import { PROTOCOL_VERSION } from '../../shared/agent-protocol.js';
import type { AgentInfo, AgentStatus } from '../../shared/domain.js';
import { ownershipOf } from '../../shared/ownership.js';
import type { RegistrationInput } from '../registry/types.js';
import { spawnAgentProcess, settlesWithin } from './agent-process.js';
import { AgentRecord } from './agent-record.js';
import { agentEnvironment } from './child-env.js';
import type { SplitResult } from './line-splitter.js';
import { excerpt, parseAgentLine } from './line-splitter.js';
import { LogRing } from './log-ring.js';
import type { LoadedManifest } from './manifest-store.js';
import { launchSpec } from './manifest-store.js';
import { signalGroup } from './process-group.js';
import { RestartPolicy } from './restart-policy.js';
import type { AgentHost } from './supervision-types.js';

export class SupervisedAgent {
  readonly type: string;
  private state: SupervisionState = 'stopped';
  private child: ChildProcess | undefined;
  private pid: number | null = null;
  private instanceId = '';
  private startedAt = 0;
  private lastSeen = 0;
  private unresponsive = false;
  private pendingReason: ExitReason | undefined;
  private restarts = 0;
  private lastExit: LastExit | null = null;
  private nextRestartAt: number | null = null;
  private restartTimer: NodeJS.Timeout | undefined;
  private selfStatus: AgentStatus = 'idle';
  private capabilities: string[];
  private readonly policy: RestartPolicy;
  private readonly record: AgentRecord;
  private exitWaiters: (() => void)[] = [];

  constructor(
    private readonly loaded: LoadedManifest,
    readonly name: string,
    readonly repo: string,
    private readonly host: AgentHost,
    readonly log: LogRing = new LogRing(500),
  ) {
    this.type = loaded.manifest.type;
    this.capabilities = [...loaded.manifest.capabilities];
    this.policy = new RestartPolicy(host.timings);
    this.record = new AgentRecord(host.registry, { repo, name }, (message) => this.note('error', message));
  }

  /** Neither stopped nor given up: it runs, starts, stops or waits to restart. */
  isLive(): boolean {
    return this.state !== 'stopped' && this.state !== 'crash-loop';
  }

  /** The supervision summary the UI reads from metadata.supervision. */
  supervision(): Supervision {
    return { state: this.state, pid: this.pid, restarts: this.restarts, lastExit: this.lastExit, nextRestartAt: this.nextRestartAt };
  }

  /** A manual start: forgets the restart history and starts the process. */
  async start(): Promise<void> {
    if (this.isLive()) return;
    this.policy.reset();
    this.restarts = 0;
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
    if (!this.child || (this.state !== 'starting' && this.state !== 'running') || this.unresponsive) return;
    const { intervalMs, failureThreshold, autoRestart } = this.loaded.manifest.healthCheck;
    const silentFor = now - this.lastSeen;
    if (silentFor <= intervalMs * failureThreshold) return;
    this.unresponsive = true;
    this.note('warn', `no heartbeat for ${silentFor} ms (limit ${intervalMs * failureThreshold} ms): unreachable`);
    this.publish('unreachable');
    if (autoRestart) {
      this.pendingReason = 'unresponsive';
      signalGroup(this.child, this.pid, 'SIGKILL');
    }
  }

  /**
   * Stops the agent: `shutdown` and end of stdin, SIGTERM to its group after the grace,
   * SIGKILL after the bound. Resolves once the process has exited.
   */
  async stop(reason = 'stopped by the user'): Promise<void> {
    this.clearRestartTimer();
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
    const grace = this.host.timings.stopGraceMs ?? this.loaded.manifest.healthCheck.timeoutMs;
    if (await settlesWithin(exited, grace)) return;
    this.note('warn', `still running ${grace} ms after shutdown: SIGTERM`);
    signalGroup(this.child, this.pid, 'SIGTERM');
    if (await settlesWithin(exited, this.host.timings.killAfterMs)) return;
    this.note('warn', `still running after SIGTERM: SIGKILL`);
    signalGroup(this.child, this.pid, 'SIGKILL');
    await exited;
  }

  /** Synchronous last resort when the app itself is exiting. */
  killNow(): void {
    this.clearRestartTimer();
    signalGroup(this.child, this.pid, 'SIGKILL');
  }

  private async launch(): Promise<boolean> {
    const spec = launchSpec(this.loaded);
    const { manifest } = this.loaded;
    this.instanceId = randomUUID();
    this.state = 'starting';
    this.nextRestartAt = null;
    this.unresponsive = false;
    this.pendingReason = undefined;
    this.selfStatus = 'idle';
    this.capabilities = [...manifest.capabilities];
    const env = agentEnvironment(
      {
        name: this.name,
        type: this.type,
        repo: this.repo,
        instanceId: this.instanceId,
        heartbeatIntervalMs: manifest.healthCheck.intervalMs,
        maxConcurrentTasks: manifest.maxConcurrentTasks,
        config: manifest.config,
      },
      manifest.env,
    );
    const result = await spawnAgentProcess(spec, env, {
      onStdout: (r) => this.onStdout(r),
      onStderr: (text) => this.log.add(this.host.clock.now(), 'stderr', 'info', text),
      onExit: (child, code, signal) => this.onExit(child, code, signal),
      onError: (error) => this.note('error', `process error: ${error.message}`),
    });
    if (!result.ok) {
      this.onSpawnFailed(result.error);
      return false;
    }
    this.onSpawned(result.child);
    return true;
  }

  private onSpawned(child: ChildProcess): void {
    this.child = child;
    this.pid = child.pid ?? null;
    this.startedAt = this.host.clock.now();
    this.lastSeen = this.startedAt;
    this.note('info', `process ${this.pid} started`);
    this.register();
  }

  private onSpawnFailed(error: Error): void {
    this.note('error', `could not start: ${error.message}`);
    this.child = undefined;
    this.pid = null;
    this.afterExit({ code: null, signal: null, reason: 'spawn-failed', at: this.host.clock.now(), detail: error.message }, 0);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    const now = this.host.clock.now();
    // Helpers the agent forked must not outlive it.
    signalGroup(undefined, this.pid, 'SIGKILL');
    this.child = undefined;
    this.pid = null;
    const stopping = this.state === 'stopping';
    const reason: ExitReason = stopping ? 'stopped' : (this.pendingReason ?? (signal ? 'signal' : 'exited'));
    const detail = signal ? `killed by ${signal}` : `exit code ${code}`;
    this.note(reason === 'stopped' ? 'info' : 'warn', `process exited (${detail})`);
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    this.afterExit({ code, signal, reason, at: now, detail }, now - this.startedAt);
    waiters.forEach((resolve) => resolve());
  }

  private afterExit(exit: LastExit, uptimeMs: number): void {
    this.lastExit = exit;
    if (exit.reason === 'stopped' || !this.loaded.manifest.healthCheck.autoRestart) {
      this.finish('stopped', 'terminated');
      return;
    }
    const decision = this.policy.onExit(exit.at, uptimeMs);
    if (decision.action === 'give-up') {
      const { maxRestarts, intensityWindowMs } = this.host.timings;
      this.lastExit = {
        ...exit,
        reason: 'crash-loop',
        detail: `${maxRestarts} restarts within ${Math.round(intensityWindowMs / 1000)} s; last: ${exit.detail ?? exit.reason}`,
      };
      this.note('error', `crash loop: ${this.lastExit.detail}; not restarting`);
      this.finish('crash-loop', 'terminated');
      return;
    }
    this.state = 'backoff';
    this.restarts += 1;
    this.nextRestartAt = exit.at + decision.delayMs;
    this.note('info', `restart ${this.restarts} in ${decision.delayMs} ms`);
    this.publish('unreachable');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.launch();
    }, decision.delayMs);
  }

  private finish(state: 'stopped' | 'crash-loop', status: AgentStatus): void {
    this.state = state;
    this.nextRestartAt = null;
    this.publish(status);
  }

  private onStdout(result: SplitResult): void {
    if (result.kind === 'too-long') {
      this.protocolError('line-too-long', `a ${result.bytes}-byte line exceeds the line limit and was dropped`);
      return;
    }
    const parsed = parseAgentLine(result.text);
    if (!parsed.ok) {
      this.protocolError(parsed.code, parsed.message, parsed.ref);
      return;
    }
    this.onLine(parsed.line);
  }

  private onLine(line: AgentLine): void {
    const now = this.host.clock.now();
    switch (line.type) {
      case 'hello': {
        if (line.protocol !== PROTOCOL_VERSION) {
          this.protocolError('unsupported-protocol', `protocol ${line.protocol} is not supported; this Switchyard speaks ${PROTOCOL_VERSION}`);
          return;
        }
        if (line.name !== undefined && line.name !== this.name) {
          this.protocolError('name-mismatch', `this agent is "${this.name}" (set by its manifest), not "${line.name}"`);
        }
        if (line.capabilities) this.capabilities = [...new Set([...this.capabilities, ...line.capabilities])].slice(0, 64);
        this.alive(now);
        this.register();
        this.write({
          type: 'welcome',
          protocol: PROTOCOL_VERSION,
          name: this.name,
          repo: this.repo,
          instanceId: this.instanceId,
          heartbeatIntervalMs: this.loaded.manifest.healthCheck.intervalMs,
        });
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
        this.host.outbound({ repo: this.repo, name: this.name }, line);
        return;
    }
  }

  /** A heartbeat or hello: the agent is alive, and running once it has said so. */
  private alive(now: number): void {
    this.lastSeen = now;
    const wasStarting = this.state === 'starting';
    const wasUnresponsive = this.unresponsive;
    this.unresponsive = false;
    if (wasStarting) this.state = 'running';
    if (wasStarting || wasUnresponsive) this.publish(this.selfStatus);
  }

  private protocolError(code: ProtocolErrorCode, message: string, ref?: string): void {
    this.log.add(this.host.clock.now(), 'protocol', 'warn', `${code}: ${message}`);
    this.write({ type: 'error', code, message, ...(ref ? { ref } : {}) });
  }

  private registration(): RegistrationInput {
    const { manifest } = this.loaded;
    return {
      name: this.name,
      type: this.type,
      location: 'local',
      ownership: ownershipOf(this.type),
      repo: this.repo,
      owner: this.host.owner,
      endpoint: `stdio:${this.pid ?? ''}`,
      instanceId: this.instanceId,
      capabilities: this.capabilities,
      load: { current: 0, max: manifest.maxConcurrentTasks },
      // heartbeatIntervalMs: the registry's own sweep then judges this agent by its manifest.
      metadata: { supervision: this.supervision(), heartbeatIntervalMs: manifest.healthCheck.intervalMs },
      status: this.selfStatus,
    };
  }

  private register(): void {
    this.record.register(this.registration());
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
    if (!this.child) return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.nextRestartAt = null;
  }

  /** The registry record, when there is one. */
  info(): AgentInfo | undefined {
    return this.record.get();
  }
}
