/**
 * A supervised agent's registry record: every write goes through here, and a failed
 * write lands in the agent's log instead of crashing the supervisor (a registry error
 * must never take a running agent down with it).
 */
import type { AgentInfo, AgentLoad, AgentStatus } from '../../shared/domain.js';
import type { AgentRegistry, RegistrationInput } from '../registry/index.js';

/** The registry calls local agents make. */
export type AgentRegistryPort = Pick<AgentRegistry, 'register' | 'deregister' | 'heartbeat' | 'setStatus' | 'get'>;

export class AgentRecord {
  constructor(
    private readonly registry: AgentRegistryPort,
    private readonly ref: { repo: string; name: string },
    private readonly onError: (message: string) => void,
  ) {}

  get(): AgentInfo | undefined {
    return this.registry.get(this.ref);
  }

  /**
   * Registers (idempotent on the instanceId). The supervisor owns its agents' names
   * (the gateway cannot take them), so a live-looking record left by an earlier run of
   * the app is replaced rather than reported as a conflict.
   */
  register(input: RegistrationInput): void {
    this.guard(() => {
      try {
        this.registry.register(input);
      } catch (error) {
        if ((error as Error).name !== 'NameConflict') throw error;
        this.registry.deregister(this.ref);
        this.registry.register(input);
      }
    });
  }

  /** Sets status and merges metadata; registers first (via `input`) when there is no record yet. */
  publish(status: AgentStatus, metadata: Record<string, unknown>, input?: () => RegistrationInput): void {
    this.guard(() => {
      if (!this.registry.get(this.ref)) {
        if (!input) return;
        this.registry.register(input());
      }
      this.registry.setStatus(this.ref, status, metadata);
    });
  }

  heartbeat(load: AgentLoad | undefined, status: AgentStatus): void {
    this.guard(() => this.registry.heartbeat(this.ref, load, status));
  }

  private guard(work: () => unknown): void {
    try {
      work();
    } catch (error) {
      this.onError(`registry update failed: ${(error as Error).message}`);
    }
  }
}
