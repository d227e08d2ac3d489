/**
 * docs/grafana/switchyard.json: valid JSON, and every panel's query names only metrics
 * the coordinator or the desktop core really export (a renamed metric breaks this test,
 * not a user's dashboard).
 */
import { readFileSync } from 'node:fs';
import type { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CoordinatorMetrics } from '../../../src/server/coordinator-metrics.js';
import type { RegistryStore } from '../../../src/server/registry-store.js';
import { DesktopMetrics } from '../../../src/core/metrics/desktop-metrics.js';

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
}

/** Every series name a registry writes: families, and histogram/summary sample names. */
async function namesOf(registry: Registry): Promise<Set<string>> {
  const names = new Set<string>();
  for (const metric of await registry.getMetricsAsJSON()) {
    names.add(metric.name);
    for (const value of metric.values) names.add((value as { metricName?: string }).metricName ?? metric.name);
    if (String(metric.type) === 'histogram') ['_bucket', '_sum', '_count'].forEach((s) => names.add(metric.name + s));
  }
  return names;
}

describe('the example Grafana dashboard', () => {
  it('is valid JSON whose every query names exported metrics', async () => {
    const dashboard = JSON.parse(readFileSync('docs/grafana/switchyard.json', 'utf8')) as { title: string; panels: Panel[] };
    expect(dashboard.title).toBe('Switchyard');
    const coordinator = new CoordinatorMetrics({
      store: { all: () => [][Symbol.iterator]() } as unknown as RegistryStore,
      nc: () => undefined,
      consumers: () => [],
      instance: 'c1',
      version: '0',
    });
    const desktop = new DesktopMetrics({ clock: { now: () => 0 }, outboxSize: () => 0, statusCounts: () => [], supervised: () => [], uptimePct: () => 0 });
    const known = new Set([...(await namesOf(coordinator.registry)), ...(await namesOf(desktop.registry))]);

    const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));
    expect(exprs.length).toBeGreaterThan(10);
    const PROMQL_WORDS = new Set(['sum', 'by', 'rate', 'increase', 'max', 'histogram_quantile', 'le', 'without']);
    const unknown: string[] = [];
    for (const { panel, expr } of exprs) {
      // Metric names: identifiers followed by `{`, `[`, `)` or the end, once grouping clauses and label matchers are gone.
      const stripped = expr.replace(/\b(?:by|without)\s*\([^)]*\)/g, '').replace(/\{[^}]*\}/g, '{}');
      const metrics = [...stripped.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?=[{[)]|$)/g)].map((m) => m[1]!).filter((name) => !PROMQL_WORDS.has(name));
      expect(metrics.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      for (const name of metrics) if (!known.has(name)) unknown.push(`${panel}: ${name}`);
    }
    expect(unknown).toEqual([]);
  });
});
