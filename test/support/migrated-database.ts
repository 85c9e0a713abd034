import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { openWritableDatabase } from '../../electron/core/store/database.js';
import { makeTempDir, removeTempDir } from './temp-store.js';

/** An investigator `i1`, a case `c1` (BE-1) and an imported item `it1`: rows most migrations refer to. */
export const SEED_CASE_AND_ITEM = `
  INSERT INTO investigators VALUES ('i1', 'Ana', NULL, NULL, 'f', 'pem', 't');
  INSERT INTO cases VALUES ('c1', 'BE-1', 'Boats', NULL, 't', 'i1');
  INSERT INTO items VALUES ('it1', 'c1', 'import', 'a.txt', NULL, NULL, 't', '{}', 'd', 1);`;

/**
 * For a migration's test file: before each test, a real database file in a new temp folder,
 * migrated to the current schema and seeded with `seedSql`; closed and removed after it.
 */
export function useMigratedDatabase(seedSql = SEED_CASE_AND_ITEM): { readonly db: Database.Database } {
  let dir = '';
  let db: Database.Database | undefined;
  beforeEach(() => {
    dir = makeTempDir();
    db = openWritableDatabase(path.join(dir, 'custos.sqlite'));
    db.exec(seedSql);
  });
  afterEach(() => {
    db?.close();
    removeTempDir(dir);
  });
  return {
    get db() {
      if (!db) throw new Error('the database is opened before each test');
      return db;
    },
  };
}
