import { describe, expect, it } from 'vitest';
import { HybridConfig, defaultHybridConfig } from '../../../src/shared/config.js';
import { AgentInfo, AgentName, RoutedMessage } from '../../../src/shared/domain.js';
import { ValidationError } from '../../../src/shared/errors.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import { parseUnknown } from '../../../src/shared/parse.js';
import { AgentQuery } from '../../../src/shared/registry-query.js';

const agent = {
  name: 'workspace-1',
  type: 'workspace',
  location: 'local',
  ownership: 'user',
  repo: 'switchyard',
  owner: 'ada',
  endpoint: 'stdio',
  instanceId: 'i-1',
  registeredAt: 1,
  lastHeartbeat: 2,
  status: 'active',
  capabilities: ['code'],
  tags: { region: 'eu' },
  load: { current: 0, max: 2 },
  metadata: {},
  revision: 1,
};

describe('schemas', () => {
  it('accepts a well-formed agent', () => {
    expect(AgentInfo.parse(agent)).toEqual(agent);
  });

  it.each([
    ['an empty name', { name: '' }],
    ['a name with a space', { name: 'my agent' }],
    ['a 129-character name', { name: 'a'.repeat(129) }],
    ['an unknown status', { status: 'sleeping' }],
    ['a negative load', { load: { current: -1, max: 2 } }],
    ['an infinite load', { load: { current: Infinity, max: 2 } }],
    ['a repo with a dot', { repo: 'a.b' }],
    ['an unknown location', { location: 'moon' }],
  ])('rejects %s', (_what, change) => {
    expect(AgentInfo.safeParse({ ...agent, ...change }).success).toBe(false);
  });

  it('names each bad path in a ValidationError', () => {
    try {
      parseUnknown(AgentInfo, { ...agent, name: 'bad name', load: { current: 'x', max: 1 } }, 'agent');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const paths = (error as ValidationError).issues.map((issue) => issue.path);
      expect(paths).toContain('name');
      expect(paths).toContain('load.current');
      expect((error as ValidationError).name).toBe('ValidationError');
    }
  });

  it('accepts names of 1 and 128 characters from the allowed set', () => {
    expect(AgentName.safeParse('a').success).toBe(true);
    expect(AgentName.safeParse('A-z_0.9'.padEnd(128, 'x')).success).toBe(true);
  });

  it.each([
    ['an http URL', 'http://nats.example.com'],
    ['a nats:// URL (nats.ws speaks WebSocket only)', 'nats://nats.example.com:4222'],
    ['not a URL', 'not a url'],
  ])('rejects %s as the coordination URL', (_what, url) => {
    const result = HybridConfig.safeParse({ ...defaultHybridConfig(), enabled: true, coordinationUrl: url });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['coordinationUrl']);
  });

  it('requires a URL only when hybrid is enabled', () => {
    expect(HybridConfig.safeParse({ ...defaultHybridConfig(), enabled: false }).success).toBe(true);
    const enabled = HybridConfig.safeParse({ ...defaultHybridConfig(), enabled: true });
    expect(enabled.error?.issues[0]?.message).toMatch(/coordination service URL/);
  });

  it('refuses a type that is both local and remote', () => {
    const result = HybridConfig.safeParse({
      ...defaultHybridConfig(),
      localAgentTypes: ['review'],
      remoteAgentTypes: ['review'],
    });
    expect(result.error?.issues[0]?.message).toMatch(/both local and remote: review/);
  });

  it('fills manifest defaults and rejects a manifest without a command', () => {
    const manifest = AgentManifest.parse({ type: 'echo', command: 'node' });
    expect(manifest.healthCheck).toEqual({ intervalMs: 5000, timeoutMs: 5000, failureThreshold: 3, autoRestart: true });
    expect(manifest.maxConcurrentTasks).toBe(1);
    expect(AgentManifest.safeParse({ type: 'echo' }).success).toBe(false);
    expect(AgentManifest.safeParse({ type: 'echo', command: 'node', env: { 'BAD-NAME': 'x' } }).success).toBe(false);
  });

  it('rejects unknown query keys rather than ignoring them', () => {
    expect(AgentQuery.safeParse({ type: 'workspace', colour: 'blue' }).success).toBe(false);
  });

  it('rejects a routed message with a bad trace id or kind', () => {
    const message = {
      id: 'msg-00000001',
      from: 'a',
      to: 'b',
      repo: 'r',
      body: { text: 'hi' },
      kind: 'text',
      timestamp: 1,
      route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: 1 },
      traceId: '0af7651916cd43dd8448eb211c80319c',
    };
    expect(RoutedMessage.safeParse(message).success).toBe(true);
    expect(RoutedMessage.safeParse({ ...message, traceId: 'xyz' }).success).toBe(false);
    expect(RoutedMessage.safeParse({ ...message, kind: 'task.exploded' }).success).toBe(false);
  });
});
