/**
 * Migration 8 on the metrics branch only: a placeholder for the step another branch of
 * this wave adds under this number, so 0009 (agent metrics) applies without a gap.
 * Dropped when the branches merge: the real 0008 takes its place.
 */
import type { MigrationUp } from '../migrate.js';

const up: MigrationUp = () => {};

export default up;
