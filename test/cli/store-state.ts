import fs from 'node:fs';
import path from 'node:path';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import { openRawDatabase } from '../support/sqlite.js';

/** What a store holds, read straight from its files: equal before and after means nothing was written. */
export interface StoreState {
  readonly ledgerEntries: number;
  readonly cases: number;
  readonly items: number;
  readonly artifacts: number;
  readonly annotations: number;
  /** Every file under the blob folder (temporary files included), relative to it, sorted. */
  readonly blobFiles: readonly string[];
}

/** Reads a store's row counts and blob files without going through Custos. */
export function storeState(storeDir: string): StoreState {
  const db = openRawDatabase(storeDir, { readonly: true });
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      ledgerEntries: count('ledger'),
      cases: count('cases'),
      items: count('items'),
      artifacts: count('artifacts'),
      annotations: count('annotations'),
      blobFiles: filesUnder(storeLayout(storeDir).blobs),
    };
  } finally {
    db.close();
  }
}

/** Every file below a folder, as sorted relative paths; empty when the folder does not exist. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** A store folder's files (SQLite's -wal and -shm aside) and the bytes of its database and store.json: equal means nothing was written. */
export function storeFilesSnapshot(storeDir: string): { files: string[]; database: Buffer; anchor: Buffer } {
  const layout = storeLayout(storeDir);
  return {
    files: filesUnder(storeDir).filter((f) => !/-(wal|shm)$/.test(f)),
    database: fs.readFileSync(layout.database),
    anchor: fs.readFileSync(layout.anchor),
  };
}
