/**
 * Stopping an agent says `shutdown` first (docs/agent-protocol.md): a real child records
 * the line it received and exits on it, before any signal is needed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Supervision } from '../../../src/shared/agent-protocol.js';
import type { TestCore } from './helpers.js';
import { fixture, startCore } from './helpers.js';
import { eventually } from '../../helpers/eventually.js';

describe('stopping an agent', () => {
  let t: TestCore;
  afterEach(async () => t?.close());

  it('sends shutdown with the reason, and the agent exits on it without SIGTERM', async () => {
    // A grace long enough that only the shutdown line (not a signal) can end it in time.
    t = await startCore({ timings: { stopGraceMs: 5_000, killAfterMs: 5_000 } });
    const file = join(t.dataDir, 'shutdown.txt');
    t.manifest({ type: 'recorder', command: 'node', args: [fixture('shutdown-recorder.mjs')], env: { SHUTDOWN_FILE: file } });
    await t.core.localAgents.start('recorder');
    await eventually(() => (t.core.registry.get({ repo: 'default', name: 'recorder' })?.metadata.supervision as Supervision | undefined)?.state === 'running');

    const stopped = await t.core.call('agents.stop', { name: 'recorder' });
    expect(stopped).toMatchObject({ ok: true, value: { status: 'terminated' } });
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('stopped by the user');
    const supervision = t.core.registry.get({ repo: 'default', name: 'recorder' })?.metadata.supervision as Supervision;
    // It exited by itself with code 0: no signal was sent.
    expect(supervision.lastExit).toMatchObject({ reason: 'stopped', code: 0, signal: null });
    const log = t.core.localAgents.logs('recorder', 500).map((e) => e.text);
    expect(log.some((text) => text.includes('SIGTERM'))).toBe(false);
  });
});
