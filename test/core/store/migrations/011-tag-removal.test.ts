import { describe, expect, test } from 'vitest';
import { SEED_CASE_AND_ITEM, useMigratedDatabase } from '../../../support/migrated-database.js';

describe('migration 011 (tag removal)', () => {
  const database = useMigratedDatabase(
    `${SEED_CASE_AND_ITEM}
     INSERT INTO annotations (item_id, kind, text, created_at, investigator_id, ledger_seq)
       VALUES ('it1', 'tag', 'boat', 't', 'i1', 2);`,
  );
  const insert = (kind: string) =>
    database.db
      .prepare(
        "INSERT INTO annotations (item_id, kind, text, created_at, investigator_id, ledger_seq) VALUES ('it1', ?, 'boat', 't', 'i1', 3)",
      )
      .run(kind);

  test('an annotation may record a tag removal (untag); other kinds are still refused', () => {
    insert('untag');
    expect(() => insert('delete')).toThrow(/CHECK/);
    expect(database.db.prepare('SELECT kind FROM annotations ORDER BY id').pluck().all()).toEqual([
      'tag',
      'untag',
    ]);
  });

  test('annotations stay append-only after the rebuild', () => {
    expect(() => database.db.exec("UPDATE annotations SET text = 'x'")).toThrow(/append-only/);
    expect(() => database.db.exec('DELETE FROM annotations')).toThrow(/append-only/);
  });

  test('the item index is back', () => {
    const plan = database.db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM annotations WHERE item_id = 'it1'")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join()).toContain('annotations_by_item');
  });
});
