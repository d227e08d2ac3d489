/**
 * Coding-agent benchmark: the real Claude Code CLI (.agent-clis, `npm run agents:install`)
 * against the scripted model server on 127.0.0.1, driven two ways in the same run.
 *
 * (a) overhead: from `messages.send` over a bridge client of the built headless host
 *     (host → router → the claude-code agent process → the SDK → the CLI) to the model
 *     server receiving the CLI's first request, against the same SDK `query()` made
 *     directly from this process. `ratio` = switchyard median ÷ direct median.
 * (b) stream latency: the model server writes a turn of 300 text deltas, 5 ms apart;
 *     for each delta, the time from its write to the first `task.progress` carrying it
 *     reaching the bridge client (`conversation.appended`, the person being the sender).
 *     One clock: the model server and the bridge client both live in this process.
 *
 * Run: npm run bench -- agents [rounds]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { query } from '@anthropic-ai/claude-agent-sdk';
import WebSocket from 'ws';
import { connectBridge } from '../src/shared/bridge-client.js';
import type { BridgeConnection } from '../src/shared/bridge-client.js';
import type { ConversationEntry } from '../src/shared/coding-contract.js';
import { TaskProgressBody } from '../src/shared/coding.js';
import { AgentManifest } from '../src/shared/manifest.js';
import { makeClaudeHome } from '../test/helpers/claude-home.js';
import { startAnthropicModelServer } from '../test/helpers/model-server/anthropic-messages.js';
import type { ScriptedModelServer } from '../test/helpers/model-server/server.js';
import { startHeadless } from '../test/e2e/helpers/headless.js';
import { makeRepo } from '../test/helpers/git-fixture.js';

const ROUNDS = Math.max(3, Number(process.argv[2] ?? 7) || 7);
const DELTAS = 300;
const AGENT = 'bench-claude';

const median = (samples: number[]): number => percentile(samples, 50);
function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Resolves at the model server's next request, with the time it arrived. */
function nextRequest(server: ScriptedModelServer): Promise<number> {
  return new Promise((resolveAt) => {
    const stop = server.onRequest(() => {
      stop();
      resolveAt(performance.now());
    });
  });
}

/** A git repository with one commit on main, like the one a developer points an agent at. */
function gitWorkspace(): string {
  return makeRepo(mkdtempSync(join(tmpdir(), 'sy-bench-ws-')));
}

/** The SDK called directly, as a program embedding Claude Code would: time to the first model request. */
async function directRound(server: ScriptedModelServer, cli: string, env: Record<string, string>, cwd: string): Promise<number> {
  server.script({ text: 'done' });
  const arrived = nextRequest(server);
  const started = performance.now();
  const run = query({ prompt: 'say done', options: { pathToClaudeCodeExecutable: cli, cwd, env, permissionMode: 'default' } });
  const first = await arrived;
  for await (const message of run) if (message.type === 'result') break;
  return first - started;
}

/** Waits for a conversation entry from the agent that satisfies `match`. */
function waitEntry(bridge: BridgeConnection, match: (entry: ConversationEntry) => boolean, timeoutMs = 60_000): Promise<ConversationEntry> {
  return new Promise((resolveEntry, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('timed out waiting for the agent'));
    }, timeoutMs);
    const stop = bridge.api.onConversationAppended(({ entries }) => {
      const found = entries.find(match);
      if (found) {
        clearTimeout(timer);
        stop();
        resolveEntry(found);
      }
    });
  });
}

const finished = (entry: ConversationEntry): boolean => entry.peer === AGENT && (entry.kind === 'task.completed' || entry.kind === 'task.failed');

async function switchyardRound(server: ScriptedModelServer, bridge: BridgeConnection): Promise<number> {
  server.script({ text: 'done' });
  const arrived = nextRequest(server);
  const done = waitEntry(bridge, finished);
  const started = performance.now();
  await bridge.api.messages.send({ to: AGENT, kind: 'task.assigned', body: 'say done' });
  // A task that fails before asking the model (no CLI, say) must end the run, not hang it.
  const first = await Promise.race([arrived, done.then((end) => Promise.reject(new Error(`the agent ended before asking the model: ${JSON.stringify(end.body)}`)))]);
  const end = await done;
  if (end.kind === 'task.failed') throw new Error(`the agent failed: ${JSON.stringify(end.body)}`);
  return first - started;
}

