import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { storeLayout } from '../../electron/core/store/store-layout.js';

/** The SQLite file of the store in `dir`. */
export function storeDatabaseFile(dir: string): string {
  return storeLayout(dir).database;
}

/**
 * Runs SQL on a store's database with the `sqlite3` command-line shell, as someone with access to
 * the files would, bypassing Custos entirely. Returns the shell's output.
 */
export function sqliteShell(dir: string, sql: string): string {
  return execFileSync('sqlite3', [storeDatabaseFile(dir)], { input: sql, encoding: 'utf8' });
}

/**
 * Writes into a store's schema, by hand, a table SQLite cannot read (a virtual table of a module it
 * lacks, `nosuchmodule`): anything that reads the schema whole fails with "no such module".
 */
export function addTableOfMissingModule(dir: string): void {
  sqliteShell(
    dir,
    `PRAGMA writable_schema = ON;
     INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql)
       VALUES ('table', 'added', 'added', 0, 'CREATE VIRTUAL TABLE added USING nosuchmodule(a)');
     PRAGMA writable_schema = OFF;`,
  );
}

/** Opens a store's database directly (no Custos code), for reading rows as they are on disk. */
export function openRawDatabase(
  dir: string,
  options: { readonly readonly?: boolean } = {},
): Database.Database {
  return new Database(storeDatabaseFile(dir), { readonly: options.readonly ?? false, fileMustExist: true });
}

/** The case numbers committed in a store's database file, in order, read with no Custos code. */
export function committedCaseNumbers(dir: string): string[] {
  const db = openRawDatabase(dir, { readonly: true });
  try {
    return db.prepare('SELECT number FROM cases ORDER BY number').pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** SQL that drops the append-only triggers of a table, as an attacker would before editing it. */
export function dropAppendOnlyTriggers(table: string): string {
  return `DROP TRIGGER ${table}_no_update; DROP TRIGGER ${table}_no_delete;`;
}

/**
 * SQL that puts `table`'s append-only triggers back exactly as the store's database in `dir` holds
 * them now (read before they are dropped), as a careful attacker would after an edit, so that the
 * audit's schema check finds nothing and a test sees only what the edit itself left.
 */
export function recreateAppendOnlyTriggers(dir: string, table: string): string {
  const db = openRawDatabase(dir, { readonly: true });
  try {
    const statements = db
      .prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name IN (?, ?) ORDER BY name")
      .pluck()
      .all(`${table}_no_update`, `${table}_no_delete`) as string[];
    if (statements.length !== 2)
      throw new Error(`the table ${table} has no append-only triggers to put back`);
    return statements.map((sql) => `${sql};`).join('\n');
  } finally {
    db.close();
  }
}

/**
 * Overwrites one leaf page of `table`'s b-tree with random bytes, as a failing disk or a stray
 * write would: the WAL is checkpointed into the file first, the page is found with SQLite's
 * `dbstat`, and the bytes are written with plain file I/O. Returns the page number.
 */
export function corruptTablePage(dir: string, table: string): number {
  const file = storeDatabaseFile(dir);
  const db = new Database(file, { fileMustExist: true });
  let page: number;
  let pageSize: number;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    pageSize = db.pragma('page_size', { simple: true }) as number;
    const leaves = db
      .prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno")
      .pluck()
      .all(table) as number[];
    const last = leaves.at(-1);
    if (last === undefined) throw new Error(`table ${table} has no leaf page to corrupt`);
    page = last;
  } finally {
    db.close();
  }
  const handle = fs.openSync(file, 'r+');
  try {
    fs.writeSync(handle, randomBytes(pageSize), 0, pageSize, (page - 1) * pageSize);
    fs.fsyncSync(handle);
  } finally {
    fs.closeSync(handle);
  }
  return page;
}
