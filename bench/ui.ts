/**
 * UI benchmark: the built renderer in headless Chromium against the built headless
 * host, under load that flows through the real core and the real bridge.
 *
 * Load, all through the core's real paths:
 * - 500 external agents registered over the local gateway (one WebSocket each, `hello`
 *   then heartbeats every 4 s), so the Agents list has 500 rows and `agents.changed`
 *   keeps arriving;
 * - 10,000 messages sent with `messages.send` over a bridge client between those agents
 *   before the page opens, so Traces starts with 10,000 rows (its initial pages);
 * - then 200 messages per second for 60 s (30 s with Routes open, 30 s with Traces
 *   open), routed and delivered to the gateway agents, reaching the page only as
 *   `messages.routed` batches over the bridge.
 *
 * Measured in the page: long tasks (PerformanceObserver 'longtask', > 50 ms) and frame
 * times (requestAnimationFrame deltas). The baseline is an idle page's frame p95 in
 * the same browser, same run: `ratio` = frame p95 under load ÷ idle frame p95.
 *
 * Run: npm run bench -- ui [seconds]
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import WebSocket from 'ws';
import { connectBridge } from '../src/shared/bridge-client.js';
import { launchChromium } from '../test/e2e/helpers/browser.js';
import { startHeadless } from '../test/e2e/helpers/headless.js';

const AGENTS = 500;
const SEED_TRACES = 10_000;
const RATE = 200;
const SECONDS = Math.max(10, Number(process.argv[2] ?? 60) || 60);
/** Senders and receivers of the live traffic: 40 agents, 20 routes. */
const ACTIVE = 40;
const IDLE_SECONDS = 5;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls a locator's text from the Node side until `ok` accepts it (nothing is evaluated in the page). */
async function waitForText(locator: Locator, ok: (text: string) => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  while (performance.now() < deadline) {
    last = (await locator.textContent({ timeout: Math.max(1, deadline - performance.now()) })) ?? '';
    if (ok(last)) return;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting on ${String(locator)}; last text "${last}"`);
}

function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
const round2 = (value: number): number => Math.round(value * 100) / 100;

/** An external agent on the gateway: hello, then heartbeats; messages it receives are counted. */
class GatewayAgent {
  received = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly socket: WebSocket) {}

  static async connect(url: string, token: string, name: string, agentType: string, onMessage: () => void): Promise<GatewayAgent> {
    const socket = new WebSocket(`${url}/?token=${encodeURIComponent(token)}`);
    const agent = new GatewayAgent(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => {
        socket.send(JSON.stringify({ type: 'hello', protocol: 1, name, instanceId: `bench-${name}`, agentType }));
      });
      socket.on('message', (data) => {
        const line = JSON.parse(String(data)) as { type: string; code?: string; message?: unknown };
        if (line.type === 'welcome') resolve();
        else if (line.type === 'message') {
          agent.received++;
          onMessage();
        } else if (line.type === 'error' && line.code === 'name-conflict') reject(new Error(`${name}: ${String(line.message)}`));
      });
    });
    // Heartbeats a little faster than the 5 s interval; spread so they do not all land at once.
    const beat = (): void => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'heartbeat', load: { current: 0, max: 4 } }));
    };
    setTimeout(() => {
      beat();
      agent.timer = setInterval(beat, 4_000);
    }, Math.random() * 4_000);
    return agent;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.socket.close();
  }
}

/** Starts collecting long tasks and frame deltas in the page; `readPerf` takes and resets them. */
async function startPerf(page: Page): Promise<void> {
  // A string, not a function: tsx's name-keeping helpers do not exist in the page.
  await page.evaluate(`(() => {
    if (window.__perf) return;
    const perf = { longTasks: [], frames: [] };
    window.__perf = perf;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) perf.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: false });
    let last = performance.now();
    const tick = (now) => {
      perf.frames.push(now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
}

async function readPerf(page: Page): Promise<{ longTasks: number[]; frames: number[] }> {
  return page.evaluate(`(() => {
    const out = { longTasks: window.__perf.longTasks.slice(), frames: window.__perf.frames.slice(1) };
    window.__perf.longTasks.length = 0;
    window.__perf.frames.length = 0;
    return out;
  })()`) as Promise<{ longTasks: number[]; frames: number[] }>;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** SY_PROFILE=1: the functions with the most self time in the page, for finding what to fix. */
function printProfile(label: string, profile: CpuProfile): void {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node] as const));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  samples.forEach((id, i) => {
    const node = byNode.get(id);
    const ms = (deltas[i] ?? 0) / 1000;
    total += ms;
    if (!node) return;
    const frame = node.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + ms);
  });
  console.log(`profile ${label}: ${Math.round(total)} ms sampled`);
  for (const [key, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${key}`);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-bench-ui-'));
  cpSync('resources/agents', join(dataDir, 'agents'), { recursive: true });
  const host = await startHeadless({ dataDir });
  const browser = await launchChromium();
  const agents: GatewayAgent[] = [];
  let delivered = 0;
  try {
    // ---- 500 agents over the gateway ----
    const gateway = JSON.parse(readFileSync(join(dataDir, 'gateway.json'), 'utf8')) as { url: string };
    const gatewayToken = readFileSync(join(dataDir, 'gateway-token'), 'utf8').trim();
    const types = ['worker', 'worker', 'review', 'workspace', 'indexer'];
    const names = Array.from({ length: AGENTS }, (_, i) => `agent-${String(i).padStart(3, '0')}`);
    let t0 = performance.now();
    for (let i = 0; i < AGENTS; i += 50) {
      const batch = names.slice(i, i + 50).map((name, j) =>
        GatewayAgent.connect(gateway.url, gatewayToken, name, types[(i + j) % types.length] as string, () => delivered++),
      );
      agents.push(...(await Promise.all(batch)));
    }
    console.log(`registered ${agents.length} agents over the gateway in ${Math.round(performance.now() - t0)} ms`);

    // ---- a bridge client, as the CLI would be ----
    const socket = new WebSocket(`${host.origin.replace(/^http/, 'ws')}/bridge?token=${host.token}`, { origin: host.origin });
    const bridge = await connectBridge(socket as unknown as Parameters<typeof connectBridge>[0]);
    const api = bridge.api;
    const send = (i: number): Promise<unknown> => {
      const from = names[i % ACTIVE] as string;
      const to = names[(i * 7 + 1) % ACTIVE === i % ACTIVE ? (i + 1) % ACTIVE : (i * 7 + 1) % ACTIVE] as string;
      const kinds = ['task.assigned', 'task.progress', 'text', 'context.share'] as const;
      return api.messages.send({ from, to, kind: kinds[i % kinds.length], body: { n: i, note: 'bench traffic' } });
    };

    // ---- 10,000 traces before the page opens ----
    t0 = performance.now();
    for (let i = 0; i < SEED_TRACES; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => send(i + j)));
    }
    const page1 = await api.traces.query({ limit: 1 });
    console.log(`sent ${SEED_TRACES} messages in ${Math.round(performance.now() - t0)} ms (newest: ${page1.items[0]?.status ?? 'none'})`);

    // ---- the idle baseline: an empty page in the same browser ----
    const idle = await browser.newPage({ viewport: { width: 1360, height: 820 } });
    await idle.setContent('<!doctype html><title>idle</title><p>idle</p>');
    await startPerf(idle);
    await sleep(IDLE_SECONDS * 1000);
    const idlePerf = await readPerf(idle);
    await idle.close();
    const idleP95 = percentile(idlePerf.frames, 95);
    console.log(`idle page: frame p95 ${round2(idleP95)} ms over ${idlePerf.frames.length} frames`);

    // ---- the app: Agents with 500 rows, then Routes and Traces under live traffic ----
    const page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
    await page.goto(`${host.url}#/agents`);
    await page.locator('[data-testid="agent-row"]').first().waitFor({ timeout: 30_000 });
    // Waits from this side (a locator's text), never with a string evaluated in the page:
    // the renderer's CSP has no 'unsafe-eval', so a string predicate fails whenever its first check is false.
    await waitForText(page.getByTestId('agents-count'), (text) => text.startsWith(String(AGENTS)), 30_000);
    const renderedRows = await page.locator('[data-testid="agent-row"]').count();
    console.log(`Agents view: ${AGENTS} agents, ${renderedRows} rows in the DOM (virtualised)`);
    await startPerf(page);
    await page.mouse.move(600, 500);
    for (let i = 0; i < 10; i++) {
      await page.mouse.wheel(0, 600);
      await sleep(100);
    }
    const agentsPerf = await readPerf(page);

    // Wait for the initial trace pages to land.
    await page.getByTestId('nav-traces').click();
    await waitForText(page.getByTestId('traces-count'), (text) => Number(text.split(' ')[0]!.replace(/[^0-9]/g, '')) >= SEED_TRACES, 60_000);
    await page.getByTestId('nav-routes').click();
    await page.locator('[data-testid="route-edge"]').first().waitFor({ timeout: 30_000 });
    await sleep(1000);
    await readPerf(page);

    // ---- live traffic: RATE messages a second through messages.send ----
    let sent = 0;
    let failed = 0;
    const tick = 50;
    const perTick = (RATE * tick) / 1000;
    const started = performance.now();
    const feeder = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * RATE) - sent;
      for (let i = 0; i < Math.min(due, perTick * 4); i++) {
        const n = SEED_TRACES + sent++;
        send(n).catch(() => failed++);
      }
    }, tick);

    const half = (SECONDS * 1000) / 2;
    const profiler = process.env.SY_PROFILE === '1' ? await page.context().newCDPSession(page) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.start');
    }
    await sleep(half);
    const routesPerf = await readPerf(page);
    if (profiler) printProfile('Routes', (await profiler.send('Profiler.stop')).profile);
    const edges = await page.locator('[data-testid="route-edge"]').count();
    await page.getByTestId('nav-traces').click();
    if (profiler) await profiler.send('Profiler.start');
    await sleep(half);
    const tracesPerf = await readPerf(page);
    if (profiler) printProfile('Traces', (await profiler.send('Profiler.stop')).profile);
    clearInterval(feeder);
    const elapsed = (performance.now() - started) / 1000;
    const domRows = await page.locator('[data-testid="trace-row"]').count();
    const count = await page.getByTestId('traces-count').textContent();
    bridge.close();

    const report = (label: string, perf: { longTasks: number[]; frames: number[] }): void => {
      console.log(
        `${label}: ${perf.frames.length} frames, p50 ${round2(percentile(perf.frames, 50))} ms, p95 ${round2(percentile(perf.frames, 95))} ms, ` +
          `p99 ${round2(percentile(perf.frames, 99))} ms, max ${round2(Math.max(0, ...perf.frames))} ms; long tasks ${perf.longTasks.length}` +
          (perf.longTasks.length > 0 ? ` (longest ${round2(Math.max(...perf.longTasks))} ms)` : ''),
      );
    };
    report('Agents view scrolling (500 agents)', agentsPerf);
    report('Routes view under load', routesPerf);
    report('Traces view under load', tracesPerf);
    console.log(
      `traffic: ${sent} messages in ${elapsed.toFixed(1)} s (${Math.round(sent / elapsed)}/s), ${failed} failed sends, ${delivered} deliveries to gateway agents; ` +
        `${edges} edges drawn; traces: ${count}, ${domRows} rows in the DOM`,
    );

    const loaded = { longTasks: [...routesPerf.longTasks, ...tracesPerf.longTasks], frames: [...routesPerf.frames, ...tracesPerf.frames] };
    const frameP95 = percentile(loaded.frames, 95);
    console.log(
      JSON.stringify({
        bench: 'ui',
        long_tasks: loaded.longTasks.length,
        frame_p95_ms: round2(frameP95),
        routes_frame_p95_ms: round2(percentile(routesPerf.frames, 95)),
        traces_frame_p95_ms: round2(percentile(tracesPerf.frames, 95)),
        agents_scroll_long_tasks: agentsPerf.longTasks.length,
        idle_frame_p95_ms: round2(idleP95),
        messages_per_s: Math.round(sent / elapsed),
        agents: AGENTS,
        seed_traces: SEED_TRACES,
        ratio: round2(frameP95 / Math.max(0.001, idleP95)),
      }),
    );
  } finally {
    for (const agent of agents) agent.close();
    await browser.close();
    await host.stop({ keepData: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
