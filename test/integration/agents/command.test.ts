import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RoutedMessage } from '../../../src/shared/domain.js';
import type { SendLine } from '../../../src/shared/agent-protocol.js';
import type { TestCore } from './helpers.js';
import { startCore } from './helpers.js';
import { eventually } from '../../helpers/eventually.js';

const message = (to: string, body: unknown, id: string): RoutedMessage => ({
  id, from: 'tester', to, repo: 'default', body: body as never, kind: 'task.assigned', timestamp: Date.now(),
  traceId: 'b'.repeat(32), route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: Date.now() },
});

describe('command adapter', () => {
  let t: TestCore;
  afterEach(async () => t?.close());

  it('answers with stdout, reports failures with the stderr tail, times out, and runs at most maxConcurrentTasks at once', async () => {
    t = await startCore();
    const script = [
      "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{",
      "if(s==='fail'){process.stderr.write('it broke');process.exit(2)}",
      "if(s==='hang'){setInterval(()=>{},1000);return}",
      "setTimeout(()=>process.stdout.write(s.toUpperCase()+':'+Date.now()),150)})",
    ].join('');
    t.manifest({
      type: 'shout',
      command: 'node',
      args: [fileURLToPath(new URL('../../../resources/agents/command.mjs', import.meta.url))],
      maxConcurrentTasks: 2,
      config: { command: 'node', args: ['-e', script], timeoutMs: 2_500 },
    });
    await t.core.localAgents.start('shout');
    const replies: SendLine[] = [];
    t.core.localAgents.onOutbound(({ line }) => {
      if (line.type === 'send') replies.push(line);
    });
    const byRef = (id: string) => replies.find((r) => (r.body as { inReplyTo?: string }).inReplyTo === id);
    for (const [i, body] of ['a', 'b', 'c', 'd'].entries()) t.core.localAgents.deliver(message('shout', body, `msg-ok-${i}0000`));
    t.core.localAgents.deliver(message('shout', 'fail', 'msg-fail-0000'));
    t.core.localAgents.deliver(message('shout', 'hang', 'msg-hang-0000'));
    await eventually(() => replies.length === 6, 15_000, 'six answers');
    const done = [0, 1, 2, 3].map((i) => byRef(`msg-ok-${i}0000`)!);
    expect(done.every((r) => r.kind === 'task.completed')).toBe(true);
    const finished = done.map((r) => Number(String((r.body as { output: string }).output).split(':')[1]));
    expect(done.map((r) => String((r.body as { output: string }).output).split(':')[0])).toEqual(['A', 'B', 'C', 'D']);
    // Two at a time: the third finishes at least one run (150 ms) after the first.
    expect(Math.min(...finished.slice(2)) - Math.min(...finished.slice(0, 2))).toBeGreaterThanOrEqual(140);
    expect(byRef('msg-fail-0000')).toMatchObject({ kind: 'task.failed', body: { exitCode: 2, stderr: 'it broke' } });
    expect(byRef('msg-hang-0000')).toMatchObject({ kind: 'task.failed', body: { reason: 'timed out after 2500 ms' } });
  });
});
