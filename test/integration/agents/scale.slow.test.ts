import { afterEach, describe, expect, it } from 'vitest';
import type { Supervision } from '../../../src/shared/agent-protocol.js';
import type { RoutedMessage } from '../../../src/shared/domain.js';
import type { TestCore } from './helpers.js';
import { isAlive, startCore } from './helpers.js';
import { eventually } from '../../helpers/eventually.js';

describe('many local agents', () => {
  let t: TestCore;
  afterEach(async () => t?.close());

  it('runs 100 echo agents at once and each one answers', { timeout: 120_000 }, async () => {
    t = await startCore();
    const agents = await t.core.localAgents.scale('echo', 100);
    expect(agents).toHaveLength(100);
    const answered = new Set<string>();
    t.core.localAgents.onOutbound(({ from, line }) => {
      if (line.type === 'send' && line.to === 'tester') answered.add(from.name);
    });
    const now = Date.now();
    for (const agent of agents) {
      const message: RoutedMessage = {
        id: `msg-${agent.name}`, from: 'tester', to: agent.name, repo: 'default', body: agent.name, kind: 'text',
        timestamp: now, traceId: 'a'.repeat(32),
        route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: now },
      };
      expect(t.core.localAgents.deliver(message)).toBe(true);
    }
    await eventually(() => answered.size === 100, 90_000, '100 answers');
    const pids = agents.map((a) => (t.core.registry.get({ repo: 'default', name: a.name })!.metadata.supervision as Supervision).pid!);
    await t.core.close();
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
