/**
 * One home per rule: the repo-name pattern and the instance-id, owner, endpoint,
 * capability, tag and task bounds are defined once (src/shared/domain.ts), and every
 * boundary that takes such a field refuses the same bad value with the same message as
 * the shared definition. A copy that drifts (another bound, another message) fails here.
 */
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { RegistrationSchema } from '../../../src/core/registry/registry-input.js';
import { SendRequest } from '../../../src/core/router/message-input.js';
import { CoordinatorConfig } from '../../../src/server/config.js';
import { parseCliArgs } from '../../../src/server/cli-args.js';
import { Identity, TokensFile } from '../../../src/server/identities.js';
import { HelloLine, SendLine, SpawnLine } from '../../../src/shared/agent-protocol.js';
import { ApiToken, HybridConfig, HybridConfigUpdate, defaultHybridConfig } from '../../../src/shared/config.js';
import { ConnectionTestInput } from '../../../src/shared/contract.js';
import {
  CoordinatorSpawnRequest,
  DeregisterRequest,
  HeartbeatRequest,
  RegisterRequest,
} from '../../../src/shared/coordinator-protocol.js';
import {
  AgentInfo,
  Capabilities,
  Capability,
  Endpoint,
  InstanceId,
  OwnerName,
  RepoName,
  SpawnRequest,
  TagKey,
  TagValue,
  TaskText,
  UserName,
} from '../../../src/shared/domain.js';
import { ValidationError } from '../../../src/shared/errors.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import { AgentQuery, AgentRef } from '../../../src/shared/registry-query.js';
import { SendMessageInput, SpawnInput } from '../../../src/shared/routing-contract.js';

type Path = (string | number)[];

/** The messages of the issues at `path` (or under it) when `schema` parses `input`. */
function messagesAt(schema: z.ZodType, input: unknown, path: Path): string[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  const key = path.join('.');
  return result.error.issues.filter((issue) => issue.path.join('.').startsWith(key)).map((issue) => issue.message);
}

