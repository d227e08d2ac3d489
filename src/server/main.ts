/**
 * `npm run coordinator` / `switchyard-coordinator`: loads the config, starts the
 * coordinator, and stops it cleanly on SIGINT/SIGTERM (SIGHUP reloads the tokens file).
 *
 * The signal handlers are installed before the start, so a SIGHUP that arrives while the
 * coordinator connects is applied once it is up instead of killing the process (Node's
 * default for SIGHUP), and a SIGTERM then stops it as soon as it can.
 */
import { parseCliArgs, USAGE } from './cli-args.js';
import { loadCoordinatorConfig } from './config.js';
import type { Coordinator } from './coordinator.js';
import { startCoordinator } from './coordinator.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAll, tokensFileKey } from './hash-token.js';
import { jsonLogger } from './log.js';
import { TeamRunner } from './team-runner.js';
import { natsConfigFor } from './nats-config.js';

async function main(): Promise<void> {
  let args;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (args['hash-token']) {
    try {
      console.log(tokensFileKey(await readAll(process.stdin)));
    } catch (error) {
      console.error((error as Error).message);
      process.exit(2);
    }
    return;
  }
  const config = loadCoordinatorConfig({
    file: args.config,
    overrides: { natsUrl: args.nats, tokensFile: args.tokens, repos: args.repo?.join(','), metricsListen: args.metrics },
  });
  if (args['nats-config']) {
    console.log(natsConfigFor(config));
    return;
  }
  if (args['no-team']) config.team.manifestDir = undefined;
  const log = jsonLogger('coordinator');
  // The runner needs the coordinator's registry, which exists only once it has started.
  const started: { coordinator?: Coordinator } = {};
  const runner = config.team.manifestDir
    ? new TeamRunner({
        dataDir: config.team.dataDir ?? mkdtempSync(join(tmpdir(), 'sy-coordinator-')),
        manifestDir: config.team.manifestDir,
        owner: config.team.owner,
        workspaces: config.team.workspaces,
        log,
        // Stamps each route with where its destination really lives (a desktop's agent is local to it).
        locationOf: (repo, name) => started.coordinator?.store.get(repo, name)?.info.location ?? 'remote',
      })
    : undefined;
  let stopping = false;
  let reloadPending = false;
  const reload = () => {
    const coordinator = started.coordinator;
    if (!coordinator) {
      reloadPending = true;
      return;
    }
    try {
      coordinator.reloadIdentities();
    } catch (error) {
      log.error('tokens file reload failed; keeping the previous one', { error: (error as Error).message });
    }
  };
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Before the start finished, the start's own continuation below closes it.
    started.coordinator
      ?.close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error('stop failed', { error: String(error) });
        process.exit(1);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', reload);

  const coordinator = await startCoordinator(config, { log, runner });
  started.coordinator = coordinator;
  runner?.useSpawner((repo, from, task) => coordinator.spawnAsTeam(repo, from, task));
  if (stopping) {
    stopping = false;
    stop();
    return;
  }
  if (reloadPending) reload();
}

main().catch((error: unknown) => {
  console.error(`switchyard-coordinator: ${(error as Error).message}`);
  process.exit(1);
});
