import { describe, expect, test } from 'vitest';
import { useMigratedDatabase } from '../../../support/migrated-database.js';

describe('migration 013 (selectors)', () => {
  const database = useMigratedDatabase();

  test('selectors and their removals are append-only: the history of what was looked for is never changed', () => {
    database.db.exec(`
      INSERT INTO selectors (id, case_id, type, value, raw, label, created_at, created_by, ledger_seq)
      VALUES ('s1', 'c1', 'phone', '+218912345678', '+218 91 234 5678', 'broker', 't', 'i1', 2);
      INSERT INTO selector_removals VALUES ('s1', 't2', 'i1', 3);`);
    expect(() => database.db.exec("UPDATE selectors SET value = '+218000000000'")).toThrow(/append-only/);
    expect(() => database.db.exec('DELETE FROM selector_removals')).toThrow(/append-only/);
    expect(() =>
      database.db.exec(
        `INSERT INTO selectors (id, case_id, type, value, raw, label, created_at, created_by, ledger_seq)
         VALUES ('s2', 'nope', 'word', 'x', 'x', NULL, 't', 'i1', 4)`,
      ),
    ).toThrow(/FOREIGN KEY/);
  });
});
