// Placeholder so this branch's migration list stays whole: 0005-participant.ts and its
// real upgrade test belong to the participant branch; at merge, take that branch's file.
import { describe, expect, it } from 'vitest';
import { tables, databaseAt, upgradeTo } from './step-db.js';

describe('migration 0005: participant (placeholder)', () => {
  it('upgrades a database at 4 to 5', () => {
    const { db } = databaseAt(4);
    expect(upgradeTo(db, 5)).toBe(5);
    expect(tables(db)).toEqual(expect.arrayContaining(['approvals', 'conversation', 'task_usage', 'traces']));
  });
});
