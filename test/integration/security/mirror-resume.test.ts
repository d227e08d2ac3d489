/**
 * A member's mirror resumes its registry watch without the bucket's stream info (which
 * its permissions leave out): the coordinator answers the resume check.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import { openDatabase } from '../../../src/core/db/database.js';
import { coordinatorRequest } from '../../../src/core/remote/coordinator-client.js';
import { MirrorSync } from '../../../src/core/remote/mirror-sync.js';
import { createSqliteRegistry } from '../../../src/core/registry/sqlite-registry.js';
import { RegistryStatusReply } from '../../../src/shared/coordinator-protocol.js';
import { AgentInfo } from '../../../src/shared/domain.js';
import { subjects } from '../../../src/shared/nats-subjects.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TOKENS, remoteEnv } from '../remote/remote-harness.js';

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

describe("a member's registry mirror", () => {
  it('resumes from its last revision with the status the coordinator gives, and gets only what changed', async () => {
    await env.startCoordinator();
    const alice = await env.connect(TOKENS.alice);
    const bob = await env.connect(TOKENS.bob);
    await coordinatorRequest(bob, subjects.register(REPO), { name: 'bob.one', type: 'workspace', location: 'local', instanceId: 'i-one' }, TOKENS.bob, AgentInfo);
    const db = openDatabase(join(env.dir, 'mirror.db'));
    const registry = createSqliteRegistry(db, { clock: systemClock });
    const logs: string[] = [];
    const mirror = new MirrorSync({
      repo: REPO,
      desktopId: 'alice-desktop',
      registry,
      log: (line) => logs.push(line),
      bucketStatus: (nc) => coordinatorRequest(nc, subjects.registryStatus(REPO), {}, TOKENS.alice, RegistryStatusReply),
    });
    const first = await mirror.start(alice);
    await first.caughtUp;
    expect(first.mode).toBe('full');
    expect(registry.get({ repo: REPO, name: 'bob.one' })?.location).toBe('remote');
    mirror.stop();

    await coordinatorRequest(bob, subjects.register(REPO), { name: 'bob.two', type: 'workspace', location: 'local', instanceId: 'i-two' }, TOKENS.bob, AgentInfo);
    const second = await mirror.start(alice);
    await second.caughtUp;
    expect(second.mode).toBe('resume');
    expect(registry.get({ repo: REPO, name: 'bob.two' })?.location).toBe('remote');
    expect(logs.filter((line) => /permission|unavailable/i.test(line))).toEqual([]);
    mirror.stop();
    registry.close();
    db.close();
  });

  it('gets no bucket status for a repo its token has no access to', async () => {
    await env.startCoordinator();
    const relay = await env.connect(TOKENS.coordinator);
    await expect(coordinatorRequest(relay, subjects.registryStatus('other'), {}, TOKENS.alice, RegistryStatusReply)).rejects.toMatchObject({ name: 'NotAllowed' });
  });
});
