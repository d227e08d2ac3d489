/**
 * Generates the reference parts of the docs from the schemas, so they cannot drift:
 * docs/contract.md (every contract call and event, from src/shared/contract.ts) and the
 * coordinator's request and reply fields in docs/nats.md (from
 * src/shared/coordinator-protocol.ts). Each goes between `<!-- name:start -->` and
 * `<!-- name:end -->` markers; the prose around them is written by hand.
 *
 * `npm run docs:contract` rewrites both; `--check` only says whether they are current.
 * test/unit/docs/contract-docs.test.ts runs the same check in `npm test`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { LogEntry } from '../src/shared/agent-protocol.js';
import { HybridConfigView } from '../src/shared/config.js';
import { ConnectionState } from '../src/shared/connection.js';
import type { CallName, EventName } from '../src/shared/contract.js';
import { calls, events } from '../src/shared/contract.js';
import type { CoordinatorEndpoint } from '../src/shared/coordinator-protocol.js';
import {
  ContextSetRequest,
  CoordinatorSpawnRequest,
  DeregisterReply,
  DeregisterRequest,
  HeartbeatReply,
  HeartbeatRequest,
  RegisterReply,
  RegisterRequest,
  RegistryStatusReply,
  RegistryStatusRequest,
  SpawnReply,
  TaskPutReply,
  TaskPutRequest,
} from '../src/shared/coordinator-protocol.js';
import { AgentInfo, Hop, MessageKind, RouteInfo } from '../src/shared/domain.js';
import { ContextEntry } from '../src/shared/blackboard.js';
import { headers, subjects } from '../src/shared/nats-subjects.js';
import { AgentQuery } from '../src/shared/registry-query.js';
import { Problem } from '../src/shared/problems.js';
import { TraceSummary } from '../src/shared/routing-contract.js';
import type { Shape } from './schema-shape.js';
import { acceptsNothing, namedTypes, shapeOf } from './schema-shape.js';

/** Types printed once under their name (docs/contract.md, Types) wherever they appear. */
const NAMED: Record<string, z.ZodType> = {
  AgentInfo,
  AgentQuery,
  ConnectionState,
  HybridConfigView,
  Hop,
  LogEntry,
  MessageKind,
  Problem,
  RouteInfo,
  TraceSummary,
};
const named = namedTypes(NAMED);

/**
 * The typed errors (src/shared/errors.ts) a call's handler is known to return, beyond
 * the ValidationError and UnknownCall every call can. Written by hand from the
 * handlers; the test checks each name is an error class there.
 */
export const KNOWN_ERRORS: Record<CallName, string[]> = {
  'system.info': [],
  'config.get': [],
  'config.set': ['TokenNotForUrl'],
  'connection.get': [],
  'connection.test': ['TokenNotForUrl'],
  'agents.list': [],
  'agents.get': [],
  'agents.select': ['NoAgentAvailable'],
  'messages.send': ['NoSuchAgent', 'NoAgentAvailable', 'WorkloadFull', 'RemoteUnavailable', 'MessageTooLarge', 'RateLimited'],
  'traces.query': [],
  'traces.get': [],
  'agents.spawn': ['RemoteUnavailable', 'WorkersUnavailable', 'SpawnFailed', 'UnknownAgentType', 'AgentStartFailed', 'SpawnLimitError'],
  'manifests.list': [],
  'manifests.install': ['DependencyMissing', 'ManifestExists'],
  'agents.start': ['UnknownAgentType', 'DependencyMissing', 'AgentStartFailed', 'NameConflict', 'WorkspaceInvalid', 'RemoteUnavailable', 'WorkersUnavailable', 'SpawnFailed'],
  'agents.stop': ['AgentNotRunning'],
  'agents.restart': ['AgentNotRunning', 'AgentStartFailed'],
  'agents.scale': ['UnknownAgentType', 'DependencyMissing', 'AgentStartFailed'],
  'agents.logs': ['AgentNotRunning'],
  'autostart.get': [],
  'autostart.set': ['UnknownAgentType', 'AgentStartFailed'],
  'workspaces.validate': ['WorkspaceInvalid', 'GitFailed'],
  'worktrees.list': ['WorkspaceInvalid', 'GitFailed'],
  'worktrees.diff': ['WorkspaceInvalid', 'WorktreeNotFound', 'GitFailed'],
  'worktrees.merge': ['WorkspaceInvalid', 'WorktreeNotFound', 'GitFailed'],
  'worktrees.discard': ['WorkspaceInvalid', 'WorktreeNotFound', 'GitFailed'],
  'conversation.get': [],
  'approvals.list': [],
  'approvals.answer': ['ApprovalNotFound', 'ApprovalClosed', 'RemoteUnavailable'],
  'usage.summary': [],
  'problems.list': [],
  'problems.dismiss': [],
  'tasks.create': ['NoSuchAgent', 'RemoteUnavailable'],
  'tasks.list': [],
  'tasks.get': [],
  'tasks.cancel': ['TaskNotFound'],
  'context.set': ['ContextWriteDenied', 'RemoteUnavailable'],
  'context.get': [],
  'context.list': [],
  'spawnRules.get': [],
  'spawnRules.set': [],
  'agents.metrics': ['NoSuchAgent'],
  'repos.list': [],
};

