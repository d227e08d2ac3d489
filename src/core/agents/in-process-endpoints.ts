/**
 * In-process endpoints: local agents that are not processes (the person at the desktop).
 *
 * They live in the registry like any local agent (so the router resolves them, the remote
 * link mirrors them to the team and the supervisor and gateway cannot take their names),
 * and `LocalAgents.deliver` hands their messages to a function instead of a stdin or a
 * socket. They heartbeat themselves, so the registry's liveness sweep never finds them
 * silent while the core runs; when the core stops they turn `terminated`, and the team
 * sees them go like any agent of a closed desktop. The heartbeat is a periodic timer like
 * the supervisor's sweep (not one scheduled on the core's clock, which holds one-off
 * waits such as restart backoff), and it stamps the core's clock time.
 */
import { randomUUID } from 'node:crypto';
import type { AgentInfo, RoutedMessage } from '../../shared/domain.js';
import { ownershipOf } from '../../shared/ownership.js';
import type { AgentRegistry, RegistrationInput } from '../registry/index.js';

export interface EndpointSpec {
  name: string;
  type: string;
  repo: string;
  capabilities?: string[];
  /** Takes each message routed to the endpoint; it must not throw (a throw is logged). */
  onMessage(message: RoutedMessage): void;
}

/** An attached endpoint: its registry record, and how to take it away. */
export interface AttachedEndpoint {
  info(): AgentInfo | undefined;
  /** Deregisters it and stops its heartbeats; messages for it then wait like for any stopped agent. */
  detach(): void;
}

/** The heartbeat interval an endpoint declares (metadata.heartbeatIntervalMs) and keeps. */
export const ENDPOINT_HEARTBEAT_MS = 5_000;

const LIVE = new Set(['active', 'idle', 'busy']);

export class InProcessEndpoints {
  private readonly endpoints = new Map<string, { spec: EndpointSpec; stop: () => void }>();

  constructor(
    private readonly registry: Pick<AgentRegistry, 'register' | 'deregister' | 'heartbeat' | 'setStatus' | 'get'>,
    private readonly owner: string,
    private readonly heartbeatMs = ENDPOINT_HEARTBEAT_MS,
  ) {}

  /** True when an endpoint holds `name`: no supervised or gateway agent may take it. */
  holds(name: string): boolean {
    return this.endpoints.has(name);
  }

  /** Hands `message` to its endpoint; false if none holds that name in that repo. */
  deliver(message: RoutedMessage): boolean {
    const entry = this.endpoints.get(message.to);
    if (!entry || entry.spec.repo !== message.repo) return false;
    try {
      entry.spec.onMessage(message);
    } catch (error) {
      console.error(`[switchyard] endpoint ${message.to} failed on a message:`, error);
    }
    return true;
  }

  attach(spec: EndpointSpec): AttachedEndpoint {
    if (this.endpoints.has(spec.name)) throw new Error(`an in-process endpoint "${spec.name}" is attached already`);
    const ref = { repo: spec.repo, name: spec.name };
    const registration: RegistrationInput = {
      name: spec.name,
      type: spec.type,
      location: 'local',
      ownership: ownershipOf(spec.type),
      repo: spec.repo,
      owner: this.owner,
      endpoint: 'in-process',
      instanceId: `${spec.name}-${randomUUID()}`,
      capabilities: spec.capabilities ?? [],
      load: { current: 0, max: 1 },
      metadata: { heartbeatIntervalMs: this.heartbeatMs },
      status: 'active',
    };
    const register = (): void => {
      try {
        this.registry.register(registration);
      } catch (error) {
        // A record left by an earlier run of the app (another instanceId) holds the name:
        // the endpoint is the name's owner on this desktop, so it replaces it.
        if ((error as Error).name !== 'NameConflict') throw error;
        this.registry.deregister(ref);
        this.registry.register(registration);
      }
    };
    register();
    const timer = setInterval(() => {
      try {
        // Swept while the process slept (or its record was removed): it registers anew.
        const info = this.registry.get(ref);
        if (!info || info.instanceId !== registration.instanceId || !LIVE.has(info.status)) register();
        else this.registry.heartbeat(ref, undefined, 'active');
      } catch (error) {
        console.error(`[switchyard] endpoint ${spec.name} heartbeat failed:`, error);
      }
    }, this.heartbeatMs);
    timer.unref();
    const entry = { spec, stop: () => clearInterval(timer) };
    this.endpoints.set(spec.name, entry);
    return {
      info: () => this.registry.get(ref),
      detach: () => {
        if (this.endpoints.get(spec.name) !== entry) return;
        this.endpoints.delete(spec.name);
        entry.stop();
        try {
          this.registry.deregister(ref);
        } catch (error) {
          console.error(`[switchyard] endpoint ${spec.name} deregistration failed:`, error);
        }
      },
    };
  }

  /** Stops every endpoint: heartbeats end and the records turn `terminated`, as a stopped agent's do. */
  stopAll(): void {
    for (const [name, entry] of this.endpoints) {
      entry.stop();
      try {
        this.registry.setStatus({ repo: entry.spec.repo, name }, 'terminated');
      } catch (error) {
        console.error(`[switchyard] endpoint ${name} could not be marked stopped:`, error);
      }
    }
    this.endpoints.clear();
  }
}
