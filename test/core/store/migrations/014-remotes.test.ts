import { describe, expect, test } from 'vitest';
import { useMigratedDatabase } from '../../../support/migrated-database.js';

describe('migration 014 (remotes)', () => {
  const database = useMigratedDatabase();

  test("a case's retention is only a known Object Lock mode, a positive number of days and a yes/no legal hold, for a case that exists", () => {
    database.db.exec("INSERT INTO case_retention VALUES ('c1', 'COMPLIANCE', 3650, 1, 't')");
    for (const bad of [
      "('c1', 'FOREVER', 1, 0, 't')",
      "('c1', 'GOVERNANCE', 0, 0, 't')",
      "('c1', 'GOVERNANCE', 1, 2, 't')",
    ])
      expect(() => database.db.exec(`INSERT OR REPLACE INTO case_retention VALUES ${bad}`)).toThrow(/CHECK/);
    expect(() =>
      database.db.exec("INSERT INTO case_retention VALUES ('nope', 'COMPLIANCE', 1, 0, 't')"),
    ).toThrow(/FOREIGN KEY/);
  });

  test('a remote keeps where it is and whose profile to use, and has no column for a credential', () => {
    const columns = (database.db.prepare('PRAGMA table_info(remotes)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(columns).toEqual(['name', 'bucket', 'prefix', 'endpoint', 'region', 'profile', 'added_at']);
  });
});
