import { describe, expect, it } from 'vitest';
import { TickBatcher } from '../../../src/core/participant/tick-batcher.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TickBatcher', () => {
  it('hands a burst over as one batch on the next turn, in order, and the next burst as another', async () => {
    const batches: number[][] = [];
    const batcher = new TickBatcher<number>((items) => batches.push(items));
    batcher.push(1);
    batcher.push(2);
    batcher.push(3);
    expect(batches).toEqual([]);
    await nextTurn();
    expect(batches).toEqual([[1, 2, 3]]);
    batcher.push(4);
    await nextTurn();
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('hands over at once on flush, and never an empty batch', async () => {
    const batches: string[][] = [];
    const batcher = new TickBatcher<string>((items) => batches.push(items));
    batcher.flush();
    batcher.push('a');
    batcher.flush();
    expect(batches).toEqual([['a']]);
    await nextTurn();
    expect(batches).toEqual([['a']]);
  });
});
