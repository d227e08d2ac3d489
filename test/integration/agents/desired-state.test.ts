/**
 * Desired state across restarts of the core: what the user started runs again, what
 * they stopped stays stopped, autostart types start by themselves, and rows left by the
 * previous run never block Start, Restart or Stop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { createCore } from '../../../src/core/core.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import { eventually } from '../../helpers/eventually.js';
import { FAST_TIMINGS, isAlive } from './helpers.js';

const dirs: string[] = [];
const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.close()));
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

async function open(dataDir: string): Promise<Core> {
  const core = await createCore({ dataDir, agents: { gateway: false, timings: FAST_TIMINGS } });
  cores.push(core);
  return core;
}

async function call<T>(core: Core, name: string, input?: unknown): Promise<T> {
  const result = await core.call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.name}: ${result.error.message}`);
  return result.value as T;
}

const supervision = (agent: AgentInfo | undefined) => agent?.metadata.supervision as { state: string; pid: number | null } | undefined;
const get = (core: Core, name: string) => core.registry.get({ repo: 'default', name });

/** Running with a heartbeat since `since`: a live process of this run. */
const runningSince = (core: Core, name: string, since: number) => {
  const agent = get(core, name);
  const sup = supervision(agent);
  return agent && sup?.state === 'running' && sup.pid !== null && agent.lastHeartbeat > since && isAlive(sup.pid) ? agent : undefined;
};

describe('desired state across restarts', () => {
  it('starts again what was started, keeps stopped what was stopped, and starts autostart types', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sy-desired-'));
    dirs.push(dataDir);
    const first = await open(dataDir);
    await call(first, 'agents.start', { type: 'echo' });
    await call(first, 'agents.start', { type: 'echo', name: 'echo-kept-off' });
    await call(first, 'agents.stop', { name: 'echo-kept-off' });
    expect(await call(first, 'autostart.set', { type: 'command', enabled: true })).toEqual({ repo: 'default', types: ['command'] });
    const before = supervision(await eventually(() => runningSince(first, 'echo', 0), 10_000, 'echo running'))!.pid;
    await first.close();
    cores.splice(cores.indexOf(first), 1);
    expect(isAlive(before!)).toBe(false);

    const restartedAt = Date.now();
    const second = await open(dataDir);
    const echo = await eventually(() => runningSince(second, 'echo', restartedAt), 10_000, 'echo running again');
    expect(supervision(echo)!.pid).not.toBe(before);
    await eventually(() => runningSince(second, 'command', restartedAt), 10_000, 'the autostart type running');
    expect(get(second, 'echo-kept-off')).toMatchObject({ status: 'terminated', metadata: { supervision: { state: 'stopped' } } });
    expect(await call(second, 'autostart.get', {})).toEqual({ repo: 'default', types: ['command'] });

    // Stopping the autostarted agent is remembered too: the next launch leaves it off.
    await call(second, 'agents.stop', { name: 'command' });
    await second.close();
    cores.splice(cores.indexOf(second), 1);
    const thirdAt = Date.now();
    const third = await open(dataDir);
    await eventually(() => runningSince(third, 'echo', thirdAt), 10_000, 'echo running a third time');
    expect(get(third, 'command')).toMatchObject({ status: 'terminated' });
    expect(get(third, 'echo-kept-off')).toMatchObject({ status: 'terminated' });
  }, 60_000);

  it("never lets a previous run's row block Start, Restart or Stop", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sy-desired-'));
    dirs.push(dataDir);
    const first = await open(dataDir);
    await call(first, 'agents.start', { type: 'echo', name: 'old' });
    await eventually(() => runningSince(first, 'old', 0), 10_000, 'old running');
    // The row as a killed app leaves it: still `running`, with a pid of a process gone.
    const row = get(first, 'old')!;
    await call(first, 'agents.stop', { name: 'old' });
    first.registry.setStatus({ repo: 'default', name: 'old' }, 'active', { supervision: { ...supervision(row), state: 'running', pid: 999_999 } });
    await first.close();
    cores.splice(cores.indexOf(first), 1);

    const second = await open(dataDir);
    // Retired at launch: shown stopped at once, not live for the registry's hour.
    expect(get(second, 'old')).toMatchObject({ status: 'terminated', metadata: { supervision: { state: 'stopped', pid: null } } });
    expect(await call(second, 'agents.stop', { name: 'old' })).toMatchObject({ name: 'old', status: 'terminated' });
    // The row's Start button (agents.restart) starts it from its record.
    const restartedAt = Date.now();
    expect(await call(second, 'agents.restart', { name: 'old' })).toMatchObject({ name: 'old', type: 'echo' });
    await eventually(() => runningSince(second, 'old', restartedAt), 10_000, 'old running in this run');
  }, 60_000);
});
