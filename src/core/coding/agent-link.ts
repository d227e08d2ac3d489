/**
 * The agent side of the agent protocol (docs/agent-protocol.md) for the coding-agent
 * runtime: JSON lines in on stdin, out on stdout, heartbeats with load at the interval
 * the welcome names, and a close when Switchyard says `shutdown` or stdin ends (the app
 * is gone: never outlive it). resources/agents/lib/agent-io.mjs is the same for plain JS.
 *
 * Every line in is parsed with SwitchyardLine; a bad one is logged and dropped, never
 * thrown, so a garbled line cannot take a long-running agent down.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { AgentLine, LogLevel } from '../../shared/agent-protocol.js';
import { MAX_LINE_BYTES, PROTOCOL_VERSION, SwitchyardLine } from '../../shared/agent-protocol.js';
import type { AgentLoad, MessageKind, RoutedMessage } from '../../shared/domain.js';
import type { Clock } from '../clock.js';
import { scheduleOn, systemClock } from '../clock.js';

export type SelfStatus = 'active' | 'idle' | 'busy';

export interface AgentLinkOptions {
  input: Readable;
  output: Writable;
  name: string;
  /** Until the welcome names one (SWITCHYARD_HEARTBEAT_MS). */
  heartbeatMs: number;
  load(): AgentLoad;
  onMessage(message: RoutedMessage): void;
  /** Shutdown or stdin closed: finish quickly; the caller exits. */
  onClose(reason: string): void;
  clock?: Clock;
}

export class AgentLink {
  private heartbeatMs: number;
  private cancelHeartbeat: () => void = () => undefined;
  private lastStatus: SelfStatus | undefined;
  private closed = false;
  private readonly clock: Clock;

  constructor(private readonly options: AgentLinkOptions) {
    this.heartbeatMs = options.heartbeatMs;
    this.clock = options.clock ?? systemClock;
  }

  /** Says hello, starts heartbeating and reading lines. */
  start(): void {
    const lines = createInterface({ input: this.options.input, crlfDelay: Infinity });
    lines.on('line', (text) => this.onLine(text));
    lines.on('close', () => this.close('stdin closed'));
    this.write({ type: 'hello', protocol: PROTOCOL_VERSION, name: this.options.name });
    this.heartbeat();
  }

  /** Sends a message; false (and a log line) when it would exceed the line limit. */
  send(to: string, body: unknown, kind: MessageKind, id?: string): boolean {
    return this.write({ type: 'send', to, body: body as never, kind, ...(id ? { id } : {}) });
  }

  /** Reports the agent's own status; repeats of the last one are not sent. */
  status(status: SelfStatus): void {
    if (status === this.lastStatus) return;
    this.lastStatus = status;
    this.write({ type: 'status', status });
  }

  log(level: LogLevel, message: string): void {
    this.write({ type: 'log', level, message: message.slice(0, 65_536) });
  }

  /** Stops heartbeating and tells the owner once. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelHeartbeat();
    this.options.onClose(reason);
  }

  private heartbeat(): void {
    if (this.closed) return;
    this.write({ type: 'heartbeat', load: this.options.load() });
    this.cancelHeartbeat = scheduleOn(this.clock, this.heartbeatMs, () => this.heartbeat());
  }

  private onLine(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.log('warn', `dropped a line that is not JSON: ${text.slice(0, 200)}`);
      return;
    }
    const parsed = SwitchyardLine.safeParse(json);
    if (!parsed.success) {
      this.log('warn', `dropped a line Switchyard should not send: ${parsed.error.message.slice(0, 500)}`);
      return;
    }
    const line = parsed.data;
    switch (line.type) {
      case 'welcome':
        this.onWelcome(line.heartbeatIntervalMs);
        return;
      case 'message':
        this.options.onMessage(line.message);
        return;
      case 'shutdown':
        this.close(`shutdown: ${line.reason}`);
        return;
      case 'error':
        this.log('warn', `switchyard says ${line.code}: ${line.message}${line.ref ? ` (ref ${line.ref})` : ''}`);
        return;
      case 'context':
        // Answers to blackboard lines, which this agent does not send.
        return;
    }
  }

  private onWelcome(heartbeatMs: number): void {
    if (heartbeatMs === this.heartbeatMs) return;
    this.heartbeatMs = heartbeatMs;
    this.cancelHeartbeat();
    this.heartbeat();
  }

  private write(line: AgentLine): boolean {
    if (this.closed && line.type !== 'log') return false;
    const text = JSON.stringify(line);
    if (Buffer.byteLength(text) > MAX_LINE_BYTES) {
      const what = line.type === 'send' ? `a ${line.kind ?? 'text'} message to ${line.to}` : `a ${line.type} line`;
      this.write({ type: 'log', level: 'error', message: `not sent: ${what} is over the ${MAX_LINE_BYTES}-byte line limit` });
      return false;
    }
    this.options.output.write(`${text}\n`);
    return true;
  }
}
