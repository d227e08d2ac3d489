/**
 * Reads the inboxes of the agents this process hosts from the message stream.
 *
 * Durable pull consumers, each with one filter: one per agent on the coordinator (and on
 * a server-token desktop), one per (repo, user) on a member's desktop — the only one its
 * NATS permissions let it create and read (nats-subjects.ts, docs/nats.md). Messages of
 * one consumer are handled one at a time, in stream order, and acknowledged only after
 * the handler returns (delivered, held in the outbox, or recorded as rejected), so order
 * per sender→receiver holds and nothing is acked before it is safe.
 */
import type { ConsumerMessages, JsMsg, NatsConnection } from 'nats.ws';
import { AckPolicy, DeliverPolicy } from 'nats.ws';
import type { InboxConsumerSpec } from '../../shared/nats-subjects.js';
import { MESSAGE_STREAM } from '../../shared/nats-subjects.js';

/** A consumer to run: its spec, and what it reads for (in error reports). */
export interface HostedInbox extends InboxConsumerSpec {
  label: string;
}

export interface InboundConsumersOptions {
  /** Handles one message; the consumer acks after it resolves, naks if it throws. */
  handle: (msg: JsMsg) => Promise<void>;
  /** Where to report a consumer that cannot start (missing stream, no permission). */
  onError?: (inbox: HostedInbox, error: unknown) => void;
  stream?: string;
  /** Messages pulled ahead per consumer. */
  batch?: number;
}

/**
 * How each inbox is pulled. A pull request lives `expires`, and the server heartbeats an
 * idle one every half of that. When a cluster node dies, the pull that nats.ws re-issues
 * on reconnect can reach the consumer while its leader is still being elected and be
 * dropped; the client notices only after two missed heartbeats and pulls again. With the
 * default 30 s that left an inbox silent for half a minute after a node kill (measured
 * in `npm run bench -- scale`); at 5 s it resumes in about 10 s (the election, then one
 * missed pull), for one small pull request every 5 s per idle inbox.
 */
export const INBOX_PULL = { expires: 5_000 } as const;

interface Running {
  inbox: HostedInbox;
  messages?: ConsumerMessages;
  stopped: boolean;
}

export class InboundConsumers {
  private readonly running = new Map<string, Running>();
  private conn: NatsConnection | undefined;

  constructor(private readonly options: InboundConsumersOptions) {}

  /** Uses a (new) connection: every consumer restarts on it. */
  attach(conn: NatsConnection, inboxes: HostedInbox[]): void {
    this.detach();
    this.conn = conn;
    this.sync(inboxes);
  }

  /** Stops reading; durable consumers keep their place on the server. */
  detach(): void {
    this.conn = undefined;
    for (const run of this.running.values()) this.stopRun(run);
    this.running.clear();
  }

  /** Starts consumers for new inboxes and stops those no longer hosted here. */
  sync(inboxes: HostedInbox[]): void {
    const conn = this.conn;
    if (!conn) return;
    const wanted = new Map(inboxes.map((inbox) => [inbox.durable, inbox]));
    for (const [name, run] of this.running) {
      if (!wanted.has(name)) {
        this.stopRun(run);
        this.running.delete(name);
      }
    }
    for (const [name, inbox] of wanted) {
      if (this.running.has(name)) continue;
      const run: Running = { inbox, stopped: false };
      this.running.set(name, run);
      void this.loop(conn, name, run);
    }
  }

  hosted(): string[] {
    return [...this.running.keys()];
  }

  private stopRun(run: Running): void {
    run.stopped = true;
    void run.messages?.close().catch(() => undefined);
  }

  /** Creates the durable if needed, then consumes until stopped; retries after errors. */
  private async loop(conn: NatsConnection, durable: string, run: Running): Promise<void> {
    const stream = this.options.stream ?? MESSAGE_STREAM;
    let backoff = 250;
    while (!run.stopped && !conn.isClosed()) {
      try {
        const jsm = await conn.jetstreamManager();
        await jsm.consumers.add(stream, {
          durable_name: durable,
          filter_subject: run.inbox.filter,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: 30_000_000_000,
          max_ack_pending: 1000,
        });
        const consumer = await conn.jetstream().consumers.get(stream, durable);
        if (run.stopped) return;
        const messages = await consumer.consume({ max_messages: this.options.batch ?? 256, ...INBOX_PULL });
        run.messages = messages;
        backoff = 250;
        for await (const msg of messages) {
          if (run.stopped) break;
          try {
            await this.options.handle(msg);
            msg.ack();
          } catch (error) {
            // Only an internal failure lands here (the handler records its own outcomes):
            // ask for a redelivery a little later rather than lose the message.
            msg.nak(1000);
            this.options.onError?.(run.inbox, error);
          }
        }
      } catch (error) {
        if (run.stopped) return;
        this.options.onError?.(run.inbox, error);
      }
      if (run.stopped) return;
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, 5000);
    }
  }
}
