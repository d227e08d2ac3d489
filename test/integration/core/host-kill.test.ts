/**
 * Kill -9 of the built headless host (out/main/headless.js) and a relaunch on the same
 * data folder: the agents the user started run again as new processes that heartbeat,
 * and the one the user stopped stays stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { AgentInfo } from '../../../src/shared/domain.js';
import type { HeadlessHandle } from '../../e2e/helpers/headless.js';
import { startHeadless } from '../../e2e/helpers/headless.js';
import { eventually } from '../../helpers/eventually.js';
import { JsonInbox, openSocket } from '../fuzz/host-probes.js';

const hosts: HeadlessHandle[] = [];
const sockets: WebSocket[] = [];
let dataDir = '';
afterEach(async () => {
  sockets.splice(0).forEach((ws) => ws.close());
  await Promise.all(hosts.splice(0).map((host) => host.stop({ keepData: true })));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A bridge client of one host: call(name, input) → value, or throws the typed error. */
async function bridgeOf(host: HeadlessHandle): Promise<(call: string, input?: unknown) => Promise<unknown>> {
  const ws = await openSocket(`${host.origin.replace('http', 'ws')}/bridge?token=${host.token}`);
  sockets.push(ws);
  const inbox = new JsonInbox(ws);
  let next = 0;
  return async (call, input) => {
    const id = ++next;
    ws.send(JSON.stringify({ type: 'call', id, call, ...(input === undefined ? {} : { input }) }));
    const frame = (await inbox.next((f) => f.type === 'result' && f.id === id)) as { result: { ok: boolean; value?: unknown; error?: { name: string; message: string } } };
    if (!frame.result.ok) throw new Error(`${call}: ${frame.result.error?.name}: ${frame.result.error?.message}`);
    return frame.result.value;
  };
}

const pidOf = (agent: AgentInfo | undefined): number | null =>
  (agent?.metadata.supervision as { pid: number | null } | undefined)?.pid ?? null;

function alive(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the headless host killed with SIGKILL and launched again', () => {
  it('runs the same agents as new processes that heartbeat; a stopped agent stays stopped', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-host-kill-'));
    const first = await startHeadless({ dataDir });
    hosts.push(first);
    const call = await bridgeOf(first);
    await call('agents.start', { type: 'echo' });
    await call('agents.start', { type: 'echo', name: 'helper' });
    await call('agents.start', { type: 'echo', name: 'switched-off' });
    await call('agents.stop', { name: 'switched-off' });
    const get = async (c: typeof call, name: string) => (await c('agents.get', { repo: 'default', name })) as AgentInfo | undefined;
    const oldPids = [pidOf(await get(call, 'echo')), pidOf(await get(call, 'helper'))];
    expect(oldPids.every(alive)).toBe(true);

    first.process.kill('SIGKILL');
    await eventually(() => first.process.signalCode === 'SIGKILL', 10_000, 'the host killed');
    // Its agents do not outlive it: their stdin closed with it.
    await eventually(() => oldPids.every((pid) => !alive(pid)), 10_000, 'the old agent processes gone');

    const second = await startHeadless({ dataDir });
    hosts.push(second);
    const again = await bridgeOf(second);
    const running = new Map<string, AgentInfo>();
    for (const name of ['echo', 'helper']) {
      // Running under a new pid of this launch.
      const agent = await eventually(
        async () => {
          const record = await get(again, name);
          const pid = pidOf(record);
          const state = (record?.metadata.supervision as { state?: string } | undefined)?.state;
          return record && state === 'running' && pid !== null && !oldPids.includes(pid) && alive(pid) ? record : undefined;
        },
        20_000,
        `${name} running again`,
      );
      expect(agent.status).not.toBe('terminated');
      running.set(name, agent);
    }
    // And heartbeating: its hello registered it once; only heartbeat lines move lastHeartbeat on.
    await eventually(
      async () => {
        for (const [name, seen] of running) {
          const now = await get(again, name);
          if (!now || now.lastHeartbeat <= seen.lastHeartbeat || pidOf(now) !== pidOf(seen)) return false;
        }
        return true;
      },
      20_000,
      'heartbeats from the new processes',
    );
    expect(await get(again, 'switched-off')).toMatchObject({ status: 'terminated', metadata: { supervision: { state: 'stopped', pid: null } } });
  }, 90_000);
});
