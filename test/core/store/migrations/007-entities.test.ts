import { describe, expect, test } from 'vitest';
import { useMigratedDatabase } from '../../../support/migrated-database.js';

describe('migration 007 (entities)', () => {
  const database = useMigratedDatabase();

  test('one entity per type and value; occurrences can be rewritten and cleared (derived, not evidence)', () => {
    database.db.exec("INSERT INTO entities (type, value) VALUES ('phone', '+218912345678')");
    expect(() =>
      database.db.exec("INSERT INTO entities (type, value) VALUES ('phone', '+218912345678')"),
    ).toThrow(/UNIQUE/);
    database.db.exec("INSERT INTO entities (type, value) VALUES ('whatsapp', '+218912345678')");
    database.db.exec(
      `INSERT INTO entity_occurrences (entity_id, item_id, case_id, source, "offset", original) VALUES (1, 'it1', 'c1', 'text', 10, '091 234 5678')`,
    );
    database.db.exec(`UPDATE entity_occurrences SET "offset" = 11`);
    database.db.exec('DELETE FROM entity_occurrences; DELETE FROM entities;');
    expect((database.db.prepare('SELECT count(*) AS n FROM entities').get() as { n: number }).n).toBe(0);
  });

  test('an occurrence names an entity, an item and a case the store holds', () => {
    database.db.exec("INSERT INTO entities (type, value) VALUES ('email', 'a@b.example')");
    expect(() =>
      database.db.exec(
        `INSERT INTO entity_occurrences (entity_id, item_id, case_id, source, "offset", original) VALUES (1, 'nope', 'c1', 'text', 0, 'x')`,
      ),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      database.db.exec(
        `INSERT INTO entity_occurrences (entity_id, item_id, case_id, source, "offset", original) VALUES (9, 'it1', 'c1', 'text', 0, 'x')`,
      ),
    ).toThrow(/FOREIGN KEY/);
  });

  test('"items that mention this" and "entities of a case" are answered from an index', () => {
    const plan = (sql: string) =>
      (database.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
    expect(plan('SELECT item_id FROM entity_occurrences WHERE entity_id = 1')).toMatch(
      /USING (?:COVERING )?INDEX/,
    );
    expect(plan("SELECT entity_id FROM entity_occurrences WHERE case_id = 'c1'")).toMatch(
      /USING (?:COVERING )?INDEX/,
    );
    expect(plan("SELECT id FROM entities WHERE value = '+218912345678'")).toMatch(
      /USING (?:COVERING )?INDEX/,
    );
  });
});
