import { describe, expect, test } from 'vitest';
import { useMigratedDatabase } from '../../../support/migrated-database.js';

describe('migration 005 (derived state)', () => {
  const database = useMigratedDatabase();

  test('derived state can be rewritten and cleared (it is not evidence), one row per item and deriver', () => {
    database.db.exec(
      "INSERT INTO derived_state (item_id, deriver, version, derived_at) VALUES ('it1', 'search', 1, 't')",
    );
    expect(() =>
      database.db.exec(
        "INSERT INTO derived_state (item_id, deriver, version, derived_at) VALUES ('it1', 'search', 2, 't')",
      ),
    ).toThrow(/UNIQUE/);
    database.db.exec("UPDATE derived_state SET version = 2, error = 'x'");
    database.db.exec('DELETE FROM derived_state');
    expect((database.db.prepare('SELECT count(*) AS n FROM derived_state').get() as { n: number }).n).toBe(0);
  });

  test('derived state can only name an item the store holds', () => {
    expect(() =>
      database.db.exec(
        "INSERT INTO derived_state (item_id, deriver, version, derived_at) VALUES ('nope', 'search', 1, 't')",
      ),
    ).toThrow(/FOREIGN KEY/);
  });
});
