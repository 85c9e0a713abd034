import { describe, expect, test } from 'vitest';
import { useMigratedDatabase } from '../../../support/migrated-database.js';

describe('migration 004 (cases append-only)', () => {
  const database = useMigratedDatabase();

  test('a case cannot be renamed, renumbered or deleted: the database refuses and keeps it as made', () => {
    expect(() => database.db.prepare("UPDATE cases SET title = 'Other' WHERE id = 'c1'").run()).toThrow(
      /append-only/,
    );
    expect(() => database.db.prepare("UPDATE cases SET number = 'BE-2' WHERE id = 'c1'").run()).toThrow(
      /append-only/,
    );
    expect(() => database.db.prepare("DELETE FROM cases WHERE id = 'c1'").run()).toThrow(/append-only/);
    expect(database.db.prepare('SELECT number, title FROM cases').all()).toEqual([
      { number: 'BE-1', title: 'Boats' },
    ]);
  });

  test('new cases can still be added', () => {
    database.db.exec("INSERT INTO cases VALUES ('c2', 'BE-2', 'Trucks', NULL, 't', 'i1')");
    expect((database.db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n).toBe(2);
  });
});
