/**
 * Arguments become contract inputs through the contract's schemas: the input each verb
 * sends, and the usage errors (exit 2, before any connection) for what the schemas
 * refuse. tasks.* and context.* are covered here only: their core handlers are built on
 * other branches.
 */
import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor } from '../../../src/cli/exit-codes.js';
import { runRecorded } from './recording-io.js';

describe('verbs build the contract input from their arguments', () => {
  it.each([
    [['agents', '--repo', 'web', '--type', 'echo'], 'agents.list', { repo: 'web', type: 'echo' }],
    [['start', 'claude-code', '--name', 'coder', '--workspace', 'app', '--isolation', 'worktree'], 'agents.start', { type: 'claude-code', name: 'coder', workspace: '/home/ada/project/app', isolation: 'worktree' }],
    [['stop', 'coder'], 'agents.stop', { name: 'coder' }],
    [['restart', 'coder'], 'agents.restart', { name: 'coder' }],
    [['scale', 'echo', '3'], 'agents.scale', { type: 'echo', count: 3 }],
    [['spawn', 'reviewer', 'review the diff', '--prefer', 'remote', '--repo', 'web'], 'agents.spawn', { type: 'reviewer', task: 'review the diff', preferLocation: 'remote', repo: 'web', spawnedBy: 'user', metadata: {} }],
    [['send', 'type:reviewer', '{"n":1}', '--json-body', '--fanout', 'all', '--kind', 'help.request'], 'messages.send', { to: 'type:reviewer', body: { n: 1 }, fanout: 'all', kind: 'help.request' }],
    [['trace', 'mx225u13c38df1fb47c84690'], 'traces.get', { id: 'mx225u13c38df1fb47c84690' }],
    [['traces', '--agent', 'coder', '--limit', '5'], 'traces.query', { limit: 5, agent: 'coder' }],
    [['approvals'], 'approvals.list', { state: 'pending' }],
    [['approvals', '--state', 'all'], 'approvals.list', {}],
    [['approve', 'approval-0001', '--always'], 'approvals.answer', { approvalId: 'approval-0001', allow: true, always: true }],
    [['deny', 'approval-0001', '--reason', 'not in prod'], 'approvals.answer', { approvalId: 'approval-0001', allow: false, reason: 'not in prod' }],
    [['tasks', '--phase', 'executing', 'validating', '--agent', 'coder'], 'tasks.list', { phase: ['executing', 'validating'], agent: 'coder' }],
    [['task', 'create', 'Fix the login', '--to', 'type:coder', '--validate-by', 'capability:review', '--timeout', '60000'], 'tasks.create', { title: 'Fix the login', body: 'Fix the login', to: 'type:coder', constraints: { validateBy: 'capability:review' }, timeoutMs: 60_000, requestedBy: 'user' }],
    [['task', 'get', 't-12'], 'tasks.get', { id: 't-12' }],
    [['task', 'cancel', 't-12', '--repo', 'web'], 'tasks.cancel', { id: 't-12', repo: 'web' }],
    [['context', 'set', 'shared/plan', '{"step":2}', '--ttl', '60000'], 'context.set', { key: 'shared/plan', value: { step: 2 }, ttlMs: 60_000 }],
    [['context', 'set', 'shared/note', 'ship it'], 'context.set', { key: 'shared/note', value: 'ship it' }],
    [['context', 'set', 'shared/n', '42', '--string'], 'context.set', { key: 'shared/n', value: '42' }],
    [['context', 'set', 'shared/note', 'null'], 'context.set', { key: 'shared/note', value: null }],
    [['context', 'get', 'shared/plan', '--history'], 'context.get', { key: 'shared/plan', history: true }],
    [['context', 'list', 'shared', '--limit', '10'], 'context.list', { prefix: 'shared', limit: 10 }],
    [['context', 'list'], 'context.list', { prefix: '' }],
    [['call', 'agents.list', '{"type":"echo"}'], 'agents.list', { type: 'echo' }],
  ] as const)('%j → %s', async (argv, call, input) => {
    const run = await runRecorded([...argv], { 'context.get': { entry: null, history: [{}] }, 'tasks.get': {}, 'tasks.cancel': {} });
    expect(run.calls[0]).toEqual({ name: call, input });
  });
});

describe('usage errors: exit 2, a message naming the argument, and no connection', () => {
  it.each([
    [['scale', 'echo', 'three'], 'scale <n>: "three" is not a whole number'],
    [['scale', 'echo', '999'], '<n>'],
    [['start', 'Bad Type!'], '<manifest>'],
    [['spawn', 'worker'], "missing required argument 'task'"],
    [['spawn', 'worker', 'x', '--prefer', 'moon'], "argument 'moon' is invalid"],
    [['send', 'coder', '{not json', '--json-body'], 'send --json-body: not valid JSON'],
    [['send', 'coder', '@/no/such/file'], 'send <text>: cannot read /no/such/file'],
    [['send', 'coder', 'hi', '--wait', '--timeout', 'soon'], 'send --timeout'],
    [['trace', 'x'], '<id>'],
    [['approve', 'x'], '<id>'],
    [['tasks', '--phase', 'sleeping'], '--phase'],
    [['task', 'create', 'Fix it'], '--to'],
    [['task', 'create', 'Fix it', '--to', 'type:'], '--to'],
    [['context', 'set', 'no spaces/allowed', '1'], '<key>'],
    [['context', 'set', 'shared/x', '1', '--ttl', '5'], '--ttl'],
    [['call', 'nope.nothing'], 'unknown call "nope.nothing"'],
    [['call', 'agents.scale', '{"type":"echo"}'], 'count'],
    [['completion', 'powershell'], 'completion <shell>'],
    [['agents', '--no-such-option'], "unknown option '--no-such-option'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [[], 'Usage: switchyard'],
  ])('%j', async (argv, message) => {
    const run = await runRecorded(argv);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toContain(message);
    expect(run.connected).toBe(false);
  });

  it('--help and a verb\'s help exit 0 and print the exit codes', async () => {
    const help = await runRecorded(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 ok, 1 the core refused');
    const verb = await runRecorded(['send', '--help']);
    expect(verb).toMatchObject({ code: 0, connected: false });
    expect(verb.stdout).toContain('--wait');
  });
});

describe('exit codes for typed errors', () => {
  it.each([
    ['ValidationError', ExitCode.usage],
    ['UsageError', ExitCode.usage],
    ['CannotReach', ExitCode.unreachable],
    ['Disconnected', ExitCode.unreachable],
    ['ApprovalNotFound', ExitCode.notFound],
    ['TaskNotFound', ExitCode.notFound],
    ['UnknownAgentType', ExitCode.notFound],
    ['NoSuchAgent', ExitCode.notFound],
    ['TimeoutError', ExitCode.timeout],
    ['ApprovalClosed', ExitCode.error],
    ['NotYetBuilt', ExitCode.error],
  ])('%s → %i', (name, code) => {
    expect(exitCodeFor(name)).toBe(code);
  });

  it('a null answer to an id is NotFound (exit 4) and the verb prints nothing on stdout', async () => {
    const run = await runRecorded(['task', 'get', 't-404'], { 'tasks.get': null });
    expect(run).toMatchObject({ code: ExitCode.notFound, stdout: '', stderr: 'NotFound: no task t-404\n' });
  });
});
