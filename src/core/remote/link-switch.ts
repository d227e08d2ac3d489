/**
 * The core's one RemoteLink for its whole life: it forwards to the link of the current
 * hybrid config and keeps its listeners across restarts, so the router subscribes once
 * and never holds a link that `config.set` replaced.
 */
import type { NatsConnection } from 'nats.ws';
import type { HybridConfig } from '../../shared/config.js';
import type { RemoteLink, RemoteLinkOptions } from './remote-link.js';
import { startRemoteLink } from './remote-link.js';

export type LinkSettings = Omit<RemoteLinkOptions, 'url' | 'servers' | 'repo' | 'token'>;

export class RemoteLinkSwitch implements RemoteLink {
  private current: RemoteLink | undefined;
  private readonly upListeners = new Set<(nc: NatsConnection) => void>();
  private readonly downListeners = new Set<(reason: string) => void>();
  private closing: Promise<void> = Promise.resolve();

  constructor(private readonly settings: LinkSettings) {}

  /** Replaces the link for a config: stopped when hybrid is off, (re)started otherwise. */
  apply(config: HybridConfig, token: string | undefined): void {
    const previous = this.current;
    this.current = undefined;
    if (previous) {
      for (const listener of this.downListeners) listener('configuration changed');
      // close() marks the old link closed synchronously, so it reports no more states.
      const closing = previous.close();
      this.closing = this.closing.then(() => closing);
    }
    if (!config.enabled || config.coordinationUrl === '') return;
    const link = startRemoteLink({ ...this.settings, url: config.coordinationUrl, servers: config.servers ?? [], repo: config.repo, token });
    link.onUp((nc) => {
      if (this.current === link) for (const listener of this.upListeners) listener(nc);
    });
    link.onDown((reason) => {
      if (this.current === link) for (const listener of this.downListeners) listener(reason);
    });
    this.current = link;
  }

  connection(): NatsConnection | undefined {
    return this.current?.connection();
  }

  onUp(listener: (nc: NatsConnection) => void): () => void {
    this.upListeners.add(listener);
    return () => this.upListeners.delete(listener);
  }

  onDown(listener: (reason: string) => void): () => void {
    this.downListeners.add(listener);
    return () => this.downListeners.delete(listener);
  }

  synced(): Promise<void> {
    return this.current?.synced() ?? Promise.resolve();
  }

  natsUser(): string | undefined {
    return this.current?.natsUser();
  }

  async close(): Promise<void> {
    const previous = this.current;
    this.current = undefined;
    await previous?.close();
    await this.closing;
  }
}
