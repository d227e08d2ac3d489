/**
 * The blackboard with hybrid off: this desktop's own board in SQLite, under the same
 * write rules as the team's, through the contract and over the agent protocol.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContextChanged, ContextEntry, ContextValue } from '../../../src/shared/blackboard.js';
import type { SwitchyardLine } from '../../../src/shared/agent-protocol.js';
import { openDatabase } from '../../../src/core/db/database.js';
import { eventually } from '../../helpers/eventually.js';
import type { TestCore } from '../agents/helpers.js';
import { GatewayClient, fixture, gatewayToken, startCore } from '../agents/helpers.js';

let t: TestCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function localCore(): Promise<{ t: TestCore; changes: ContextEntry[]; person: string }> {
  t = await startCore({ gateway: false, builtinManifestDir: join('/nonexistent', 'none') });
  const changes: ContextEntry[] = [];
  t.core.on('context.changed', (event: ContextChanged) => changes.push(...event.entries));
  return { t, changes, person: `${t.core.localAgents.owner}.user` };
}

const value = async (core: TestCore['core'], input: Record<string, unknown>) => {
  const result = await core.call('context.get', input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as ContextValue;
};

describe('the local blackboard (hybrid off)', () => {
  it('writes as the person, lists by prefix, keeps 16 revisions of history, and says each change once', async () => {
    const { t, changes, person } = await localCore();
    const owner = t.core.localAgents.owner;
    for (const [key, v] of [['repo/plan', { steps: 2 }], [`user/${owner}/notes`, 'mine'], ['shared/a', 1], ['shared/a/b', 2], ['sharedx', 3]] as const) {
      const written = await t.core.call('context.set', { key, value: v });
      if (key === 'sharedx') {
        expect(written).toMatchObject({ ok: false, error: { name: 'ContextWriteDenied' } });
        continue;
      }
      expect(written).toMatchObject({ ok: true, value: { repo: 'default', key, value: v, writer: person, operation: 'put', expiresAt: null } });
    }
    expect(await t.core.call('context.list', { prefix: 'shared/a' })).toMatchObject({ ok: true, value: [{ key: 'shared/a' }, { key: 'shared/a/b' }] });
    expect(await t.core.call('context.list', { prefix: 'shared/' })).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
    await eventually(() => changes.length === 4);
    expect(changes.map((e) => e.key)).toEqual(['repo/plan', `user/${owner}/notes`, 'shared/a', 'shared/a/b']);

    for (let i = 0; i < 20; i++) await t.core.call('context.set', { key: 'shared/counter', value: i });
    const counter = await value(t.core, { key: 'shared/counter', history: true });
    expect(counter.entry?.value).toBe(19);
    expect(counter.history.map((e) => e.value)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
    expect(counter.history.map((e) => e.revision)).toEqual([...counter.history.map((e) => e.revision)].sort((a, b) => b - a));

    // A delete (value null) is a revision too: the key is gone, its history says who deleted it.
    expect(await t.core.call('context.set', { key: 'shared/a', value: null })).toMatchObject({ ok: true, value: { operation: 'delete', value: null } });
    const deleted = await value(t.core, { key: 'shared/a', history: true });
    expect(deleted.entry).toBeNull();
    expect(deleted.history.map((e) => [e.operation, e.value, e.writer])).toEqual([['delete', null, person], ['put', 1, person]]);
  });

  it('refuses writes outside the writer\'s prefixes with ContextWriteDenied, leaving nothing written and saying nothing', async () => {
    const { t, changes } = await localCore();
    const refused = [
      { key: 'user/someone-else/notes', value: 'x' },
      { key: 'agent/ghost/state', value: 'x' },
      { key: 'secrets/x', value: 'x' },
      // `as` names only a local agent of this desktop.
      { key: 'shared/x', value: 'x', as: 'ghost' },
    ];
    for (const input of refused) {
      expect(await t.core.call('context.set', input)).toMatchObject({ ok: false, error: { name: 'ContextWriteDenied' } });
    }
    // Over 64 KiB of JSON: a ValidationError, nothing written.
    expect(await t.core.call('context.set', { key: 'shared/big', value: 'x'.repeat(70_000) })).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
    expect(await t.core.call('context.list', {})).toEqual({ ok: true, value: [] });
    const db = openDatabase(join(t.dataDir, 'switchyard.db'));
    expect(db.prepare('SELECT COUNT(*) AS n FROM context_entries').get()).toEqual({ n: 0 });
    db.close();
    // The next write is seen, and is the only change ever said.
    await t.core.call('context.set', { key: 'shared/ok', value: true });
    await eventually(() => changes.length > 0);
    expect(changes.map((e) => e.key)).toEqual(['shared/ok']);
  });

  it('treats an expired entry as gone at once, and the sweep deletes it', async () => {
    const { t, changes } = await localCore();
    const written = await t.core.call('context.set', { key: 'shared/lease', value: 'held', ttlMs: 200 });
    expect(written).toMatchObject({ ok: true, value: { expiresAt: expect.any(Number) } });
    expect((await value(t.core, { key: 'shared/lease' })).entry?.value).toBe('held');
    await eventually(async () => (await value(t.core, { key: 'shared/lease' })).entry === null);
    expect(await t.core.call('context.list', { prefix: 'shared' })).toEqual({ ok: true, value: [] });
    const swept = await eventually(() => changes.find((e) => e.key === 'shared/lease' && e.operation === 'delete'), 5_000);
    expect(swept).toMatchObject({ writer: 'switchyard', value: null });
  });

  it('lets a supervised agent set, get and watch over the protocol, refusing a key that is not its own', async () => {
    const { t, person } = await localCore();
    const received = join(t.dataDir, 'received.jsonl');
    t.manifest({ type: 'ctx', command: 'node', args: [fixture('../../blackboard/fixtures/context-agent.mjs')], env: { RECEIVED_FILE: received } });
    const agent = await t.core.localAgents.start('ctx');
    const lines = (): SwitchyardLine[] => {
      try {
        return readFileSync(received, 'utf8').trim().split('\n').map((text) => JSON.parse(text) as SwitchyardLine);
      } catch {
        return [];
      }
    };
    const reply = (ref: string) => eventually(() => lines().find((line) => 'ref' in line && line.ref === ref));

    expect(await reply('set-own-key')).toMatchObject({ type: 'context', entries: [{ key: `agent/${agent.name}/state`, value: { step: 1 }, writer: agent.name }] });
    expect(await reply('get-own-key')).toMatchObject({ type: 'context', entries: [{ key: `agent/${agent.name}/state`, value: { step: 1 } }] });
    expect(await reply('set-not-mine')).toMatchObject({ type: 'error', code: 'denied', message: expect.stringContaining('may not write "user/someone-else/notes"') });
    expect(await value(t.core, { key: 'user/someone-else/notes' })).toEqual({ entry: null, history: [] });
    // The watch answered with what was there (nothing), then each change under `shared`.
    expect(await reply('watch-shared')).toEqual({ type: 'context', ref: 'watch-shared', entries: [] });
    await t.core.call('context.set', { key: 'shared/news', value: 'hello agents' });
    // Not under `shared`: not for this watch.
    await t.core.call('context.set', { key: 'repo/plan', value: 1 });
    await t.core.call('context.set', { key: `agent/${agent.name}/hint`, value: 'from the owner' });
    await t.core.call('context.set', { key: 'shared/last', value: 'done' });
    const watched = () => lines().flatMap((line) => (line.type === 'context' && line.ref === 'watch-shared' ? line.entries : []));
    // Changes arrive in order: once the last is there, the watch has had everything before it.
    await eventually(() => watched().some((entry) => entry.key === 'shared/last'));
    expect(watched()).toEqual([
      expect.objectContaining({ key: 'shared/news', value: 'hello agents', writer: person }),
      expect.objectContaining({ key: 'shared/last', value: 'done' }),
    ]);
    // The owner may write under its agent's prefix.
    expect((await value(t.core, { key: `agent/${agent.name}/hint` })).entry?.writer).toBe(person);
  });

  it('answers a gateway agent\'s context lines as that agent', async () => {
    t = await startCore({ builtinManifestDir: join('/nonexistent', 'none') });
    const client = await GatewayClient.connect(t.core.localAgents.gateway!.url, { token: gatewayToken(t.dataDir) });
    try {
      client.send({ type: 'hello', protocol: 1, name: 'ext', instanceId: 'ext-instance-1' });
      await client.next('welcome');
      client.send({ type: 'context.watch', id: 'watch-agent', prefix: 'agent/ext' });
      expect(await client.next('context', (l) => l.ref === 'watch-agent')).toMatchObject({ entries: [] });
      client.send({ type: 'context.set', id: 'set-ext-001', key: 'agent/ext/state', value: 'ready', ttlMs: 60_000 });
      expect(await client.next('context', (l) => l.ref === 'set-ext-001')).toMatchObject({ entries: [{ writer: 'ext', value: 'ready', expiresAt: expect.any(Number) }] });
      const change = await client.next('context', (l) => l.ref === 'watch-agent' && l.entries.length > 0);
      expect(change.entries).toMatchObject([{ key: 'agent/ext/state', value: 'ready' }]);
      client.send({ type: 'context.set', id: 'set-ext-002', key: 'agent/someone/state', value: 'x' });
      expect(await client.next('error', (l) => l.ref === 'set-ext-002')).toMatchObject({ code: 'denied' });
      client.send({ type: 'context.get', id: 'get-ext-001', key: 'agent/ext/state' });
      expect(await client.next('context', (l) => l.ref === 'get-ext-001')).toMatchObject({ entries: [{ value: 'ready' }] });
      client.send({ type: 'context.get', id: 'get-ext-002', key: 'agent/someone/state' });
      expect(await client.next('context', (l) => l.ref === 'get-ext-002')).toMatchObject({ entries: [] });
    } finally {
      await client.close();
    }
  });
});
