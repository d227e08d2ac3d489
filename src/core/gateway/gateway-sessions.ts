/**
 * The external agents known to the gateway, one session per instanceId.
 *
 * A session outlives its connection: when an agent reconnects with the same
 * instanceId it gets its session (and its registration and log) back, and a session
 * whose agent stays away past the health timeout turns unreachable.
 *
 * A session is bound to the connection that said hello. Every client holds the same
 * gateway token, so the token cannot tell agents apart: while that connection is open
 * (and its agent not silent past the health timeout), another connection claiming the
 * same instanceId gets `instance-in-use`, the same name `name-conflict`. Once it has
 * closed, or gone silent, the instanceId (and the name) may be claimed again: that is
 * how an agent reconnects.
 */
import type { WebSocket } from 'ws';
import type { AgentLine, ContextLine, HelloLine, ProtocolErrorCode, SendLine, SpawnLine, SwitchyardLine } from '../../shared/agent-protocol.js';
import { PROTOCOL_VERSION } from '../../shared/agent-protocol.js';
import type { AgentStatus } from '../../shared/domain.js';
import { ownershipOf } from '../../shared/ownership.js';
import type { Clock } from '../clock.js';
import { LogRing } from '../agents/log-ring.js';
import type { AgentRegistryPort } from '../agents/agent-record.js';
import type { ReplyTo } from '../agents/agent-context.js';

/** The type given to an external agent whose hello names none. */
export const DEFAULT_EXTERNAL_TYPE = 'external';

export interface GatewaySession {
  instanceId: string;
  name: string;
  type: string;
  repo: string;
  socket: WebSocket | undefined;
  endpoint: string;
  lastSeen: number;
  disconnectedAt: number | null;
  unreachable: boolean;
  status: AgentStatus;
  capabilities: string[];
  log: LogRing;
}

export interface SessionHost {
  clock: Clock;
  registry: AgentRegistryPort;
  owner: string;
  repo: () => string;
  heartbeatIntervalMs: number;
  failureThreshold: number;
  /** Names the supervisor holds; an external agent cannot take them. */
  isNameReserved(name: string): boolean;
  outbound(from: { repo: string; name: string }, line: SendLine | SpawnLine): void;
  /** A blackboard line (src/core/agents/agent-context.ts). */
  context(from: { repo: string; name: string }, line: ContextLine, reply: ReplyTo): void;
}

/** Why a hello was refused: sent as an `error` line before the socket closes. */
export interface HelloRefusal {
  code: ProtocolErrorCode;
  message: string;
}

export class GatewaySessions {
  private readonly byInstance = new Map<string, GatewaySession>();

  constructor(private readonly host: SessionHost) {}

  /** The interval agents are told to heartbeat at. */
  get heartbeatIntervalMs(): number {
    return this.host.heartbeatIntervalMs;
  }

  now(): number {
    return this.host.clock.now();
  }

  /** The connected session that holds `name`. */
  connected(name: string, repo?: string): GatewaySession | undefined {
    for (const session of this.byInstance.values()) {
      if (session.name === name && session.socket && (repo === undefined || session.repo === repo)) return session;
    }
    return undefined;
  }

  /** The session of `name`, connected or not (for logs). */
  byName(name: string): GatewaySession | undefined {
    return this.connected(name) ?? [...this.byInstance.values()].find((s) => s.name === name);
  }

  /** Whether a live external agent holds `name`. */
  holds(name: string): boolean {
    return [...this.byInstance.values()].some((s) => s.name === name && !s.unreachable);
  }

  all(): GatewaySession[] {
    return [...this.byInstance.values()];
  }

