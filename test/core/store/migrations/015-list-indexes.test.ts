import { describe, expect, test } from 'vitest';
import { useMigratedDatabase } from '../../../support/migrated-database.js';

/** How SQLite would run a statement, one step a line. */
const plan = (db: { prepare(sql: string): { all(...p: unknown[]): unknown[] } }, sql: string) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('c1') as { detail: string }[]).map((r) => r.detail).join('\n');

describe('migration 015 (list indexes)', () => {
  const database = useMigratedDatabase();

  test("the list's first page in each order is read from an index of the case, never by sorting the whole case", () => {
    for (const order of [
      'coalesce(i.title, i.source) COLLATE NOCASE',
      'coalesce(i.url, i.source) COLLATE NOCASE',
      'i.kind',
      'i.captured_at',
    ]) {
      for (const direction of ['ASC', 'DESC']) {
        const steps = plan(
          database.db,
          `SELECT i.id FROM items i WHERE i.case_id = ? ORDER BY ${order} ${direction}, i.rowid ${direction} LIMIT 100`,
        );
        expect(steps).toMatch(/USING (COVERING )?INDEX items_by_case/);
        expect(steps).not.toMatch(/TEMP B-TREE/);
      }
    }
  });

  test('an item is found by a digest prefix through the digest index, not by reading every item', () => {
    const steps = plan(
      database.db,
      "SELECT id FROM items WHERE +case_id = ? AND digest >= 'd' AND digest < 'd~'",
    );
    expect(steps).toMatch(/INDEX items_by_digest/);
  });
});
