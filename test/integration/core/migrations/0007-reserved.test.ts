import { describe, expect, it } from 'vitest';
import { databaseAt, tables, upgradeTo } from './step-db.js';

// The tasks branch brings the real 0007 and its test; this stand-in changes nothing.
describe('migration 0007: reserved', () => {
  it('upgrades a database at 6 without changing its tables', () => {
    const { db } = databaseAt(6);
    const before = tables(db);
    expect(upgradeTo(db, 7)).toBe(7);
    expect(tables(db)).toEqual(before);
  });
});
