/**
 * The blackboard over the agent protocol (docs/agent-protocol.md, Blackboard): an
 * agent's `context.set`, `context.get` and `context.watch` lines, answered with
 * `context` lines carrying the line's id as `ref`, or an `error` line with that ref.
 *
 * The writer of a `context.set` is the agent itself (Switchyard knows who is on the
 * other end of the pipe or socket); a refused write answers `denied` with
 * ContextWriteDenied's message. The blackboard is attached after the agents start
 * (core.ts), so until then a context line answers `not-supported`.
 */
import type { ContextLine, ProtocolErrorCode, SwitchyardLine } from '../../shared/agent-protocol.js';
import type { ContextEntry, ContextGetInput, ContextSetInput, ContextValue } from '../../shared/blackboard.js';

/** What the agents need of the blackboard (src/core/blackboard satisfies it). */
export interface ContextPort {
  set(input: ContextSetInput): Promise<ContextEntry>;
  get(input: ContextGetInput): ContextValue;
  /** The live entries under `prefix` now, and `listener` for each later batch of changes until stopped. */
  watch(repo: string, prefix: string, listener: (entries: ContextEntry[]) => void): { current: ContextEntry[]; stop(): void };
}

/** Writes a line to the agent that asked; false once that agent (that run of it) is gone. */
export type ReplyTo = (line: SwitchyardLine) => boolean;

/** Which protocol code an error thrown by the blackboard answers with. */
export function contextErrorCode(error: unknown): ProtocolErrorCode {
  const name = error instanceof Error ? error.name : '';
  if (name === 'ContextWriteDenied') return 'denied';
  if (name === 'ValidationError') return 'bad-line';
  return 'failed';
}

export class AgentContext {
  private port: ContextPort | undefined;
  private readonly watches = new Set<() => void>();

  attach(port: ContextPort): void {
    this.port = port;
  }

  /** Answers one context line of the agent `from`. */
  handle(from: { repo: string; name: string }, line: ContextLine, reply: ReplyTo): void {
    const port = this.port;
    const fail = (code: ProtocolErrorCode, message: string) => reply({ type: 'error', code, message, ref: line.id });
    if (!port) return void fail('not-supported', 'this Switchyard has no blackboard');
    const answer = (entries: ContextEntry[]) => reply({ type: 'context', ref: line.id, entries });
    switch (line.type) {
      case 'context.set': {
        const input = { key: line.key, value: line.value, repo: from.repo, as: from.name, ...(line.ttlMs !== undefined ? { ttlMs: line.ttlMs } : {}) };
        port.set(input).then(
          (entry) => answer([entry]),
          (error: unknown) => fail(contextErrorCode(error), error instanceof Error ? error.message : String(error)),
        );
        return;
      }
      case 'context.get': {
        const { entry } = port.get({ key: line.key, repo: from.repo });
        answer(entry ? [entry] : []);
        return;
      }
      case 'context.watch': {
        // A change for an agent that has gone (or restarted) ends its watch.
        const watch = port.watch(from.repo, line.prefix, (entries) => {
          if (!answer(entries)) stop();
        });
        const stop = () => {
          watch.stop();
          this.watches.delete(stop);
        };
        this.watches.add(stop);
        if (!answer(watch.current)) stop();
        return;
      }
    }
  }

  /** Ends every watch (the agents are stopping). */
  close(): void {
    for (const stop of [...this.watches]) stop();
  }
}
