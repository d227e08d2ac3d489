import { describe, expect, it } from 'vitest';
import type { RoutedMessage } from '../../../src/shared/domain.js';
import { AgentLink } from '../../../src/core/coding/agent-link.js';
import { eventually } from '../../helpers/eventually.js';
import { manualClock } from '../../helpers/test-clocks.js';
import { wire } from './link-lines.js';

const message: RoutedMessage = {
  id: 'msg-00000001',
  from: 'alice',
  to: 'coder',
  repo: 'demo',
  body: 'hi',
  kind: 'text',
  timestamp: 1,
  route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: 1 },
  traceId: '0'.repeat(32),
};

function start() {
  const w = wire();
  const clock = manualClock();
  const received: RoutedMessage[] = [];
  const closed: string[] = [];
  let current = 0;
  const link = new AgentLink({
    input: w.input,
    output: w.output,
    name: 'coder',
    heartbeatMs: 1_000,
    clock,
    load: () => ({ current, max: 2 }),
    onMessage: (m) => void received.push(m),
    onClose: (reason) => void closed.push(reason),
  });
  link.start();
  return { w, clock, link, received, closed, setLoad: (n: number) => (current = n) };
}

describe('AgentLink', () => {
  it('says hello, heartbeats with load at the interval, and moves to the welcome\'s interval', async () => {
    const { w, clock, setLoad } = start();
    await eventually(() => w.lines.length >= 2);
    expect(w.lines.slice(0, 2)).toEqual([
      { type: 'hello', protocol: 1, name: 'coder' },
      { type: 'heartbeat', load: { current: 0, max: 2 } },
    ]);
    setLoad(1);
    clock.advance(1_000);
    await eventually(() => w.lines.length === 3);
    expect(w.lines[2]).toEqual({ type: 'heartbeat', load: { current: 1, max: 2 } });
    w.say({ type: 'welcome', protocol: 1, name: 'coder', repo: 'demo', instanceId: 'i', heartbeatIntervalMs: 200 });
    await eventually(() => w.lines.length === 4);
    clock.advance(200);
    await eventually(() => w.lines.length === 5);
    expect(w.lines.slice(3).map((l) => l.type)).toEqual(['heartbeat', 'heartbeat']);
  });

  it('hands messages on, and logs bad lines without stopping', async () => {
    const { w, received } = start();
    w.say('not json');
    w.say({ type: 'message', message: { ...message, kind: 'no-such-kind' } });
    w.say({ type: 'message', message });
    await eventually(() => received.length === 1);
    expect(received[0]).toEqual(message);
    const logs = w.lines.filter((l) => l.type === 'log');
    expect(logs.map((l) => l.level)).toEqual(['warn', 'warn']);
    expect(String(logs[0]!.message)).toMatch(/not JSON/);
  });

  it('sends, reports status only on change, and refuses a line over 1 MiB', async () => {
    const { w, link } = start();
    expect(link.send('alice', { ok: 1 }, 'task.completed', 'msg-00000009')).toBe(true);
    link.status('busy');
    link.status('busy');
    link.status('idle');
    expect(link.send('alice', 'x'.repeat(1024 * 1024), 'text')).toBe(false);
    await eventually(() => w.lines.some((l) => l.type === 'log'));
    expect(w.lines.filter((l) => l.type !== 'heartbeat' && l.type !== 'hello')).toEqual([
      { type: 'send', to: 'alice', body: { ok: 1 }, kind: 'task.completed', id: 'msg-00000009' },
      { type: 'status', status: 'busy' },
      { type: 'status', status: 'idle' },
      { type: 'log', level: 'error', message: expect.stringMatching(/a text message to alice is over the 1048576-byte line limit/) },
    ]);
  });

  it('closes once on shutdown or end of stdin, and stops heartbeating', async () => {
    const { w, clock, closed } = start();
    w.say({ type: 'shutdown', reason: 'app quits' });
    await eventually(() => closed.length === 1);
    w.input.end();
    await new Promise<void>((resolve) => w.input.once('end', resolve));
    expect(closed).toEqual(['shutdown: app quits']);
    const before = w.lines.length;
    clock.advance(10_000);
    expect(clock.pending()).toBe(0);
    expect(w.lines.length).toBe(before);
  });
});
