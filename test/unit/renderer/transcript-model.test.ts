/**
 * The transcript model: a finished task's answer, already streamed as its last prose,
 * is not repeated by the result card (the e2e run showed "Created hello.txt." twice).
 */
import { describe, expect, it } from 'vitest';
import { buildTranscript } from '../../../src/renderer/src/model/conversation.js';
import { completed, progress, started } from './coding-fixtures.js';

const completedItem = (items: ReturnType<typeof buildTranscript>) => items.find((item) => item.type === 'completed');

describe('buildTranscript: the result card and the streamed answer', () => {
  it('marks the answer as shown when the task streamed it last, after its tool use', () => {
    const items = buildTranscript([
      started('t1'),
      progress('t1', 1, [{ type: 'text', text: 'I will write it.' }, { type: 'tool', id: 'u1', tool: 'Write', summary: 'Write hello.txt' }]),
      progress('t1', 2, [{ type: 'tool-result', id: 'u1', ok: true, summary: 'ok' }, { type: 'text', text: 'Wrote ' }, { type: 'text', text: 'hello.txt.' }]),
      completed('t1', { text: 'Wrote hello.txt.' }),
    ]);
    expect(completedItem(items)).toMatchObject({ type: 'completed', textShown: true });
  });

  it('keeps the answer on the card when the stream did not end with it', () => {
    const onlyTool = buildTranscript([
      started('t1'),
      progress('t1', 1, [{ type: 'text', text: 'Wrote hello.txt.' }, { type: 'tool', id: 'u1', tool: 'Write', summary: 'Write hello.txt' }]),
      completed('t1', { text: 'Wrote hello.txt.' }),
    ]);
    expect(completedItem(onlyTool)).toMatchObject({ textShown: false });
    const otherTask = buildTranscript([started('t2'), progress('t2', 1, [{ type: 'text', text: 'Wrote hello.txt.' }]), started('t1'), completed('t1')]);
    expect(completedItem(otherTask)).toMatchObject({ textShown: false });
  });
});
