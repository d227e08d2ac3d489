import { describe, expect, it } from 'vitest';
import { bodySize, checkedCopy, readSendRequest } from '../../../src/core/router/message-input.js';
import { RateLimiter } from '../../../src/core/router/rate-limiter.js';
import { parseTraceparent, traceparentFor } from '../../../src/core/router/trace-context.js';

describe('RateLimiter', () => {
  it('allows a burst, then refills at the sustained rate, per sender', () => {
    const limiter = new RateLimiter({ perSecond: 10, burst: 3 });
    expect([1, 2, 3, 4].map(() => limiter.take('a', 0))).toEqual([true, true, true, false]);
    expect(limiter.take('b', 0)).toBe(true);
    expect(limiter.take('a', 50)).toBe(false);
    expect(limiter.take('a', 100)).toBe(true);
    expect(limiter.take('a', 100)).toBe(false);
  });
});

describe('traceparent', () => {
  it('round-trips and rejects malformed or all-zero ids', () => {
    const trace = '0af7651916cd43dd8448eb211c80319c';
    const header = traceparentFor(trace, 'b7ad6b7169203331');
    expect(header).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(parseTraceparent(header)).toEqual({ traceId: trace, spanId: 'b7ad6b7169203331', sampled: true });
    expect(parseTraceparent(`00-${'0'.repeat(32)}-b7ad6b7169203331-01`)).toBeUndefined();
    expect(parseTraceparent('garbage')).toBeUndefined();
    expect(parseTraceparent(traceparentFor(trace))?.spanId).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('send requests', () => {
  it('checks the size before parsing and names bad fields', () => {
    expect(bodySize({ a: 'xx' })).toBe(10);
    expect(() => readSendRequest({ to: 'b', body: 'x'.repeat(20) }, 10)).toThrow(expect.objectContaining({ name: 'MessageTooLarge' }));
    expect(() => readSendRequest({ to: 'b c', body: 1 }, 100)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
    expect(readSendRequest({ type: 'send', to: 'b', body: [1] }, 100)).toMatchObject({ to: 'b', body: [1], kind: 'text' });
  });

  it('parses a request once: a checked copy passes the router as is, but never past a smaller limit', () => {
    const checked = readSendRequest({ to: 'type:x', body: 'x'.repeat(20) }, 100);
    const copy = checkedCopy(checked, { to: 'x-1' });
    expect(readSendRequest(copy, 100)).toBe(copy);
    expect(() => readSendRequest(copy, 10)).toThrow(expect.objectContaining({ name: 'MessageTooLarge' }));
    // A look-alike that never went through the parser is parsed (and refused) as usual.
    expect(() => readSendRequest({ ...copy, to: 'b c' }, 100)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
    expect(() => readSendRequest(checkedCopy({ ...copy }, { to: 'b c' }), 100)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });
});
