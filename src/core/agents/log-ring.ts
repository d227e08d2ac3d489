/**
 * A bounded per-agent log: stderr, the agent's `log` lines, protocol errors and the
 * supervisor's own notes, newest last. Old entries fall off so a chatty agent cannot
 * grow the app's memory.
 */
import type { LogEntry, LogLevel, LogSource } from '../../shared/agent-protocol.js';

/** The longest text kept per entry. */
const MAX_TEXT = 4096;

export class LogRing {
  private readonly entries: (LogEntry | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity = 500) {
    this.entries = new Array<LogEntry | undefined>(capacity);
  }

  add(at: number, source: LogSource, level: LogLevel, text: string): void {
    const clipped = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
    this.entries[this.next] = { at, source, level, text: clipped };
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** The last `n` entries, oldest first. */
  tail(n = this.capacity): LogEntry[] {
    const take = Math.max(0, Math.min(n, this.count));
    const out: LogEntry[] = [];
    for (let i = take; i > 0; i--) {
      const entry = this.entries[(this.next - i + this.capacity) % this.capacity];
      if (entry) out.push(entry);
    }
    return out;
  }

  get size(): number {
    return this.count;
  }
}