/** (b): per delta, write → first task.progress carrying it at the bridge client. */
async function streamLatencies(server: ScriptedModelServer, bridge: BridgeConnection): Promise<number[]> {
  const words = Array.from({ length: DELTAS }, (_, i) => `w${i}x`);
  const written = new Map<string, number>();
  const seen = new Map<string, number>();
  const stopDeltas = server.onDelta((text, at) => {
    const word = text.trim();
    if (!written.has(word)) written.set(word, at);
  });
  const stopProgress = bridge.api.onConversationAppended(({ entries }) => {
    const now = performance.now();
    for (const entry of entries) {
      if (entry.peer !== AGENT || entry.kind !== 'task.progress') continue;
      const body = TaskProgressBody.safeParse(entry.body);
      if (!body.success) continue;
      for (const event of body.data.events) {
        if (event.type !== 'text') continue;
        for (const word of event.text.split(/\s+/)) if (word !== '' && !seen.has(word)) seen.set(word, now);
      }
    }
  });
  server.script({ text: words.join(' '), deltaDelayMs: 5 });
  const done = waitEntry(bridge, finished, 120_000);
  await bridge.api.messages.send({ to: AGENT, kind: 'task.assigned', body: 'stream' });
  await done;
  stopDeltas();
  stopProgress();
  const latencies: number[] = [];
  for (const word of words) {
    const at = written.get(word);
    const arrived = seen.get(word);
    if (at !== undefined && arrived !== undefined) latencies.push(arrived - at);
  }
  if (latencies.length < DELTAS * 0.95) throw new Error(`only ${latencies.length} of ${DELTAS} deltas reached the bridge client`);
  return latencies;
}

async function main(): Promise<void> {
  const server = await startAnthropicModelServer();
  const home = makeClaudeHome(server.url);
  const workspace = gitWorkspace();
  const host = await startHeadless();
  const socket = new WebSocket(`${host.origin.replace(/^http/, 'ws')}/bridge?token=${host.token}`, { origin: host.origin });
  const bridge = await connectBridge(socket as unknown as Parameters<typeof connectBridge>[0]);
  try {
    const shipped = AgentManifest.parse(JSON.parse(readFileSync(resolve('resources/agents/claude-code.json'), 'utf8')));
    await bridge.api.manifests.install({
      replace: true,
      manifest: {
        ...shipped,
        args: [resolve('resources/agents/coding-agent.mjs')],
        env: home.env,
        config: { ...shipped.config, executable: home.cli, isolation: 'none' },
      },
    });
    await bridge.api.agents.start({ type: 'claude-code', name: AGENT, workspace });

    // One warm-up round each: the first CLI start pays for cold caches.
    await directRound(server, home.cli, home.env, workspace);
    await switchyardRound(server, bridge);
    const direct: number[] = [];
    const through: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      direct.push(await directRound(server, home.cli, home.env, workspace));
      through.push(await switchyardRound(server, bridge));
    }
    const latencies = await streamLatencies(server, bridge);

    const firstRequestMs = round2(median(through));
    const directMs = round2(median(direct));
    console.log(`(a) first model request, ${ROUNDS} rounds each (median; p90):`);
    console.log(`    direct SDK query():      ${directMs} ms; ${round2(percentile(direct, 90))} ms`);
    console.log(`    through the switchyard:  ${firstRequestMs} ms; ${round2(percentile(through, 90))} ms`);
    console.log(`(b) text delta → task.progress at a bridge client, ${latencies.length} deltas:`);
    console.log(`    p50 ${round2(percentile(latencies, 50))} ms, p90 ${round2(percentile(latencies, 90))} ms, p99 ${round2(percentile(latencies, 99))} ms, max ${round2(Math.max(...latencies))} ms`);
    console.log(JSON.stringify({
      bench: 'agents',
      first_request_ms: firstRequestMs,
      direct_ms: directMs,
      ratio: round2(firstRequestMs / directMs),
      progress_p99_ms: round2(percentile(latencies, 99)),
    }));
  } finally {
    bridge.close();
    await host.stop();
    await server.close();
    home.remove();
    rmSync(workspace, { recursive: true, force: true });
  }
}

await main();