  /** Registers (or re-registers) the agent behind a hello; returns its session or a refusal. */
  hello(line: HelloLine, socket: WebSocket, endpoint: string): GatewaySession | HelloRefusal {
    if (line.protocol !== PROTOCOL_VERSION) {
      return { code: 'unsupported-protocol', message: `protocol ${line.protocol} is not supported; this Switchyard speaks ${PROTOCOL_VERSION}` };
    }
    if (!line.instanceId || !line.name) {
      return { code: 'hello-required', message: 'a gateway agent must say hello with a name and an instanceId' };
    }
    if (this.host.isNameReserved(line.name)) {
      return { code: 'name-conflict', message: `"${line.name}" is the name of a supervised local agent` };
    }
    const now = this.host.clock.now();
    const held = this.heldElsewhere(line.instanceId, line.name, socket);
    if (held) return held;
    const previous = this.byInstance.get(line.instanceId);
    const session = this.newSession(line, { instanceId: line.instanceId, name: line.name }, previous, socket, endpoint, now);
    try {
      this.host.registry.register({
        name: session.name,
        type: session.type,
        location: 'local',
        ownership: ownershipOf(session.type),
        repo: session.repo,
        owner: this.host.owner,
        endpoint,
        instanceId: session.instanceId,
        capabilities: session.capabilities,
        status: 'idle',
        metadata: { gateway: { connected: true, connectedAt: now }, heartbeatIntervalMs: this.host.heartbeatIntervalMs },
      });
    } catch (error) {
      const conflict = (error as Error).name === 'NameConflict';
      return { code: conflict ? 'name-conflict' : 'bad-line', message: (error as Error).message };
    }
    this.takeOver(session, previous, socket);
    this.byInstance.set(session.instanceId, session);
    session.log.add(now, 'supervisor', 'info', `${previous ? 'reconnected' : 'connected'} from ${endpoint}`);
    return session;
  }

  /** The session a hello opens; a reconnect keeps its repo and its log. */
  private newSession(line: HelloLine, who: { instanceId: string; name: string }, previous: GatewaySession | undefined, socket: WebSocket, endpoint: string, now: number): GatewaySession {
    return {
      instanceId: who.instanceId,
      name: who.name,
      type: line.agentType ?? DEFAULT_EXTERNAL_TYPE,
      repo: previous?.repo ?? this.host.repo(),
      socket,
      endpoint,
      lastSeen: now,
      disconnectedAt: null,
      unreachable: false,
      status: 'idle',
      capabilities: line.capabilities ?? [],
      log: previous?.log ?? new LogRing(500),
    };
  }

  /** Retires whatever held this instance or this name before the new session. */
  private takeOver(session: GatewaySession, previous: GatewaySession | undefined, socket: WebSocket): void {
    // Only a closing socket or a silent one (see heldElsewhere) can still be here.
    if (previous?.socket && previous.socket !== socket) {
      previous.socket.close(4001, 'replaced by a newer connection');
      // Its close event must not mark the new connection's registration disconnected.
      previous.socket = undefined;
    }
    // Another instance that held this name is gone (the registry let the name go).
    for (const other of this.byInstance.values()) {
      if (other.name === session.name && other.instanceId !== session.instanceId) this.forget(other, 4009);
    }
  }

  /**
   * Why another connection may not take this instanceId or name now, if it may not.
   *
   * A holder whose connection is closed, or whose agent went silent past the health
   * timeout (a connection that died without a close looks like that), has let go: its
   * socket is closed and the claim goes ahead.
   */
  private heldElsewhere(instanceId: string, name: string, socket: WebSocket): HelloRefusal | undefined {
    for (const other of this.byInstance.values()) {
      if (other.socket === socket && other.instanceId !== instanceId) {
        return { code: 'instance-in-use', message: `this connection already said hello as instance "${other.instanceId}"; open another connection for another instance` };
      }
    }
    for (const other of this.byInstance.values()) {
      if (other.instanceId !== instanceId && other.name !== name) continue;
      const otherSocket = other.socket;
      if (!otherSocket || otherSocket === socket || !isOpen(otherSocket)) continue;
      if (other.unreachable) {
        otherSocket.close(4008, 'silent past the health timeout; replaced');
        continue;
      }
      return other.instanceId === instanceId
        ? { code: 'instance-in-use', message: `instance "${instanceId}" is connected on another connection; it can be claimed once that one has closed` }
        : { code: 'name-conflict', message: `"${name}" is held by instance "${other.instanceId}", connected on another connection` };
    }
    return undefined;
  }

