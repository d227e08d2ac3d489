/**
 * Local agents' problems from the registry's change feed: a crash loop (the supervisor
 * gave up restarting) is raised; it resolves once the agent runs again or is gone. A
 * coordinator refusal of an agent resolves when the agent ends here too (the team no
 * longer needs to know it).
 */
import { Supervision } from '../../shared/agent-protocol.js';
import type { AgentInfo } from '../../shared/domain.js';
import type { AgentRef } from '../../shared/registry-query.js';
import type { ProblemCenter } from './problem-center.js';
import { crashLoop, crashLoopId, registrationProblemId } from './reports.js';

export class AgentWatch {
  /** The exit each standing crash loop was raised for, so a repeated upsert is not a repeat. */
  private readonly seen = new Map<string, number>();

  constructor(private readonly center: ProblemCenter) {}

  /** One batch of registry changes. */
  update(batch: { upserts: readonly AgentInfo[]; removals: readonly AgentRef[] }): void {
    for (const info of batch.upserts) if (info.location === 'local') this.upsert(info);
    for (const ref of batch.removals) this.gone(ref.repo, ref.name);
  }

  private upsert(info: AgentInfo): void {
    const id = crashLoopId(info.repo, info.name);
    const supervision = Supervision.safeParse(info.metadata['supervision']);
    if (supervision.success) {
      const { state, lastExit } = supervision.data;
      if (state === 'crash-loop') {
        const at = lastExit?.at ?? 0;
        if (this.seen.get(id) !== at || !this.center.holds(id)) {
          this.seen.set(id, at);
          this.center.raise(crashLoop(info.repo, info.name, lastExit?.detail));
        }
      } else if (state === 'running') {
        this.seen.delete(id);
        this.center.resolve(id);
      }
    }
    if (info.status === 'terminated') this.center.resolve(registrationProblemId(info.repo, info.name));
  }

  private gone(repo: string, name: string): void {
    const id = crashLoopId(repo, name);
    this.seen.delete(id);
    this.center.resolve(id);
    this.center.resolve(registrationProblemId(repo, name));
  }
}
