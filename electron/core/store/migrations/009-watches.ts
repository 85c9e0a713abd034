import type { WritableDB } from '../database.js';

/**
 * Watched URLs (docs/WATCH.md): each watch, its removal, and every check with the state it found
 * and the item that proves it. All three are append-only like the evidence tables: a watch is
 * never edited, its removal is a row of its own, and its history is never rewritten or deleted.
 */
export function migration009Watches(db: WritableDB): void {
  db.exec(`
    CREATE TABLE watches (
      id TEXT PRIMARY KEY,
      case_id TEXT NOT NULL REFERENCES cases(id),
      url TEXT NOT NULL,
      interval_seconds INTEGER NOT NULL CHECK (interval_seconds > 0),
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL REFERENCES investigators(id),
      ledger_seq INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX watches_by_case ON watches(case_id, created_at);

    CREATE TABLE watch_removals (
      watch_id TEXT PRIMARY KEY REFERENCES watches(id),
      removed_at TEXT NOT NULL,
      investigator_id TEXT NOT NULL REFERENCES investigators(id),
      ledger_seq INTEGER NOT NULL
    ) STRICT;

    -- One row per check. signals: canonical JSON of the measurements and reasons behind the state.
    CREATE TABLE watch_checks (
      id INTEGER PRIMARY KEY,
      watch_id TEXT NOT NULL REFERENCES watches(id),
      checked_at TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('live', 'unchanged', 'changed', 'removed', 'unreachable', 'failed')),
      item_id TEXT REFERENCES items(id),
      baseline_item_id TEXT REFERENCES items(id),
      signals TEXT NOT NULL,
      error TEXT,
      ledger_seq INTEGER NOT NULL,
      CHECK ((item_id IS NULL) = (state IN ('unreachable', 'failed')))
    ) STRICT;
    CREATE INDEX watch_checks_by_watch ON watch_checks(watch_id, id);
  `);
  for (const table of ['watches', 'watch_removals', 'watch_checks']) {
    db.exec(`
      CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${table} is append-only: watch history is never changed'); END;
      CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${table} is append-only: watch history is never deleted'); END;
    `);
  }
}