  /** Applies a line from a session's agent (everything but hello). */
  line(session: GatewaySession, line: Exclude<AgentLine, HelloLine>): void {
    const now = this.host.clock.now();
    switch (line.type) {
      case 'heartbeat':
        this.seen(session, now);
        this.guard(session, () => this.host.registry.heartbeat(this.ref(session), line.load, session.status));
        return;
      case 'status':
        session.status = line.status;
        this.guard(session, () => this.host.registry.setStatus(this.ref(session), line.status));
        return;
      case 'log':
        session.log.add(now, 'agent', line.level, line.message);
        return;
      case 'send':
      case 'spawn':
        return this.host.outbound(this.ref(session), line);
      case 'context.set':
      case 'context.get':
      case 'context.watch':
        return this.host.context(this.ref(session), line, (reply) => this.write(session, reply));
    }
  }

  /** The connection closed: the session waits for a reconnect until the health timeout. */
  disconnected(session: GatewaySession, socket: WebSocket): void {
    if (session.socket !== socket) return;
    const now = this.host.clock.now();
    session.socket = undefined;
    session.disconnectedAt = now;
    session.log.add(now, 'supervisor', 'info', 'connection closed');
    this.guard(session, () =>
      this.host.registry.setStatus(this.ref(session), session.unreachable ? 'unreachable' : session.status, {
        gateway: { connected: false, disconnectedAt: now },
      }),
    );
  }

  /** Marks silent sessions unreachable and forgets long-gone ones. */
  sweep(now = this.host.clock.now()): void {
    const timeout = this.host.heartbeatIntervalMs * this.host.failureThreshold;
    for (const session of this.byInstance.values()) {
      if (!session.unreachable && now - session.lastSeen > timeout) {
        session.unreachable = true;
        session.log.add(now, 'supervisor', 'warn', `no heartbeat for ${now - session.lastSeen} ms: unreachable`);
        this.guard(session, () => this.host.registry.setStatus(this.ref(session), 'unreachable'));
      }
      if (!session.socket && session.disconnectedAt !== null && now - session.disconnectedAt > timeout * 10) {
        this.byInstance.delete(session.instanceId);
      }
    }
  }

  write(session: GatewaySession, line: SwitchyardLine): boolean {
    if (!session.socket || session.socket.readyState !== session.socket.OPEN) return false;
    session.socket.send(JSON.stringify(line));
    return true;
  }

  /** Stops an external agent: `shutdown`, close, terminated in the registry. */
  stop(session: GatewaySession, reason: string): void {
    this.write(session, { type: 'shutdown', reason });
    this.forget(session, 1000);
    this.guard(session, () => this.host.registry.setStatus(this.ref(session), 'terminated'));
  }

  private forget(session: GatewaySession, closeCode: number): void {
    const socket = session.socket;
    session.socket = undefined;
    socket?.close(closeCode, 'stopped');
    this.byInstance.delete(session.instanceId);
  }

  private seen(session: GatewaySession, now: number): void {
    session.lastSeen = now;
    if (session.unreachable) {
      session.unreachable = false;
      this.guard(session, () => this.host.registry.setStatus(this.ref(session), session.status));
    }
  }

  private ref(session: GatewaySession): { repo: string; name: string } {
    return { repo: session.repo, name: session.name };
  }

  private guard(session: GatewaySession, work: () => unknown): void {
    try {
      work();
    } catch (error) {
      session.log.add(this.host.clock.now(), 'supervisor', 'error', `registry update failed: ${(error as Error).message}`);
    }
  }
}

/** Open or opening: the connection still stands (CLOSING and CLOSED have let go). */
function isOpen(socket: WebSocket): boolean {
  return socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING;
}
