import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openWritableDatabase } from '../../../../electron/core/store/database.js';
import { makeTempDir, removeTempDir } from '../../../support/temp-store.js';

const RECEIVED_TABLES = ['received_bundles', 'received_custody', 'received_keys'];

describe('migration 003 (received bundles)', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = makeTempDir();
    db = openWritableDatabase(path.join(dir, 'custos.sqlite'));
    db.exec(`INSERT INTO investigators VALUES ('i1', 'Ana', NULL, NULL, 'f', 'pem', 't');
             INSERT INTO cases VALUES ('c1', 'BE-1', 'T', NULL, 't', 'i1');
             INSERT INTO received_bundles VALUES ('${'a'.repeat(64)}', '${'b'.repeat(64)}', 'b.zip', 't', 3, 'c1', 'f', 'pem', '{}', 't', '{}', 'sig');
             INSERT INTO received_custody VALUES ('${'a'.repeat(64)}', 1, 7, 'h', NULL);
             INSERT INTO received_keys VALUES ('f', 'pem', '${'a'.repeat(64)}');`);
  });
  afterEach(() => {
    db.close();
    removeTempDir(dir);
  });

  test('creates the received tables STRICT', () => {
    for (const table of RECEIVED_TABLES) {
      const row = db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(table) as {
        strict: number;
      };
      expect({ table, strict: row.strict }).toEqual({ table, strict: 1 });
    }
  });

  test.each(RECEIVED_TABLES)('keeps %s append-only: updates and deletes are refused', (table) => {
    expect(() => db.prepare(`UPDATE ${table} SET rowid = rowid`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM ${table}`).run()).toThrow(/append-only/);
    expect((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n).toBe(1);
  });

  test('refuses a received bundle for a case this store does not have', () => {
    expect(() =>
      db
        .prepare(
          `INSERT INTO received_bundles VALUES (?, ?, 'b.zip', 't', 3, 'no-such-case', 'f', 'pem', '{}', 't', '{}', 'sig')`,
        )
        .run('c'.repeat(64), 'd'.repeat(64)),
    ).toThrow(/FOREIGN KEY/);
  });
});
