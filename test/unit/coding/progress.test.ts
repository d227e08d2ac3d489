import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../../src/shared/coding.js';
import { TaskProgressBody } from '../../../src/shared/coding.js';
import { MAX_EVENTS_PER_BATCH, ProgressBatcher } from '../../../src/core/coding/progress-batcher.js';
import { eventually } from '../../helpers/eventually.js';
import { manualClock } from '../../helpers/test-clocks.js';
import { tempDirsPerTest } from '../../helpers/temp-dir.js';
import { harness } from './fakes.js';

describe('task.progress batching', () => {
  const temp = tempDirsPerTest('sy-coding-');

  it('sends the first event at once, then gathers the rest until progressBatchMs after the last batch, seq counting from 1', async () => {
    const h = harness(temp(), { progressBatchMs: 50 });
    const id = h.deliver('alice', 'text', 'go');
    const turn = await eventually(() => h.engine.turns[0]);
    turn.emitText('a');
    expect(h.of('task.progress').map((m) => m.body)).toEqual([{ taskId: 'task-1', inReplyTo: id, seq: 1, events: [{ type: 'text', text: 'a' }] }]);
    h.clock.advance(20);
    turn.emitText('b');
    turn.request.onEvent({ type: 'tool', id: 't1', tool: 'Write', summary: 'Write a.txt' });
    h.clock.advance(29);
    expect(h.of('task.progress')).toHaveLength(1);
    h.clock.advance(1);
    expect(h.of('task.progress').map((m) => m.body)[1]).toEqual({
      taskId: 'task-1', inReplyTo: id, seq: 2, events: [{ type: 'text', text: 'b' }, { type: 'tool', id: 't1', tool: 'Write', summary: 'Write a.txt' }],
    });
    // A quiet spell longer than the window: the next event goes out at once again.
    h.clock.advance(80);
    turn.emitText('c');
    expect(h.of('task.progress')[2]!.body).toMatchObject({ seq: 3, events: [{ type: 'text', text: 'c' }] });
  });

  it('a chatty engine: 10,000 events in one burst become full batches, each a valid TaskProgressBody', async () => {
    const h = harness(temp(), { progressBatchMs: 50 });
    h.deliver('alice', 'text', 'go');
    const turn = await eventually(() => h.engine.turns[0]);
    for (let i = 0; i < 10_000; i++) turn.emitText(`token ${i} `);
    h.clock.advance(50);
    const batches = h.of('task.progress');
    // The first event alone (after a quiet spell), then full batches, then the rest at the window's end.
    expect(batches).toHaveLength(10_000 / MAX_EVENTS_PER_BATCH + 1);
    const texts: string[] = [];
    for (const [i, m] of batches.entries()) {
      const body = TaskProgressBody.parse(m.body);
      expect(body.seq).toBe(i + 1);
      expect(body.events.length).toBeLessThanOrEqual(MAX_EVENTS_PER_BATCH);
      for (const event of body.events) texts.push(event.type === 'text' ? event.text : '');
    }
    expect(texts).toEqual(Array.from({ length: 10_000 }, (_, i) => `token ${i} `));
  });

  it('flushes what is gathered before task.completed, so nothing is lost or reordered', async () => {
    const h = harness(temp(), { progressBatchMs: 10_000 });
    h.deliver('alice', 'text', 'go');
    const turn = await eventually(() => h.engine.turns[0]);
    turn.emitText('last words');
    turn.complete();
    await eventually(() => h.of('task.completed')[0]);
    expect(h.sent.map((m) => m.kind)).toEqual(['task.started', 'task.progress', 'task.completed']);
  });

  it('cuts a batch by size and clamps an over-long event to the schema', () => {
    const clock = manualClock();
    const out: { events: TranscriptEvent[]; seq: number }[] = [];
    const batcher = new ProgressBatcher({ batchMs: 50, maxEvents: 100, maxBytes: 100_000 }, (events, seq) => void out.push({ events, seq }), clock);
    for (let i = 0; i < 3; i++) batcher.push({ type: 'text', text: 'x'.repeat(60_000) });
    batcher.push({ type: 'text', text: 'y'.repeat(70_000) });
    clock.advance(50);
    expect(out.map((b) => b.events.length)).toEqual([1, 1, 1, 1]);
    expect(out.map((b) => b.seq)).toEqual([1, 2, 3, 4]);
    const last = out[3]!.events[0] as { text: string };
    expect(last.text).toHaveLength(65_536);
    expect(last.text.endsWith('…')).toBe(true);
  });
});
