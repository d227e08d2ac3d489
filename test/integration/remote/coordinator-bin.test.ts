/**
 * The `switchyard-coordinator` command as docs/coordinator.md describes it, as a real
 * process: SIGHUP reloads the tokens file (a new token works, a removed one is refused)
 * and the process lives on — one process, no child to orphan — and SIGTERM stops it.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NatsConnection } from 'nats.ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoordinatorError, coordinatorRequest } from '../../../src/core/remote/coordinator-client.js';
import { connectWs } from '../../../src/core/remote/nats-ws.js';
import { AgentInfo } from '../../../src/shared/domain.js';
import { COORDINATOR_SERVICE, subjects } from '../../../src/shared/nats-subjects.js';
import type { NatsServerHandle } from '../../helpers/nats-server.js';
import { startNatsServer } from '../../helpers/nats-server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { eventually } from '../../helpers/eventually.js';

const BIN = fileURLToPath(new URL('../../../bin/switchyard-coordinator.mjs', import.meta.url));
const OLD = 'old-token-for-alice';
const NEW = 'new-token-for-alice';

/**
 * Command lines of the processes whose parent is `pid` (Linux /proc; empty elsewhere).
 * A helper such as esbuild's transform service may be there; a second coordinator must not.
 */
function childrenOf(pid: number): string[] {
  if (!existsSync('/proc')) return [];
  const children: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

const coordinatorsAmong = (commands: string[]) => commands.filter((command) => command.includes('main.ts') || command.includes('switchyard-coordinator'));

describe('the switchyard-coordinator command', () => {
  let server: NatsServerHandle;
  let temp: ReturnType<typeof makeTempDir>;
  let proc: ChildProcess | undefined;
  let nc: NatsConnection | undefined;
  beforeEach(async () => {
    server = await startNatsServer();
    temp = makeTempDir('sy-bin-');
  });
  afterEach(async () => {
    await nc?.close().catch(() => undefined);
    if (proc?.pid && proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid, 'SIGKILL');
    await server.dispose();
    temp.remove();
  });

  it('reloads the tokens file on SIGHUP and stays one living process; SIGTERM stops it', async () => {
    const tokensFile = join(temp.path, 'tokens.json');
    const tokens = (token: string) => writeFileSync(tokensFile, JSON.stringify({ [token]: { user: 'alice', role: 'member', repos: ['demo'] } }));
    tokens(OLD);
    const lines: string[] = [];
    // The test server's JetStream has 256 MB of file store; the default stream asks for 1 GiB.
    const config = join(temp.path, 'coordinator.json');
    writeFileSync(config, JSON.stringify({ nats: { servers: [server.wsUrl] }, tokensFile: 'tokens.json', repos: ['demo'], stream: { maxBytes: 32 * 1024 * 1024 } }));
    const child = spawn(process.execPath, [BIN, '--config', config, '--no-team'], {
      env: { ...process.env, SY_NATS_TOKEN: server.token },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc = child;
    let pending = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      const parts = (pending + chunk.toString()).split('\n');
      pending = parts.pop() ?? '';
      lines.push(...parts);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const logged = (message: string) =>
      lines
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { message: string; instance?: string })
        .find((line) => line.message === message);
    const ready = await eventually(() => logged('coordinator ready'), 20_000, 'coordinator ready').catch((error: unknown) => {
      throw new Error(`${String(error)}\n${lines.join('\n')}`);
    });
    // The coordinator runs in the command's own process: its default instance name carries that pid.
    expect(ready.instance).toContain(`-${child.pid}-`);
    expect(coordinatorsAmong(childrenOf(child.pid!))).toEqual([]);

    nc = await connectWs({ servers: [server.wsUrl], token: server.token });
    const register = (token: string, name: string) =>
      coordinatorRequest(nc!, subjects.register('demo'), { name, type: 'workspace', location: 'local', instanceId: `i-${name}` }, token, AgentInfo).then(
        (info) => info.owner,
        (error: unknown) => (error instanceof CoordinatorError ? error.name : String(error)),
      );
    expect(await register(OLD, 'alice.one')).toBe('alice');
    expect(await register(NEW, 'alice.two')).toBe('NotAllowed');

    tokens(NEW);
    process.kill(child.pid!, 'SIGHUP');
    await eventually(() => logged('tokens file reloaded'), 10_000, 'tokens file reloaded');
    expect(await register(NEW, 'alice.two')).toBe('alice');
    expect(await register(OLD, 'alice.three')).toBe('NotAllowed');
    expect(child.exitCode).toBeNull();
    expect(coordinatorsAmong(childrenOf(child.pid!))).toEqual([]);

    process.kill(child.pid!, 'SIGTERM');
    expect(await exited).toBe(0);
    // Nothing is left answering: the coordinator went with the command.
    const ping = await nc.request(`$SRV.PING.${COORDINATOR_SERVICE}`, undefined, { timeout: 1_000 }).then(
      () => 'answered',
      (error: unknown) => String(error),
    );
    expect(ping).not.toBe('answered');
  }, 60_000);
});
