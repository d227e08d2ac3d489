/** The coordinator's metrics switch: file, SY_METRICS_LISTEN, then --metrics; off by default. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../src/server/cli-args.js';
import { loadCoordinatorConfig } from '../../../src/server/config.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function configFile(extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sy-metrics-config-'));
  dirs.push(dir);
  const file = join(dir, 'coordinator.json');
  writeFileSync(file, JSON.stringify({ nats: { servers: ['ws://127.0.0.1:4222'] }, tokensFile: './tokens.json', ...extra }));
  return file;
}

describe('coordinator metrics config', () => {
  it('is off by default; the file, the variable and the flag turn it on, each over the one before', () => {
    expect(loadCoordinatorConfig({ file: configFile(), env: {} }).metrics.listen).toBeUndefined();
    const file = configFile({ metrics: { listen: '10.0.0.5:9464' } });
    expect(loadCoordinatorConfig({ file, env: {} }).metrics.listen).toEqual({ host: '10.0.0.5', port: 9464 });
    expect(loadCoordinatorConfig({ file, env: { SY_METRICS_LISTEN: '9500' } }).metrics.listen).toEqual({ host: '127.0.0.1', port: 9500 });
    const args = parseCliArgs(['--metrics', '0.0.0.0:9600']);
    expect(loadCoordinatorConfig({ file, env: { SY_METRICS_LISTEN: '9500' }, overrides: { metricsListen: args.metrics } }).metrics.listen).toEqual({ host: '0.0.0.0', port: 9600 });
  });

  it('refuses a listen address that is not host:port, naming the path', () => {
    expect(() => loadCoordinatorConfig({ file: configFile({ metrics: { listen: 'somewhere' } }), env: {} })).toThrow(/metrics\.listen.*host:port|host:port/);
    expect(() => loadCoordinatorConfig({ file: configFile({ metrics: { port: 1 } }), env: {} })).toThrow(/ValidationError|metrics|port/i);
  });
});
