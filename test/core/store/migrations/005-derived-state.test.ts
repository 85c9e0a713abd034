import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openWritableDatabase } from '../../../../electron/core/store/database.js';
import { makeTempDir, removeTempDir } from '../../../support/temp-store.js';

describe('migration 005 (derived state)', () => {
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

  test('derived state can be rewritten and cleared (it is not evidence), one row per item and deriver', () => {
    db.exec(
      "INSERT INTO derived_state (item_id, deriver, version, derived_at) VALUES ('it1', 'search', 1, 't')",
    );
    expect(() =>
      db.exec(
        "INSERT INTO derived_state (item_id, deriver, version, derived_at) VALUES ('it1', 'search', 2, 't')",
      ),
    ).toThrow(/UNIQUE/);
    db.exec("UPDATE derived_state SET version = 2, error = 'x'");
    db.exec('DELETE FROM derived_state');
    expect((db.prepare('SELECT count(*) AS n FROM derived_state').get() as { n: number }).n).toBe(0);
  });

  test('derived state can only name an item the store holds', () => {
    expect(() =>
      db.exec(
        "INSERT INTO derived_state (item_id, deriver, version, derived_at) VALUES ('nope', 'search', 1, 't')",
      ),
    ).toThrow(/FOREIGN KEY/);
  });
});
