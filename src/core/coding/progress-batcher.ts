/**
 * Gathers a turn's transcript events into `task.progress` batches, so a chatty engine
 * sends one message per `progressBatchMs` (or per full batch) rather than one per token.
 * The window opens at a batch sent, not at the first event gathered: after a quiet spell
 * an event goes out at once (the transcript keeps up with the model), and while events
 * keep coming the rest wait for the window to close.
 * A batch is full at `maxEvents` events or `maxBytes` of JSON, which keeps each message
 * well under the protocol's 1 MiB line. Batches count from 1 (`seq`), so a reader sees a gap.
 */
import type { TranscriptEvent } from '../../shared/coding.js';
import type { Clock } from '../clock.js';
import { scheduleOn, systemClock } from '../clock.js';
import { cutText } from './cut-json.js';

export interface BatchLimits {
  batchMs: number;
  maxEvents: number;
  maxBytes: number;
}

/** At most this many events in one task.progress. */
export const MAX_EVENTS_PER_BATCH = 100;
/** And at most this much JSON: a quarter of the line limit. */
export const MAX_BATCH_BYTES = 256 * 1024;

export class ProgressBatcher {
  private events: TranscriptEvent[] = [];
  private bytes = 0;
  private seq = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private cancelTimer: (() => void) | undefined;
  private readonly clock: Clock;

  constructor(
    private readonly limits: BatchLimits,
    private readonly emit: (events: TranscriptEvent[], seq: number) => void,
    clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  /** Batches sent so far. */
  get sent(): number {
    return this.seq;
  }

  push(raw: TranscriptEvent): void {
    const event = clampEvent(raw);
    const size = JSON.stringify(event).length;
    if (this.events.length > 0 && this.bytes + size > this.limits.maxBytes) this.flush();
    this.events.push(event);
    this.bytes += size;
    if (this.events.length >= this.limits.maxEvents || this.bytes >= this.limits.maxBytes) {
      this.flush();
    } else if (!this.cancelTimer) {
      const wait = this.lastSentAt + this.limits.batchMs - this.clock.now();
      if (wait <= 0) {
        this.flush();
        return;
      }
      this.cancelTimer = scheduleOn(this.clock, wait, () => {
        this.cancelTimer = undefined;
        this.flush();
      });
    }
  }

  /** Sends what is gathered now (before task.completed / task.failed). */
  flush(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.events.length === 0) return;
    const batch = this.events;
    this.events = [];
    this.bytes = 0;
    this.seq += 1;
    this.lastSentAt = this.clock.now();
    this.emit(batch, this.seq);
  }
}

/** An event held to the schema's limits (an engine's text may run longer). */
export function clampEvent(event: TranscriptEvent): TranscriptEvent {
  switch (event.type) {
    case 'text':
      return { type: 'text', text: cutText(event.text, 65_536) };
    case 'tool':
      return { type: 'tool', id: cutText(event.id, 256), tool: cutText(event.tool, 256), summary: cutText(event.summary, 512) };
    case 'tool-result':
      return { type: 'tool-result', id: cutText(event.id, 256), ok: event.ok, summary: cutText(event.summary, 512) };
    case 'notice':
      return { type: 'notice', text: cutText(event.text, 2048) };
  }
}
