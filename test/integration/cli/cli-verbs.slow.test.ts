/**
 * Every CLI verb whose core handler exists, against a running host: the built headless
 * host process (out/main/headless.js) and the built CLI as a child process, found
 * through the host's bridge.json in the data folder (SWITCHYARD_DATA_DIR). Exit codes,
 * `--json` output parsed with the contract's zod schemas, human output, streams ended
 * with Ctrl-C. The work-model verbs (`tasks`, `task`, `context`) are in
 * cli-work-verbs.slow.test.ts; their argument parsing is unit-tested (test/unit/cli).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SystemInfo } from '../../../src/shared/contract.js';
import { eventually } from '../../helpers/eventually.js';
import { cli, cliStream } from './cli-process.js';
import { output, useCliHost } from './cli-host.js';

const FIXTURES = resolve('test/integration/cli/fixtures');
const AgentList = output('agents.list');
const Agent = output('agents.start');
const SendAndAnswer = z.object({
  sent: output('messages.send'),
  answer: z.object({ direction: z.literal('in'), peer: z.string(), kind: z.string(), body: z.json() }),
});

const cliHost = useCliHost();
const json = cliHost.json;

describe('the switchyard CLI against a running headless host', { timeout: 300_000 }, () => {
  it('status names the host and the link; call runs any contract call; a bad call name is a usage error', async () => {
    const status = await json(z.object({ system: SystemInfo, connection: output('connection.get'), config: output('config.get') }), ['status']);
    expect(status.system.host).toBe('headless');
    expect(status.config.enabled).toBe(false);
    const human = await cli(['status'], cliHost.env());
    expect(human.stdout).toMatch(/host: +headless/);

    const listed = await cli(['call', 'manifests.list'], cliHost.env());
    expect(output('manifests.list').parse(JSON.parse(listed.stdout)).manifests.map((m) => m.manifest.type)).toContain('echo');
    const unknown = await cli(['call', 'nope.nothing'], cliHost.env());
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('UsageError: call: unknown call "nope.nothing"') });
    const badInput = await cli(['call', 'agents.scale', '{"type":"echo","count":-1}'], cliHost.env());
    expect(badInput.code).toBe(2);
    expect(badInput.stderr).toContain('count');
  });

  it('manifests install <dir> installs a folder\'s manifests so `start` runs them; list shows them', async () => {
    const installed = await json(z.array(output('manifests.install')), ['manifests', 'install', join(FIXTURES, 'asker-manifest')]);
    expect(installed.map((view) => [view.manifest.type, view.source])).toEqual([['asker', 'user']]);
    // The script's relative path was anchored to the folder it came from.
    expect(installed[0]!.manifest.args[0]).toBe(resolve('test/integration/participant/fixtures/asker.mjs'));
    expect(existsSync(join(cliHost.host().dataDir, 'agents', 'asker.json'))).toBe(true);
    const again = await cli(['manifests', 'install', join(FIXTURES, 'asker-manifest')], cliHost.env());
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('ManifestExists:') });

    const list = await json(output('manifests.list'), ['manifests', 'list']);
    expect(list.manifests.find((view) => view.manifest.type === 'asker')?.source).toBe('user');
    const missing = await cli(['manifests', 'install', join(FIXTURES, 'no-such-folder')], cliHost.env());
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read') });
  });

  it('start, agents, restart, stop and scale manage local agents; unknown ones exit 4 or 1 with the typed error', async () => {
    const started = await json(Agent, ['start', 'echo', '--name', 'e1']);
    expect(started).toMatchObject({ name: 'e1', type: 'echo', location: 'local' });
    const agents = await json(AgentList, ['agents', '--type', 'echo']);
    expect(agents.map((agent) => agent.name)).toEqual(['e1']);
    const human = await cli(['agents'], cliHost.env());
    expect(human.stdout).toMatch(/default\/e1 \(echo\)/);
    expect(human.stdout).toMatch(/default\/user \(person\)/);
    expect((await json(AgentList, ['agents', '--repo', 'elsewhere'])).length).toBe(0);

    expect((await json(Agent, ['restart', 'e1'])).name).toBe('e1');
    expect((await json(Agent, ['stop', 'e1'])).name).toBe('e1');

    const scaled = await json(output('agents.scale'), ['scale', 'echo', '2']);
    expect(scaled.filter((agent) => agent.type === 'echo' && agent.status !== 'terminated')).toHaveLength(2);
    await json(output('agents.scale'), ['scale', 'echo', '0']);

    const unknownType = await cli(['start', 'no-such-type'], cliHost.env());
    expect(unknownType).toMatchObject({ code: 4, stderr: expect.stringContaining('UnknownAgentType:') });
    const notRunning = await cli(['stop', 'nobody'], cliHost.env());
    expect(notRunning).toMatchObject({ code: 1, stderr: expect.stringMatching(/^AgentNotRunning: /) });
    const badScale = await cli(['scale', 'echo', '1000'], cliHost.env());
    expect(badScale).toMatchObject({ code: 2, stderr: expect.stringContaining('<n>') });
  });

  it('send prints the answer with --wait (text, @file, JSON); trace shows its hops; traces lists it', async () => {
    await json(Agent, ['start', 'echo', '--name', 'e2']);
    const waited = await json(SendAndAnswer, ['send', 'e2', 'hello there', '--wait']);
    expect(waited.answer).toMatchObject({ peer: 'e2', body: { echo: 'hello there', inReplyTo: waited.sent.messageId } });

    const note = join(cliHost.host().dataDir, 'note.txt');
    writeFileSync(note, 'from a file');
    const human = await cli(['send', 'e2', `@${note}`, '--wait'], cliHost.env());
    expect(human.code).toBe(0);
    expect(JSON.parse(human.stdout)).toMatchObject({ echo: 'from a file' });
    const object = await json(SendAndAnswer, ['send', 'e2', '{"n":1}', '--json-body', '--wait']);
    expect(object.answer.body).toMatchObject({ echo: { n: 1 } });

    const sent = await json(output('messages.send'), ['send', 'e2', 'no wait']);
    expect(sent.status).toBe('delivered');
    const trace = await json(output('traces.get').unwrap(), ['trace', waited.sent.messageId]);
    expect(trace.summary).toMatchObject({ from: 'user', to: 'e2' });
    expect(trace.hops.map((hop) => hop.event)).toContain('delivered');
    const page = await json(output('traces.query'), ['traces', '--agent', 'e2', '--limit', '50']);
    expect(page.items.map((item) => item.messageId)).toContain(waited.sent.messageId);

    const missing = await cli(['trace', 'no-such-message'], cliHost.env());
    expect(missing).toMatchObject({ code: 4, stderr: expect.stringContaining('NotFound: no trace') });
    const nobody = await cli(['send', 'nobody-here', 'hi'], cliHost.env());
    expect(nobody.code).not.toBe(0);
    expect(nobody.stderr).toMatch(/^\w+: /);
  });

  it('send --wait gives up with exit 5 when no answer comes', async () => {
    await json(Agent, ['start', 'echo', '--name', 'e3']);
    // An echo agent does not answer a body that already is an echo: nothing comes back.
    const run = await cli(['send', 'e3', '{"echo":"quiet"}', '--json-body', '--wait', '--timeout', '1500'], cliHost.env());
    expect(run).toMatchObject({ code: 5, stderr: expect.stringContaining('TimeoutError: no answer from e3') });
  });

  it('spawn places a worker for a task', async () => {
    const spawned = await json(output('agents.spawn'), ['spawn', 'worker', 'count the files', '--prefer', 'local']);
    expect(spawned).toMatchObject({ location: 'local' });
    const bad = await cli(['spawn', 'worker', 'x', '--prefer', 'moon'], cliHost.env());
    expect(bad.code).toBe(2);
  });

  it('approvals lists what an agent asked; approve and deny answer it, and the agent hears the answer', async () => {
    await json(Agent, ['start', 'asker', '--name', 'asker1']);
    for (const approvalId of ['approval-cli-01', 'approval-cli-02']) {
      await json(output('messages.send'), ['send', 'asker1', JSON.stringify({ ask: { approvalId, tool: 'Write' } }), '--json-body']);
    }
    const pending = await eventually(async () => {
      const list = await json(output('approvals.list'), ['approvals']);
      return list.length === 2 && list;
    }, 30_000, 'two pending approvals');
    expect(pending.map((approval) => [approval.approvalId, approval.state, approval.from])).toEqual(
      expect.arrayContaining([['approval-cli-01', 'pending', 'asker1'], ['approval-cli-02', 'pending', 'asker1']]),
    );

    const granted = await json(output('approvals.answer'), ['approve', 'approval-cli-01', '--always']);
    expect(granted.state).toBe('granted');
    const denied = await json(output('approvals.answer'), ['deny', 'approval-cli-02', '--reason', 'not now']);
    expect(denied.state).toBe('denied');
    // The agent got both answers (it reports them back to the person).
    const heard = await eventually(async () => {
      const entries = await json(output('conversation.get'), ['call', 'conversation.get', '{"peer":"asker1"}']);
      const answers = entries.filter((entry) => entry.direction === 'in' && entry.kind === 'text');
      return answers.length === 2 && answers;
    }, 30_000, 'the asker to report both answers');
    expect(heard.map((entry) => entry.body)).toEqual(
      expect.arrayContaining([
        { gotAnswer: { kind: 'approval.granted', body: { approvalId: 'approval-cli-01', always: true }, from: 'user' } },
        { gotAnswer: { kind: 'approval.denied', body: expect.objectContaining({ approvalId: 'approval-cli-02', reason: 'not now' }), from: 'user' } },
      ]),
    );

    expect(await json(output('approvals.list'), ['approvals'])).toEqual([]);
    expect((await json(output('approvals.list'), ['approvals', '--state', 'all'])).length).toBe(2);
    const closed = await cli(['approve', 'approval-cli-01'], cliHost.env());
    expect(closed).toMatchObject({ code: 1, stderr: expect.stringContaining('ApprovalClosed:') });
    const unknown = await cli(['deny', 'approval-nope-99', '--reason', 'x'], cliHost.env());
    expect(unknown).toMatchObject({ code: 4, stderr: expect.stringContaining('ApprovalNotFound:') });
    const badId = await cli(['approve', 'x'], cliHost.env());
    expect(badId).toMatchObject({ code: 2, stderr: expect.stringContaining('<id>') });
  });

  it('agents --watch streams changes and traces --follow streams routed messages until Ctrl-C (exit 0)', async () => {
    const watch = cliStream(['agents', '--watch', '--json'], cliHost.env());
    await watch.line((line) => line.includes('"type":"snapshot"'), 'the snapshot');
    await json(Agent, ['start', 'echo', '--name', 'watched']);
    const change = await watch.line((line) => line.includes('"name":"watched"'), 'the new agent');
    expect(z.object({ type: z.literal('changed'), upserts: AgentList }).parse(JSON.parse(change)).upserts[0]!.name).toBe('watched');
    expect(await watch.interrupt()).toBe(0);

    const follow = cliStream(['traces', '--follow', '--agent', 'watched'], cliHost.env());
    const sent = await json(output('messages.send'), ['send', 'watched', 'followed']);
    await follow.line((line) => line.includes(sent.messageId), 'the sent message');
    await follow.line((line) => line.includes('watched → user'), 'the echo back');
    expect(await follow.interrupt()).toBe(0);
  });
});
