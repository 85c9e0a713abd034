import { describe, expect, test } from 'vitest';
import { SEED_CASE_AND_ITEM, useMigratedDatabase } from '../../../support/migrated-database.js';

const RECEIVED_TABLES = ['received_bundles', 'received_custody', 'received_keys'];

describe('migration 003 (received bundles)', () => {
  const database = useMigratedDatabase(`${SEED_CASE_AND_ITEM}
             INSERT INTO received_bundles VALUES ('${'a'.repeat(64)}', '${'b'.repeat(64)}', 'b.zip', 't', 3, 'c1', 'f', 'pem', '{}', 't', '{}', 'sig');
             INSERT INTO received_custody VALUES ('${'a'.repeat(64)}', 1, 7, 'h', NULL);
             INSERT INTO received_keys VALUES ('f', 'pem', '${'a'.repeat(64)}');`);

  test('creates the received tables STRICT', () => {
    for (const table of RECEIVED_TABLES) {
      const row = database.db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(table) as {
        strict: number;
      };
      expect({ table, strict: row.strict }).toEqual({ table, strict: 1 });
    }
  });

  test.each(RECEIVED_TABLES)('keeps %s append-only: updates and deletes are refused', (table) => {
    expect(() => database.db.prepare(`UPDATE ${table} SET rowid = rowid`).run()).toThrow(/append-only/);
    expect(() => database.db.prepare(`DELETE FROM ${table}`).run()).toThrow(/append-only/);
    expect((database.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n).toBe(1);
  });

  test('refuses a received bundle for a case this store does not have', () => {
    expect(() =>
      database.db
        .prepare(
          `INSERT INTO received_bundles VALUES (?, ?, 'b.zip', 't', 3, 'no-such-case', 'f', 'pem', '{}', 't', '{}', 'sig')`,
        )
        .run('c'.repeat(64), 'd'.repeat(64)),
    ).toThrow(/FOREIGN KEY/);
  });
});
