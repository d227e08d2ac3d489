import { describe, expect, it } from 'vitest';
import { databaseAt, tables, upgradeTo } from './step-db.js';

describe('migration 0008: placeholder (metrics branch only; replaced by the real step at merge)', () => {
  it('upgrades from 7 and changes no table', () => {
    const { db } = databaseAt(7);
    const before = tables(db);
    expect(upgradeTo(db, 8)).toBe(8);
    expect(tables(db)).toEqual(before);
  });
});
