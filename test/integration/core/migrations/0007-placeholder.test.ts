import { describe, expect, it } from 'vitest';
import { databaseAt, tables, upgradeTo } from './step-db.js';

describe('migration 0007: placeholder (metrics branch only; replaced by the real step at merge)', () => {
  it('upgrades from 6 and changes no table', () => {
    const { db } = databaseAt(6);
    const before = tables(db);
    expect(upgradeTo(db, 7)).toBe(7);
    expect(tables(db)).toEqual(before);
  });
});