/** The messages of the shared definition itself for `bad`. */
function sharedMessages(schema: z.ZodType, bad: unknown): string[] {
  const result = schema.safeParse(bad);
  expect(result.success).toBe(false);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

/** One boundary: a valid input, and where a field goes in it. */
interface Boundary {
  name: string;
  schema: z.ZodType;
  valid: Record<string, unknown>;
  /** Where the field sits in `valid`; an array field's element gets `[bad]`. */
  path: Path;
  element?: boolean;
}

function withValue(base: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

function expectSameRefusal(shared: z.ZodType, bad: unknown, boundaries: Boundary[]): void {
  const expected = sharedMessages(shared, bad);
  expect(expected.length).toBeGreaterThan(0);
  for (const boundary of boundaries) {
    // The valid input parses: the refusal below is the field's, nothing else's.
    expect(boundary.schema.safeParse(boundary.valid).success, `${boundary.name} accepts its valid input`).toBe(true);
    const input = withValue(boundary.valid, boundary.path, boundary.element ? [bad] : bad);
    const path = boundary.element ? [...boundary.path, 0] : boundary.path;
    expect(messagesAt(boundary.schema, input, path), boundary.name).toEqual(expected);
  }
}

const agent = {
  name: 'workspace-1', type: 'workspace', location: 'local', ownership: 'user', repo: 'switchyard', owner: 'ada',
  endpoint: 'stdio', instanceId: 'i-1', registeredAt: 1, lastHeartbeat: 2, status: 'active', capabilities: ['code'],
  tags: { region: 'eu' }, load: { current: 0, max: 2 }, metadata: {}, revision: 1,
};
const registration = { name: 'a', type: 'workspace', location: 'local', repo: 'r', owner: 'ada', instanceId: 'i-1', capabilities: ['code'], tags: { region: 'eu' }, endpoint: '' };
const register = { name: 'a', type: 'workspace', location: 'local', instanceId: 'i-1', capabilities: ['code'], tags: { region: 'eu' }, endpoint: '' };
const hello = { type: 'hello', protocol: 1, instanceId: 'i-1', capabilities: ['code'] };
const query = { repo: 'r', owner: 'ada', capabilities: ['code'], tags: { region: 'eu' } };
const spawnRequest = { repo: 'r', task: 'do it', spawnedBy: 'user' };

describe('one definition per rule, used by every boundary', () => {
  it('refuses a repo name with a dot with the same message everywhere a repo is named', () => {
    expectSameRefusal(RepoName, 'team.core', [
      { name: 'AgentInfo', schema: AgentInfo, valid: agent, path: ['repo'] },
      { name: 'HybridConfig', schema: HybridConfig, valid: defaultHybridConfig(), path: ['repo'] },
      { name: 'HybridConfigUpdate', schema: HybridConfigUpdate, valid: { config: defaultHybridConfig() }, path: ['config', 'repo'] },
      { name: 'AgentQuery', schema: AgentQuery, valid: query, path: ['repo'] },
      { name: 'AgentRef', schema: AgentRef, valid: { repo: 'r', name: 'a' }, path: ['repo'] },
      { name: 'RegistrationSchema', schema: RegistrationSchema, valid: registration, path: ['repo'] },
      { name: 'SendMessageInput', schema: SendMessageInput, valid: { to: 'b', body: 1, repo: 'r' }, path: ['repo'] },
      { name: 'SendRequest', schema: SendRequest, valid: { to: 'b', body: 1, repo: 'r' }, path: ['repo'] },
      { name: 'SpawnInput', schema: SpawnInput, valid: { task: 't', repo: 'r' }, path: ['repo'] },
      { name: 'SpawnRequest', schema: SpawnRequest, valid: spawnRequest, path: ['repo'] },
      { name: 'CoordinatorSpawnRequest', schema: CoordinatorSpawnRequest, valid: spawnRequest, path: ['repo'] },
      { name: 'CoordinatorConfig.repos', schema: CoordinatorConfig, valid: { nats: { servers: ['ws://127.0.0.1:4222'] }, tokensFile: 't.json', repos: ['r'] }, path: ['repos'], element: true },
      { name: 'Identity.repos', schema: Identity, valid: { user: 'ada', role: 'member', repos: ['r'] }, path: ['repos'], element: true },
    ]);
  });

  it('the coordinator command line refuses `--repo team.core` with that same message (it said only "not a repo name")', () => {
    const expected = sharedMessages(RepoName, 'team.core');
    let error: unknown;
    try {
      parseCliArgs(['--repo', 'ok', '--repo', 'team.core']);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: 'repo.1', message: expected[0] }]);
  });

  it('user names in the tokens file follow the repo-name rule, with its message', () => {
    expect(UserName).toBe(RepoName);
    expectSameRefusal(RepoName, 'ada.l', [
      { name: 'Identity.user', schema: Identity, valid: { user: 'ada', role: 'member', repos: ['r'] }, path: ['user'] },
      { name: 'TokensFile', schema: TokensFile, valid: { 'token-of-ada': { user: 'ada', role: 'member', repos: ['r'] } }, path: ['token-of-ada', 'user'] },
    ]);
  });

  it('bounds instance ids at 128 characters everywhere an instance is named', () => {
    expectSameRefusal(InstanceId, 'i'.repeat(129), [
      { name: 'AgentInfo', schema: AgentInfo, valid: agent, path: ['instanceId'] },
      { name: 'RegistrationSchema', schema: RegistrationSchema, valid: registration, path: ['instanceId'] },
      { name: 'RegisterRequest', schema: RegisterRequest, valid: register, path: ['instanceId'] },
      { name: 'DeregisterRequest', schema: DeregisterRequest, valid: { name: 'a', instanceId: 'i-1' }, path: ['instanceId'] },
      { name: 'HeartbeatRequest', schema: HeartbeatRequest, valid: { instanceId: 'i-1' }, path: ['instanceId'] },
      { name: 'HelloLine', schema: HelloLine, valid: hello, path: ['instanceId'] },
    ]);
  });

  it('bounds each capability at 128 characters and a list at 64, everywhere capabilities go', () => {
    const where = (path: Path, element?: boolean): Boundary[] => [
      { name: 'AgentInfo', schema: AgentInfo, valid: agent, path, element },
      { name: 'RegistrationSchema', schema: RegistrationSchema, valid: registration, path, element },
      { name: 'RegisterRequest', schema: RegisterRequest, valid: register, path, element },
      { name: 'HelloLine', schema: HelloLine, valid: hello, path, element },
      { name: 'AgentQuery', schema: AgentQuery, valid: query, path, element },
      { name: 'AgentManifest', schema: AgentManifest, valid: { type: 'echo', command: 'node', capabilities: ['code'] }, path, element },
    ];
    expectSameRefusal(Capability, 'c'.repeat(129), where(['capabilities'], true));
    expectSameRefusal(Capabilities, Array.from({ length: 65 }, (_, i) => `c${i}`), where(['capabilities']));
  });

  it('bounds tag keys at 128 and tag values at 256 characters, everywhere tags go', () => {
    const where = (key: string): Boundary[] => [
      { name: 'AgentInfo', schema: AgentInfo, valid: agent, path: ['tags', key] },
      { name: 'RegistrationSchema', schema: RegistrationSchema, valid: registration, path: ['tags', key] },
      { name: 'RegisterRequest', schema: RegisterRequest, valid: register, path: ['tags', key] },
      { name: 'AgentQuery', schema: AgentQuery, valid: query, path: ['tags', key] },
    ];
    expectSameRefusal(TagValue, 'v'.repeat(257), where('region'));
    // Keys: zod reports a bad key as "Invalid key in record", so check the bound itself:
    // 128 characters pass at every boundary, 129 are refused at every boundary.
    expect(TagKey.safeParse('k'.repeat(128)).success).toBe(true);
    expect(TagKey.safeParse('k'.repeat(129)).success).toBe(false);
    for (const boundary of where('region')) {
      const at = (length: number) => boundary.schema.safeParse(withValue(boundary.valid, ['tags'], { ['k'.repeat(length)]: 'x' })).success;
      expect([at(128), at(129)], boundary.name).toEqual([true, false]);
    }
  });

  it('bounds owners, endpoints, task texts and API tokens the same way at each boundary', () => {
    expectSameRefusal(OwnerName, 'o'.repeat(129), [
      { name: 'AgentInfo', schema: AgentInfo, valid: agent, path: ['owner'] },
      { name: 'RegistrationSchema', schema: RegistrationSchema, valid: registration, path: ['owner'] },
      { name: 'AgentQuery', schema: AgentQuery, valid: query, path: ['owner'] },
    ]);
    expectSameRefusal(Endpoint, 'e'.repeat(513), [
      { name: 'AgentInfo', schema: AgentInfo, valid: agent, path: ['endpoint'] },
      { name: 'RegistrationSchema', schema: RegistrationSchema, valid: registration, path: ['endpoint'] },
      { name: 'RegisterRequest', schema: RegisterRequest, valid: register, path: ['endpoint'] },
    ]);
    expectSameRefusal(TaskText, 't'.repeat(4097), [
      { name: 'SpawnRequest', schema: SpawnRequest, valid: spawnRequest, path: ['task'] },
      { name: 'SpawnInput', schema: SpawnInput, valid: { task: 't' }, path: ['task'] },
      { name: 'SpawnLine', schema: SpawnLine, valid: { type: 'spawn', task: 't' }, path: ['task'] },
    ]);
    expectSameRefusal(ApiToken, 'x'.repeat(4097), [
      { name: 'HybridConfigUpdate', schema: HybridConfigUpdate, valid: { config: defaultHybridConfig(), apiToken: 'tok' }, path: ['apiToken'] },
      { name: 'ConnectionTestInput', schema: ConnectionTestInput, valid: { coordinationUrl: 'wss://nats.example.com', apiToken: 'tok' }, path: ['apiToken'] },
    ]);
  });

  it('a local send request is the contract send input plus the ids a local source may carry', () => {
    const input = { to: 'b', body: { n: 1 }, repo: 'r', kind: 'task.assigned', ttlMs: 5, from: 'a' };
    expect(SendRequest.parse(input)).toEqual(SendMessageInput.parse(input));
    expect(Object.keys(SendRequest.shape).sort()).toEqual([...Object.keys(SendMessageInput.shape), 'id', 'traceId'].sort());
    // An agent's `send` line reads through it too (its `type` key is ignored).
    expect(SendLine.safeParse({ type: 'send', to: 'b', body: 1 }).success).toBe(true);
    expect(SendRequest.parse({ type: 'send', to: 'b', body: 1, id: 'abcdefgh1' })).toEqual({ to: 'b', body: 1, kind: 'text', id: 'abcdefgh1' });
  });
});
