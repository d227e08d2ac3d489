import { describe, expect, it } from 'vitest';
import type { RoutedMessage } from '../../../src/shared/domain.js';
import { startCodingAgent } from '../../../src/core/coding/runtime.js';
import { SessionStore } from '../../../src/core/coding/session-store.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDirsPerTest } from '../../helpers/temp-dir.js';
import { FakeEngine, plainFolders } from './fakes.js';
import { wire } from './link-lines.js';

let n = 0;
const task = (body: unknown): { type: 'message'; message: RoutedMessage } => ({
  type: 'message',
  message: {
    id: `msg-${String(++n).padStart(8, '0')}`,
    from: 'alice',
    to: 'coder',
    repo: 'demo',
    body: body as never,
    kind: 'task.assigned',
    timestamp: 1,
    route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: 1 },
    traceId: '0'.repeat(32),
  },
});

function run(env: Record<string, string | undefined>) {
  const w = wire();
  const engine = new FakeEngine();
  const exits: number[] = [];
  const agent = startCodingAgent({
    env: { SWITCHYARD_AGENT_NAME: 'coder', SWITCHYARD_HEARTBEAT_MS: '60000', PATH: '', ...env },
    input: w.input,
    output: w.output,
    folders: plainFolders(),
    engines: { claude: () => engine, codex: () => engine },
    exit: (code) => void exits.push(code),
  });
  const sent = (kind: string) => w.lines.filter((l) => l.type === 'send' && l.kind === kind) as unknown as Array<{ to: string; body: Record<string, unknown> }>;
  return { w, engine, exits, agent, sent };
}

describe('the coding-agent process', () => {
  const temp = tempDirsPerTest('sy-coding-');

  it.each([
    ['a config that does not parse', { SWITCHYARD_AGENT_CONFIG: '{"engine":"gpt"}' }, 'bad-request', /config is invalid \(engine/],
    ['no workspace', { SWITCHYARD_AGENT_CONFIG: '{"engine":"claude"}' }, 'workspace-invalid', /no workspace/],
    ['a workspace that is not there', { SWITCHYARD_AGENT_CONFIG: '{"engine":"claude","workspace":"/no/such/folder"}' }, 'workspace-invalid', /does not exist/],
  ])('with %s stays up and answers every task with task.failed %s', async (_what, env, reason, message) => {
    const { w, sent, exits, agent } = run(env);
    expect(agent.runner).toBeUndefined();
    w.say(task('write a.txt'));
    w.say(task({ prompt: 'again', taskId: 'feat-1' }));
    await eventually(() => sent('task.failed').length === 2);
    expect(sent('task.failed')[0]!.body).toMatchObject({ reason, message: expect.stringMatching(message) });
    expect(sent('task.failed')[1]!.body).toMatchObject({ taskId: 'feat-1', reason });
    expect(w.lines.find((l) => l.type === 'log' && l.level === 'error')?.message).toMatch(new RegExp(`cannot take tasks \\(${reason}\\)`));
    expect(exits).toEqual([]);
  });

  it('without its CLI answers cli-missing with how to install one', async () => {
    const { w, sent } = run({ SWITCHYARD_AGENT_CONFIG: JSON.stringify({ engine: 'claude', workspace: temp() }), SWITCHYARD_CLAUDE_PATH: '/no/such/claude' });
    w.say(task('hi'));
    const failed = await eventually(() => sent('task.failed')[0]);
    expect(failed.body).toMatchObject({ reason: 'cli-missing', message: expect.stringMatching(/npm install -g @anthropic-ai\/claude-code/) });
  });

  it('when ready runs tasks on its engine, persists sessions in SWITCHYARD_STATE_DIR, and exits after shutdown', async () => {
    const state = temp();
    const { w, engine, sent, exits } = run({
      SWITCHYARD_AGENT_CONFIG: JSON.stringify({ engine: 'claude', workspace: temp(), executable: process.execPath }),
      SWITCHYARD_STATE_DIR: state,
    });
    w.say(task({ prompt: 'go', taskId: 'feat-1' }));
    (await eventually(() => engine.turns[0])).complete({ sessionId: 'sess-9' });
    await eventually(() => sent('task.completed')[0]);
    expect(sent('task.started')[0]!.to).toBe('alice');
    expect(SessionStore.open(state).get('feat-1')?.sessionId).toBe('sess-9');
    w.say({ type: 'shutdown', reason: 'bye' });
    await eventually(() => exits.length === 1);
  });
});