/** When each event fires, in a line (the schema says what it carries). */
const EVENT_WHEN: Record<EventName, string> = {
  'agents.changed': 'a batch of registry changes, local or mirrored from the team registry',
  'connection.changed': 'the link to the coordination service changed phase',
  'messages.routed': 'new or changed trace summaries, at most one event per tick',
  'conversation.appended': 'messages to or from the person at the desktop (the participant endpoint `user`)',
  'approvals.changed': 'an approval request arrived for the person, or was answered or expired',
  'usage.changed': "a coding agent's task finished and its tokens and cost were counted",
  'problems.changed': 'a problem was raised, repeated, resolved or dismissed (the whole list, and the ids just raised)',
  'tasks.changed': 'tasks were created or changed phase, here or in the mirrored team board, at most one event per tick',
  'context.changed': 'blackboard entries were written, deleted or expired, here or in the mirrored team bucket',
};

/** The coordinator's endpoints: subject, request body and reply value. */
const ENDPOINTS: Record<CoordinatorEndpoint, { subject: string; request: z.ZodType; reply: z.ZodType; note: string }> = {
  register: {
    subject: subjects.register('<repo>'),
    request: RegisterRequest,
    reply: RegisterReply,
    note: 'Idempotent on `instanceId`. No `owner`: the coordinator takes it from the token; `ownership` is checked against the type, never trusted.',
  },
  deregister: {
    subject: subjects.deregister('<repo>'),
    request: DeregisterRequest,
    reply: DeregisterReply,
    note: 'With `instanceId`, only that instance is removed.',
  },
  heartbeat: {
    subject: subjects.heartbeat('<repo>', '<agent>'),
    request: HeartbeatRequest,
    reply: HeartbeatReply,
    note: 'The agent is the subject after `hb.`. A plain publish works too (no reply).',
  },
  spawn: {
    subject: subjects.spawn('<repo>'),
    request: CoordinatorSpawnRequest,
    reply: SpawnReply,
    note: '`repo` must be the subject\'s repo.',
  },
  status: {
    subject: subjects.registryStatus('<repo>'),
    request: RegistryStatusRequest,
    reply: RegistryStatusReply,
    note: 'The registry bucket\'s identity and position, for a mirror\'s resume check.',
  },
  context: {
    subject: subjects.contextSet('<repo>'),
    request: ContextSetRequest,
    reply: ContextEntry,
    note: 'A blackboard write (docs/blackboard.md): the writer is the token\'s user (`<user>.user`) or, with `as`, one of its agents in the team registry; the write rules decide (ContextWriteDenied). `value: null` deletes.',
  },
  taskPut: {
    subject: subjects.taskPut('<repo>'),
    request: TaskPutRequest,
    reply: TaskPutReply,
    note: 'Writes the task to the tasks bucket (`sy-tasks`, key `<repo>.<taskId>`). The caller must own the task\'s `requestedBy` (and the requester of the record it replaces); admins may put any. docs/tasks.md.',
  },
};

/**
 * What follows `Input:` or `Output:`: a one-line shape inline, a longer one fenced, then
 * links to the named types it uses.
 */
function describe(shape: Shape, linkBase = '', optional = false): string {
  const links = shape.uses.map((id) => `[${id}](${linkBase}#${id.toLowerCase()})`).join(', ');
  const flag = optional ? ', may be left out' : '';
  if (!shape.text.includes('\n')) return ` \`${shape.text}\`${flag}${links ? ` (see ${links})` : ''}.`;
  return `${flag ? `${flag.slice(2)}.` : ''}\n\n\`\`\`ts\n${shape.text}\n\`\`\`${links ? `\n\nSee ${links}.` : ''}`;
}

