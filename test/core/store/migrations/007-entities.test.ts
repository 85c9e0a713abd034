import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openWritableDatabase } from '../../../../electron/core/store/database.js';
import { makeTempDir, removeTempDir } from '../../../support/temp-store.js';

describe('migration 007 (entities)', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = makeTempDir();
    db = openWritableDatabase(path.join(dir, 'custos.sqlite'));
    db.exec(`INSERT INTO investigators VALUES ('i1', 'Ana', NULL, NULL, 'f', 'pem', 't');
             INSERT INTO cases VALUES ('c1', 'BE-1', 'Boats', NULL, 't', 'i1');
             INSERT INTO items VALUES ('it1', 'c1', 'import', 'a.txt', NULL, NULL, 't', '{}', 'd', 1);`);
  });
  afterEach(() => {
    db.close();
    removeTempDir(dir);
  });

  test('one entity per type and value; occurrences can be rewritten and cleared (derived, not evidence)', () => {
    db.exec("INSERT INTO entities (type, value) VALUES ('phone', '+218912345678')");
    expect(() => db.exec("INSERT INTO entities (type, value) VALUES ('phone', '+218912345678')")).toThrow(
      /UNIQUE/,
    );
    db.exec("INSERT INTO entities (type, value) VALUES ('whatsapp', '+218912345678')");
    db.exec(`INSERT INTO entity_occurrences VALUES (1, 'it1', 'c1', 'text', 10, '091 234 5678')`);
    db.exec(`UPDATE entity_occurrences SET "offset" = 11`);
    db.exec('DELETE FROM entity_occurrences; DELETE FROM entities;');
    expect((db.prepare('SELECT count(*) AS n FROM entities').get() as { n: number }).n).toBe(0);
  });

  test('an occurrence names an entity, an item and a case the store holds', () => {
    db.exec("INSERT INTO entities (type, value) VALUES ('email', 'a@b.example')");
    expect(() => db.exec(`INSERT INTO entity_occurrences VALUES (1, 'nope', 'c1', 'text', 0, 'x')`)).toThrow(
      /FOREIGN KEY/,
    );
    expect(() => db.exec(`INSERT INTO entity_occurrences VALUES (9, 'it1', 'c1', 'text', 0, 'x')`)).toThrow(
      /FOREIGN KEY/,
    );
  });

  test('"items that mention this" and "entities of a case" are answered from an index', () => {
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
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
