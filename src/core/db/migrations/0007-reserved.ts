/**
 * Migration 7: reserved for the tasks branch of this wave, which brings its own 0007
 * (migrations are numbered without gaps). This no-op stands in for it on the
 * blackboard branch only; the merge takes the tasks branch's file instead.
 */
import type { MigrationUp } from '../migrate.js';

const up: MigrationUp = () => undefined;

export default up;
