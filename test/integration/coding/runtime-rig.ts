/**
 * The coding-agent runtime as the desktop runs it: the real supervisor (createCore in a
 * temp data folder) starts resources/agents/coding-agent.mjs from a `claude-code`
 * manifest, the real `claude` CLI (.agent-clis) talks to the scripted model server, and
 * the test is an agent on the local gateway that sends tasks and answers approvals.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RoutedMessage } from '../../../src/shared/domain.js';
import type { Supervision } from '../../../src/shared/agent-protocol.js';
import { TaskCompletedBody } from '../../../src/shared/coding.js';
import type { ClaudeHome } from '../../helpers/claude-home.js';
import { makeClaudeHome } from '../../helpers/claude-home.js';
import { eventually } from '../../helpers/eventually.js';
import { startAnthropicModelServer } from '../../helpers/model-server/anthropic-messages.js';
import type { ScriptedModelServer } from '../../helpers/model-server/server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import type { TestCore } from '../agents/helpers.js';
import { GatewayClient, gatewayToken, startCore } from '../agents/helpers.js';

export const CODING_AGENT = fileURLToPath(new URL('../../../resources/agents/coding-agent.mjs', import.meta.url));
export const AGENT = 'claude-code';
const ME = 'tester';

export interface Rig {
  t: TestCore;
  server: ScriptedModelServer;
  home: ClaudeHome;
  repo: string;
  client: GatewayClient;
  /** Sends a task (or anything) to the agent; returns the message id. */
  send(body: unknown, kind?: RoutedMessage['kind']): string;
  /** Messages from the agent of `kind` (answering `inReplyTo` when given). */
  from(kind: RoutedMessage['kind'], inReplyTo?: string): RoutedMessage[];
  /** Waits for the task.completed answering `inReplyTo`; a task.failed instead fails with its reason and message. */
  completed(inReplyTo: string, timeoutMs?: number): Promise<TaskCompletedBody>;
  /** Waits for the first such message. */
  next(kind: RoutedMessage['kind'], inReplyTo?: string, timeoutMs?: number): Promise<RoutedMessage>;
  supervision(): Supervision;
  close(): Promise<void>;
}

let seq = 0;
const messageId = (): string => `msg-${process.pid}-${String(++seq).padStart(6, '0')}`;

/** Starts everything; `config` is merged into the manifest's config, `manifest` into the manifest. */
export async function startRig(config: Record<string, unknown> = {}, manifest: Record<string, unknown> = {}): Promise<Rig> {
  const server = await startAnthropicModelServer();
  const home = makeClaudeHome(server.url);
  const repoDir = makeTempDir('sy-coding-repo-');
  const repo = repoDir.path;
  execFileSync('git', ['init', '-q', repo]);
  execFileSync('git', ['-C', repo, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'start']);
  const t = await startCore();
  t.manifest({
    type: AGENT,
    command: process.execPath,
    args: [CODING_AGENT],
    env: home.env,
    capabilities: ['code'],
    healthCheck: { intervalMs: 500, timeoutMs: 3_000, failureThreshold: 20, autoRestart: true },
    maxConcurrentTasks: 1,
    config: { engine: 'claude', workspace: repo, isolation: 'none', executable: home.cli, progressBatchMs: 20, ...config },
    ...manifest,
  });
  await t.core.localAgents.start(AGENT);
  const client = await GatewayClient.connect(t.core.localAgents.gateway!.url, { token: gatewayToken(t.dataDir) });
  client.send({ type: 'hello', protocol: 1, name: ME, instanceId: `${ME}-1` });
  await client.next('welcome');
  const messages = (): RoutedMessage[] => client.received.flatMap((l) => (l.type === 'message' && l.message.from === AGENT ? [l.message] : []));
  const from: Rig['from'] = (kind, inReplyTo) =>
    messages().filter((m) => m.kind === kind && (inReplyTo === undefined || (m.body as { inReplyTo?: string }).inReplyTo === inReplyTo));
  const rig: Rig = {
    t,
    server,
    home,
    repo,
    client,
    send(body, kind = 'task.assigned') {
      const id = messageId();
      client.send({ type: 'send', to: AGENT, body, kind, id });
      return id;
    },
    from,
    async completed(inReplyTo, timeoutMs = 45_000) {
      const end = await eventually(() => from('task.completed', inReplyTo)[0] ?? from('task.failed', inReplyTo)[0], timeoutMs, `the end of ${inReplyTo}`);
      if (end.kind === 'task.failed') throw new Error(`task failed: ${JSON.stringify(end.body)}`);
      return TaskCompletedBody.parse(end.body);
    },
    next: (kind, inReplyTo, timeoutMs = 45_000) => eventually(() => from(kind, inReplyTo)[0], timeoutMs, `${kind} from ${AGENT}`),
    supervision: () => t.core.registry.get({ repo: 'default', name: AGENT })?.metadata.supervision as Supervision,
    async close() {
      await client.close();
      await t.close();
      await server.close();
      home.remove();
      repoDir.remove();
    },
  };
  // The runtime is ready when it says so in its log (its first line after the CLI check).
  await eventually(() => t.core.localAgents.logs(AGENT, 50).some((e) => /agent ready|cannot take tasks/.test(e.text)), 30_000, 'the runtime to start');
  return rig;
}
