import { describe, expect, it } from 'vitest';
import { FrameBatcher } from '../../../src/renderer/src/store/frame-batcher.js';
import { LiveBuffer, agentKey, applyAgentBatch } from '../../../src/renderer/src/store/live-buffer.js';
import { agent, manualFrames } from './fixtures.js';

describe('FrameBatcher', () => {
  it('flushes once per frame however many requests arrive', () => {
    const frames = manualFrames();
    let flushes = 0;
    const batcher = new FrameBatcher(() => flushes++, frames);
    for (let i = 0; i < 500; i++) batcher.request();
    expect(frames.waiting).toBe(1);
    expect(flushes).toBe(0);
    frames.frame();
    expect(flushes).toBe(1);
    frames.frame();
    expect(flushes).toBe(1);
    batcher.request();
    frames.frame();
    expect(flushes).toBe(2);
  });

  it('cancel drops the scheduled flush', () => {
    const frames = manualFrames();
    let flushes = 0;
    const batcher = new FrameBatcher(() => flushes++, frames);
    batcher.request();
    batcher.cancel();
    frames.frame();
    expect(flushes).toBe(0);
    expect(batcher.pending).toBe(false);
  });
});

describe('LiveBuffer', () => {
  it('folds many changes to one entry per agent, last one winning', () => {
    const buffer = new LiveBuffer();
    for (let i = 1; i <= 100; i++) {
      buffer.pushAgentsChanged({ revision: i, upserts: [agent({ name: 'a', load: { current: i % 4, max: 4 }, revision: i })], removals: [] });
    }
    const batch = buffer.take();
    expect(batch.agentChanges.size).toBe(1);
    expect(batch.agentChanges.get('demo/a')?.revision).toBe(100);
    expect(batch.revision).toBe(100);
    expect(buffer.isEmpty).toBe(true);
  });

  it('a removal after an upsert removes; an upsert after a removal restores', () => {
    const buffer = new LiveBuffer();
    buffer.pushAgentsChanged({ revision: 1, upserts: [agent({ name: 'a' }), agent({ name: 'b' })], removals: [] });
    buffer.pushAgentsChanged({ revision: 2, upserts: [], removals: [{ repo: 'demo', name: 'a' }] });
    buffer.pushAgentsChanged({ revision: 3, upserts: [], removals: [{ repo: 'demo', name: 'b' }] });
    buffer.pushAgentsChanged({ revision: 4, upserts: [agent({ name: 'b', status: 'busy' })], removals: [] });
    const next = applyAgentBatch(new Map([['demo/a', agent({ name: 'a' })]]), buffer.take());
    expect([...next.keys()]).toEqual(['demo/b']);
    expect(next.get('demo/b')?.status).toBe('busy');
  });

  it('a snapshot replaces what came before it; later events apply on top', () => {
    const buffer = new LiveBuffer();
    buffer.pushAgentsChanged({ revision: 5, upserts: [agent({ name: 'stale' })], removals: [] });
    buffer.pushSnapshot([agent({ name: 'a' }), agent({ name: 'b' })]);
    buffer.pushAgentsChanged({ revision: 6, upserts: [agent({ name: 'c' })], removals: [{ repo: 'demo', name: 'a' }] });
    const current = new Map([['demo/old', agent({ name: 'old' })]]);
    const next = applyAgentBatch(current, buffer.take());
    expect([...next.keys()].sort()).toEqual(['demo/b', 'demo/c']);
  });

  it('keeps only the latest connection state', () => {
    const buffer = new LiveBuffer();
    buffer.pushConnection({ phase: 'connecting', server: 'ws://x', lastError: null, since: 1 });
    buffer.pushConnection({ phase: 'connected', server: 'ws://x', lastError: null, since: 2 });
    expect(buffer.take().connection?.phase).toBe('connected');
  });
});

describe('applyAgentBatch', () => {
  it('returns a new Map and keeps unchanged records by identity', () => {
    const a = agent({ name: 'a' });
    const b = agent({ name: 'b' });
    const current = new Map([
      [agentKey(a), a],
      [agentKey(b), b],
    ]);
    const b2 = { ...b, status: 'idle' as const };
    const next = applyAgentBatch(current, { snapshot: null, agentChanges: new Map([[agentKey(b2), b2]]) });
    expect(next).not.toBe(current);
    expect(next.get('demo/a')).toBe(a);
    expect(next.get('demo/b')).toBe(b2);
    expect(current.get('demo/b')).toBe(b);
  });

  it('keys by repo and name, so equal names in two repos are two agents', () => {
    const next = applyAgentBatch(new Map(), {
      snapshot: [agent({ name: 'x', repo: 'one' }), agent({ name: 'x', repo: 'two' })],
      agentChanges: new Map(),
    });
    expect([...next.keys()].sort()).toEqual(['one/x', 'two/x']);
  });
});
