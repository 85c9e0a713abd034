import fs from 'node:fs';
import { importFile } from '../../electron/core/import/import-file.js';
import { SCHEMA_VERSION } from '../../electron/core/store/migrations/index.js';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import { openRawDatabase } from './sqlite.js';
import { makeTempStore, type TempStore } from './temp-store.js';

/**
 * A store as Custos before migration 017 left it: one case numbered `caseNumber` holding one
 * imported text file (so that the upgrade has a document to index).
 */
export async function makeOlderStore(caseNumber: string): Promise<TempStore> {
  const temp = makeTempStore({ caseNumber });
  const store = temp.open();
  try {
    await importFile(store, temp.caseId ?? '', temp.writeFile('ad.txt', 'crossing 3000 EUR'));
  } finally {
    store.close();
  }
  backToSchemaVersion16(temp.dir);
  return temp;
}

/**
 * Puts a store made by this Custos back to schema version 16, as Custos before migration 017
 * (search impact lists) left it: migrations 017 and 018 only add derived tables, so dropping them
 * is exact; 019 numbered the search documents in blocks by case, numbered again here in one
 * sequence in their order (each before 019 had the next id).
 */
export function backToSchemaVersion16(dir: string): void {
  if (SCHEMA_VERSION !== 19)
    throw new Error(
      `backToSchemaVersion16 undoes migrations 017 to 019 alone: undo migrations 020–${SCHEMA_VERSION} too`,
    );
  const db = openRawDatabase(dir);
  try {
    db.exec(`
      CREATE TEMP TABLE before_019 (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
      INSERT INTO temp.before_019 (old, new) SELECT id, row_number() OVER (ORDER BY id) FROM search_documents;
      UPDATE search_documents SET id = (SELECT b.new FROM temp.before_019 b WHERE b.old = search_documents.id);
      UPDATE search_index SET rowid = (SELECT b.new FROM temp.before_019 b WHERE b.old = search_index.rowid);
      DROP TABLE temp.before_019;
      DROP TABLE search_case_blocks;
      DROP TABLE search_vocabulary_instances;
      DROP TABLE search_vocabulary;
      DROP TABLE search_impacts;
      DROP TABLE search_impact_terms;
      DROP TABLE search_impact_lists;
      PRAGMA user_version = 16;
    `);
  } finally {
    db.close();
  }
}

/** The schema version of a store's database as it is on disk. */
export function schemaVersionOf(dir: string): number {
  const db = openRawDatabase(dir, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** Turns a store's database into bytes SQLite cannot read (a failing disk, say), its write-ahead log gone with it. */
export function makeDatabaseUnreadable(dir: string): void {
  const { database } = storeLayout(dir);
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${database}${suffix}`, { force: true });
  fs.writeFileSync(database, Buffer.alloc(8192, 0xa5));
}
