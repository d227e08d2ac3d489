/**
 * The demo's scripted workspace agent: an external local agent on the desktop's
 * gateway (the way an IDE extension would join) that hands tasks to the remote team,
 * so the demo shows real local → remote → local traffic.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { SwitchyardLine } from '../../src/shared/agent-protocol.js';

export interface WorkspaceDriver {
  /** Messages this agent received, newest last. */
  received: Array<{ from: string; kind: string; body: unknown }>;
  stop(): void;
}

const TASKS = [
  'fix the flaky login test',
  'add pagination to /api/agents',
  'upgrade the build to vite 8',
  'document the outbox',
];

/** Waits for the desktop's gateway, joins it as `ada-workspace`, and sends a task every `everyMs`. */
export async function startWorkspaceDriver(
  dataDir: string,
  options: { everyMs?: number; name?: string; log?: (line: string) => void } = {},
): Promise<WorkspaceDriver> {
  const log = options.log ?? (() => {});
  const name = options.name ?? 'ada-workspace';
  const endpoint = await waitFor(() => {
    const file = join(dataDir, 'gateway.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { url: string }) : undefined;
  }, 60_000);
  const token = readFileSync(join(dataDir, 'gateway-token'), 'utf8').trim();
  const socket = new WebSocket(`${endpoint.url}?token=${encodeURIComponent(token)}`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const send = (line: object): void => socket.send(JSON.stringify(line));
  const received: WorkspaceDriver['received'] = [];
  socket.on('message', (data) => {
    const parsed = SwitchyardLine.safeParse(JSON.parse(data.toString()));
    if (!parsed.success) return;
    const line = parsed.data;
    if (line.type === 'message') {
      const { from, kind, body } = line.message;
      received.push({ from, kind, body });
      log(`${name} ← ${from}: ${kind} ${JSON.stringify(body).slice(0, 80)}`);
    } else if (line.type === 'error') {
      log(`${name}: ${line.code}: ${line.message}`);
    }
  });
  send({ type: 'hello', protocol: 1, name, agentType: 'workspace', instanceId: `${name}-demo`, capabilities: ['code'] });

  let n = 0;
  const tick = (): void => {
    const task = TASKS[n % TASKS.length] ?? 'tidy up';
    const to = n % 3 === 2 ? 'review' : 'supervisor';
    n += 1;
    send({ type: 'send', to, kind: to === 'review' ? 'decision.request' : 'task.assigned', body: { task } });
    log(`${name} → ${to}: ${task}`);
  };
  const heartbeat = setInterval(() => send({ type: 'heartbeat', load: { current: n % 2, max: 2 } }), 2_000);
  const work = setInterval(tick, options.everyMs ?? 6_000);
  setTimeout(tick, 1_500);
  return {
    received,
    stop() {
      clearInterval(heartbeat);
      clearInterval(work);
      socket.close();
    },
  };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('the desktop did not open its agent gateway in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
