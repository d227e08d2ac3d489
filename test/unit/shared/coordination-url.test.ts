/**
 * The coordination URL rules every side shares: WebSocket only, no credentials in it,
 * `ws://` to another machine only when allowed, and when two URLs are the same server.
 */
import { describe, expect, it } from 'vitest';
import { CoordinationUrl, HybridConfig, defaultHybridConfig, insecureTransportProblem, isLoopbackHost, sameCoordinationUrl } from '../../../src/shared/config.js';

describe('coordination URL', () => {
  it('knows loopback hosts from the rest', () => {
    for (const host of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.10.0.3', '[::1]', '::1']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['nats.example.com', '10.0.0.1', '192.168.1.2', '128.0.0.1', 'localhost.evil.com', '[::2]', '0.0.0.0']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });

  it('lets ws:// reach loopback always and other hosts only when allowed; wss:// always', () => {
    expect(insecureTransportProblem('ws://127.0.0.1:4222', false)).toBeUndefined();
    expect(insecureTransportProblem('wss://nats.example.com', false)).toBeUndefined();
    expect(insecureTransportProblem('ws://nats.example.com', false)).toMatch(/unencrypted.*wss:\/\/nats\.example\.com/);
    expect(insecureTransportProblem('ws://nats.example.com', true)).toBeUndefined();
  });

  it('refuses a user or password in the URL', () => {
    expect(CoordinationUrl.safeParse('ws://user:pass@127.0.0.1:8080').success).toBe(false);
    expect(CoordinationUrl.safeParse('wss://token@nats.example.com').success).toBe(false);
    expect(CoordinationUrl.safeParse('wss://nats.example.com').success).toBe(true);
  });

  it('applies the transport rule to an enabled config, on the URL field', () => {
    const config = { ...defaultHybridConfig(), enabled: true, coordinationUrl: 'ws://nats.example.com:8080' };
    const refused = HybridConfig.safeParse(config);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['coordinationUrl']);
    expect(HybridConfig.safeParse({ ...config, allowInsecureTransport: true }).success).toBe(true);
    expect(HybridConfig.safeParse({ ...config, enabled: false }).success).toBe(true);
  });

  it('compares URLs as servers, not as strings', () => {
    expect(sameCoordinationUrl('wss://NATS.example.com:443/', 'wss://nats.example.com')).toBe(true);
    expect(sameCoordinationUrl(' ws://127.0.0.1:8080 ', 'ws://127.0.0.1:8080/')).toBe(true);
    expect(sameCoordinationUrl('ws://127.0.0.1:8080', 'ws://127.0.0.1:8081')).toBe(false);
    expect(sameCoordinationUrl('ws://127.0.0.1:8080', 'wss://127.0.0.1:8080')).toBe(false);
    expect(sameCoordinationUrl('wss://nats.example.com', '')).toBe(false);
  });
});
