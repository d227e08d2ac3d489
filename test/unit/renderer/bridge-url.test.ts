import { describe, expect, it } from 'vitest';
import { backoffDelay, bridgeUrl, readToken } from '../../../src/renderer/src/api/bridge-url.js';

describe('readToken', () => {
  it('reads ?token=', () => {
    expect(readToken('?token=abc_DEF-123')).toBe('abc_DEF-123');
    expect(readToken('?x=1&token=t')).toBe('t');
  });

  it('is null when absent or blank', () => {
    expect(readToken('')).toBeNull();
    expect(readToken('?token=')).toBeNull();
    expect(readToken('?other=1')).toBeNull();
  });
});

describe('bridgeUrl', () => {
  it('points at /bridge on the serving host, token encoded', () => {
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:4312' }, 'a+b/c')).toBe('ws://127.0.0.1:4312/bridge?token=a%2Bb%2Fc');
  });

  it('uses wss behind https', () => {
    expect(bridgeUrl({ protocol: 'https:', host: 'dev.example' }, 't')).toBe('wss://dev.example/bridge?token=t');
  });
});

describe('backoffDelay', () => {
  it('doubles from half a second and stops at 15 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(backoffDelay)).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });
});
