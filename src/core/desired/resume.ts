/**
 * At launch: start again what the user wants running in the config's repo — every agent
 * they started and did not stop, then one agent of each autostart type that has none.
 *
 * An agent the user stopped stays stopped, also when its type starts automatically. A
 * type the config now places remote is left to the team. A start that fails (a manifest
 * gone, a workspace removed) is reported and the rest still start.
 */
import type { HybridConfig } from '../../shared/config.js';
import type { AgentInfo } from '../../shared/domain.js';
import { startPlacementOf } from '../../shared/start-placement.js';
import type { StartSettings } from '../agents/index.js';
import { settingsOf } from '../agents/index.js';
import type { Clock } from '../clock.js';
import type { DesiredAgents } from './desired-store.js';

export interface ResumeDeps {
  desired: DesiredAgents;
  config: HybridConfig;
  start(type: string, name?: string, settings?: StartSettings): Promise<AgentInfo>;
  clock: Clock;
  report(message: string): void;
}

/** Starts them all in parallel; resolves with the names started once every start settled. */
export async function resumeDesired(deps: ResumeDeps): Promise<string[]> {
  const { desired, config } = deps;
  const repo = config.repo;
  const rows = desired.list(repo);
  const placedHere = (type: string): boolean => startPlacementOf(type, config) === 'local';
  const started: string[] = [];
  const attempt = async (what: string, run: () => Promise<AgentInfo>): Promise<void> => {
    try {
      started.push((await run()).name);
    } catch (error) {
      deps.report(`could not start ${what} again: ${(error as Error).message}`);
    }
  };
  await Promise.all(
    rows
      .filter((row) => row.wanted === 'running')
      .map((row) => {
        if (!placedHere(row.type)) {
          deps.report(`"${row.name}" (${row.type}) is now placed remote by the hybrid config: not started here`);
          return Promise.resolve();
        }
        const settings: StartSettings = { workspace: row.workspace, isolation: row.isolation };
        return attempt(`"${row.name}"`, () => deps.start(row.type, row.name, settings));
      }),
  );
  const asked = new Set(rows.map((row) => row.type));
  await Promise.all(
    desired
      .autostart(repo)
      .filter((type) => !asked.has(type) && placedHere(type))
      .map((type) =>
        attempt(`autostart type "${type}"`, async () => {
          const info = await deps.start(type);
          desired.started({ repo: info.repo, name: info.name, type: info.type, ...settingsOf(info) }, deps.clock.now());
          return info;
        }),
      ),
  );
  return started;
}
