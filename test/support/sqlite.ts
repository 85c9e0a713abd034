import { execFileSync } from 'node:child_process';
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

/** Opens a store's database directly (no Custos code), for reading rows as they are on disk. */
export function openRawDatabase(
  dir: string,
  options: { readonly readonly?: boolean } = {},
): Database.Database {
  return new Database(storeDatabaseFile(dir), { readonly: options.readonly ?? false, fileMustExist: true });
}

/** SQL that drops the append-only triggers of a table, as an attacker would before editing it. */
export function dropAppendOnlyTriggers(table: string): string {
  return `DROP TRIGGER ${table}_no_update; DROP TRIGGER ${table}_no_delete;`;
}
