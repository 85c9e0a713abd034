import { describe, expect, test } from 'vitest';
import { useMigratedDatabase } from '../../../support/migrated-database.js';

describe('migration 012 (picture text)', () => {
  const database = useMigratedDatabase();

  test('recognised lines belong to an item the store holds, one per reading position, and can be rewritten (derived)', () => {
    const line = (item: string, seq: number) =>
      database.db
        .prepare(
          `INSERT INTO ocr_lines (item_id, case_id, seq, picture_sha256, role, uri, width, height, x0, y0, x1, y1, text, confidence)
           VALUES (?, 'c1', ?, 'a', 'original', NULL, 720, 300, 10, 20, 300, 60, 'WhatsApp +218 91 234 5678', 91.5)`,
        )
        .run(item, seq);
    line('it1', 0);
    expect(() => line('it1', 0)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => line('nope', 1)).toThrow(/FOREIGN KEY/);
    database.db.exec("UPDATE ocr_lines SET text = 'x'; DELETE FROM ocr_lines;");
  });

  test('a candidate read in Eastern digits is kept apart from entities, with its confidence and picture', () => {
    database.db.exec(
      `INSERT INTO entity_candidates (item_id, case_id, type, value, original, confidence, picture)
       VALUES ('it1', 'c1', 'phone', '+989123456789', '۰۹۱۲۳۴۵۶۷۸۹', 67, '{"sha256":"a"}')`,
    );
    expect(database.db.prepare('SELECT count(*) AS n FROM entities').get()).toEqual({ n: 0 });
    database.db.exec('DELETE FROM entity_candidates');
  });
});
