import type { WritableDB } from '../database.js';

/**
 * Selectors: the identifiers and words of a case (or of every case) an investigator wants to be
 * told about whenever new evidence holds them. A selector and its removal are each recorded with
 * their custody entry (`selector.add`, `selector.remove`, `ledger_seq`) and, like watches, are
 * append-only: a removed selector stays in the history. Hits are not stored: they are read from
 * the derived entities, candidates and search index, so a reindex or a new capture changes them.
 */
export function migration013Selectors(db: WritableDB): void {
  db.exec(`
    CREATE TABLE selectors (
      id TEXT PRIMARY KEY,
      case_id TEXT REFERENCES cases(id),
      type TEXT NOT NULL,
      value TEXT NOT NULL,
      raw TEXT NOT NULL,
      label TEXT,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL REFERENCES investigators(id),
      ledger_seq INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX selectors_by_value ON selectors(value);
    CREATE TABLE selector_removals (
      selector_id TEXT PRIMARY KEY REFERENCES selectors(id),
      removed_at TEXT NOT NULL,
      investigator_id TEXT NOT NULL REFERENCES investigators(id),
      ledger_seq INTEGER NOT NULL
    ) STRICT;
  `);
  for (const table of ['selectors', 'selector_removals']) {
    db.exec(`
      CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${table} is append-only: selector history is never changed'); END;
      CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${table} is append-only: selector history is never deleted'); END;
    `);
  }
}
