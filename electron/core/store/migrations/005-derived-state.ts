import type { WritableDB } from '../database.js';

/**
 * Which derivers (search index, entities, image hashes…) have processed which item, at which
 * version. Derived data is not evidence: it is rebuilt from the originals (`custos reindex`), so
 * this table and the derivers' own tables are the only ones that allow UPDATE and DELETE.
 */
export function migration005DerivedState(db: WritableDB): void {
  db.exec(`
    CREATE TABLE derived_state (
      item_id TEXT NOT NULL REFERENCES items(id),
      deriver TEXT NOT NULL,
      version INTEGER NOT NULL,
      derived_at TEXT NOT NULL,
      error TEXT,
      -- for derivers that read notes and tags: the last annotation id they saw
      annotations_upto INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (item_id, deriver)
    ) STRICT, WITHOUT ROWID;
  `);
}
