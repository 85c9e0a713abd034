/**
 * Which compiled better-sqlite3 addon this process loads. Node (the CLI, the tests) uses the one
 * npm built in node_modules; the Electron shell names its own build, compiled for Electron's ABI
 * and kept apart (electron/main/sqlite-native.ts), so the two never overwrite each other.
 */
import type Database from 'better-sqlite3';

let nativeBinding: string | null = null;

/** Loads better-sqlite3's addon from `file` for every database this process opens from now on (null: npm's own build). */
export function loadSqliteBindingFrom(file: string | null): void {
  nativeBinding = file;
}

/** `options` plus the addon to load, when the shell has named one (better-sqlite3's `nativeBinding`). */
export function withSqliteBinding(options: Readonly<Database.Options>): Database.Options {
  return nativeBinding === null ? { ...options } : { ...options, nativeBinding };
}

/** The addon this process loads (null: npm's own build), for a worker thread to load the same. */
export function sqliteBindingFile(): string | null {
  return nativeBinding;
}
