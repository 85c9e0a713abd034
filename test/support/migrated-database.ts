import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { openWritableDatabase, type WritableDB } from '../../electron/core/store/database.js';
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
export function useMigratedDatabase(seedSql = SEED_CASE_AND_ITEM): { readonly db: WritableDB } {
  return useDatabaseFile((file) => {
    const db = openWritableDatabase(file);
    db.exec(seedSql);
    return db;
  });
}

/**
 * For a migration's test file: before each test, a real, empty database file in a new temp
 * folder (no migration run: the test migrates it as far as it needs), `prepare` run on it first;
 * closed and removed after it.
 */
export function useBlankDatabase(prepare?: (db: WritableDB) => void): { readonly db: WritableDB } {
  return useDatabaseFile((file) => {
    const db = new Database(file) as WritableDB;
    prepare?.(db);
    return db;
  });
}

/** A database `open`ed in a new temp folder before each test, closed and removed after it. */
function useDatabaseFile(open: (file: string) => WritableDB): { readonly db: WritableDB } {
  let dir = '';
  let db: WritableDB | undefined;
  beforeEach(() => {
    dir = makeTempDir();
    db = open(path.join(dir, 'custos.sqlite'));
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
