/**
 * The hybrid config's extra servers (a NATS cluster): each is checked like the
 * coordination URL, on its own path, and a config saved before they existed parses.
 */
import { describe, expect, it } from 'vitest';
import { HybridConfig } from '../../../src/shared/config.js';

const base = {
  enabled: true,
  coordinationUrl: 'wss://nats1.example.com',
  repo: 'demo',
  localAgentTypes: [],
  remoteAgentTypes: [],
  fallbackToLocal: false,
};

const pathsOf = (value: unknown) => {
  const result = HybridConfig.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
};

describe('HybridConfig.servers', () => {
  it('keeps a config saved before servers existed', () => {
    expect(HybridConfig.parse(base).servers).toBeUndefined();
  });

  it('takes other wss:// nodes of the cluster', () => {
    const parsed = HybridConfig.parse({ ...base, servers: ['wss://nats2.example.com', 'wss://nats3.example.com:8443'] });
    expect(parsed.servers).toEqual(['wss://nats2.example.com', 'wss://nats3.example.com:8443']);
  });

  it('names the bad entry: not a WebSocket URL, a credential in it, an empty one', () => {
    expect(pathsOf({ ...base, servers: ['wss://ok.example.com', 'http://nats2.example.com'] })).toEqual(['servers.1']);
    expect(pathsOf({ ...base, servers: ['wss://u:p@nats2.example.com'] })).toEqual(['servers.0']);
    expect(pathsOf({ ...base, servers: [''] })).toEqual(['servers.0']);
  });

  it('refuses ws:// to another machine when enabled, unless allowed; loopback is fine', () => {
    expect(pathsOf({ ...base, servers: ['ws://nats2.example.com'] })).toEqual(['servers.0']);
    expect(pathsOf({ ...base, servers: ['ws://nats2.example.com'], allowInsecureTransport: true })).toEqual([]);
    expect(pathsOf({ ...base, servers: ['ws://127.0.0.1:4223'] })).toEqual([]);
    expect(pathsOf({ ...base, enabled: false, servers: ['ws://nats2.example.com'] })).toEqual([]);
  });
});