/** The input's description: none, or its shape (saying when the whole input may be left out). */
function inputBlock(schema: z.ZodType, linkBase = ''): string {
  const shape = shapeOf(schema, 'input', named);
  if (shape.text === 'unknown' && acceptsNothing(schema)) return ' none.';
  return describe(shape, linkBase, acceptsNothing(schema));
}

/** The generated part of docs/contract.md. */
export function renderContractBlock(): string {
  const out: string[] = ['## Calls', ''];
  for (const [name, spec] of Object.entries(calls) as Array<[CallName, (typeof calls)[CallName]]>) {
    out.push(`### \`${name}\``, '');
    out.push(`Input:${inputBlock(spec.input)}`, '');
    out.push(`Output:${describe(shapeOf(spec.output, 'output', named))}`, '');
    const errors = KNOWN_ERRORS[name];
    if (errors.length) out.push(`Errors: ${errors.map((e) => `\`${e}\``).join(', ')}.`, '');
  }
  out.push('## Events', '');
  for (const [name, schema] of Object.entries(events) as Array<[EventName, z.ZodType]>) {
    out.push(`### \`${name}\``, '', `When: ${EVENT_WHEN[name]}.`, '', `Payload:${describe(shapeOf(schema, 'output', named))}`, '');
  }
  out.push('## Types', '');
  for (const [id, schema] of Object.entries(NAMED)) {
    const input = shapeOf(schema, 'input', named, id).text;
    const output = shapeOf(schema, 'output', named, id);
    // A named type is printed once, so it must read the same parsed and produced.
    if (input !== output.text) throw new Error(`named type ${id} differs between input and output; leave it unnamed`);
    out.push(`### ${id}`, '', `\`\`\`ts\n${output.text}\n\`\`\``, '');
  }
  return out.join('\n').trimEnd();
}

/** The generated part of docs/nats.md: each coordinator endpoint's fields. */
export function renderCoordinatorBlock(): string {
  const out: string[] = [];
  for (const [name, endpoint] of Object.entries(ENDPOINTS)) {
    out.push(`### ${name}: \`${endpoint.subject}\``, '', endpoint.note, '');
    out.push(`Request body (credential in the \`${headers.token}\` header):${inputBlock(endpoint.request, 'contract.md')}`, '');
    out.push(`Reply value:${describe(shapeOf(endpoint.reply, 'output', named), 'contract.md')}`, '');
  }
  return out.join('\n').trimEnd();
}

/** One generated block of one doc. */
export interface DocBlock {
  /** Relative to the repo root. */
  file: string;
  marker: string;
  render: () => string;
}

export const DOC_BLOCKS: DocBlock[] = [
  { file: 'docs/contract.md', marker: 'contract', render: renderContractBlock },
  { file: 'docs/nats.md', marker: 'coordinator-protocol', render: renderCoordinatorBlock },
];

/** `doc` with the text between the block's markers replaced; throws when a marker is missing. */
export function replaceBlock(doc: string, marker: string, content: string): string {
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`no ${start} … ${end} block`);
  return `${doc.slice(0, from + start.length)}\n${content}\n${doc.slice(to)}`;
}

const ROOT = new URL('../', import.meta.url);

/** Each doc as it is and as it should be. */
export function docsStatus(): Array<{ file: string; current: string; expected: string }> {
  const files = [...new Set(DOC_BLOCKS.map((b) => b.file))];
  return files.map((file) => {
    const current = readFileSync(fileURLToPath(new URL(file, ROOT)), 'utf8');
    const expected = DOC_BLOCKS.filter((b) => b.file === file).reduce((doc, b) => replaceBlock(doc, b.marker, b.render()), current);
    return { file, current, expected };
  });
}

function main(): void {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { file, current, expected } of docsStatus()) {
    if (current === expected) continue;
    stale += 1;
    if (check) console.error(`${file} is out of date: run npm run docs:contract`);
    else {
      writeFileSync(fileURLToPath(new URL(file, ROOT)), expected);
      console.log(`wrote ${file}`);
    }
  }
  if (check && stale) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
