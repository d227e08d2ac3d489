/**
 * Every step of the desktop database, in order.
 *
 * A step is one file, `NNNN-<name>.ts`, whose number is the version a database records
 * once the step is applied (`PRAGMA user_version`). The list is written out because the
 * core runs unbundled too (the coordinator, the CLI, tests); the number still comes from
 * the file name only, and a test checks that this list matches the folder, file by file.
 * Numbers already released keep their meaning: never renumber, never edit a released
 * step; add the next number instead.
 */
import type { Migration, MigrationUp } from '../migrate.js';
import settings from './0001-settings.js';
import registry from './0002-registry.js';
import outbox from './0003-outbox.js';
import traces from './0004-traces.js';
import participant from './0005-participant.js';
import desiredAgents from './0006-desired-agents.js';
import tasks from './0007-tasks.js';
import context from './0008-context.js';
import agentMetrics from './0009-agent-metrics.js';

const FILE_NAME = /^(\d{4})-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A step named by its file: the version is the file name's number. */
export function fromFile(file: string, up: MigrationUp): Migration {
  const match = FILE_NAME.exec(file);
  if (!match) throw new Error(`a migration file is named NNNN-<name>, not "${file}"`);
  return { version: Number(match[1]), name: file, up };
}

export const MIGRATIONS: readonly Migration[] = [
  fromFile('0001-settings', settings),
  fromFile('0002-registry', registry),
  fromFile('0003-outbox', outbox),
  fromFile('0004-traces', traces),
  fromFile('0005-participant', participant),
  fromFile('0006-desired-agents', desiredAgents),
  fromFile('0007-tasks', tasks),
  fromFile('0008-context', context),
  fromFile('0009-agent-metrics', agentMetrics),
];
