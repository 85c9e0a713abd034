import type { WritableDB } from '../database.js';

/**
 * Tags can be removed: a removal is an `untag` annotation, appended like every annotation (and
 * recorded by its `item.untag` custody entry), so the history keeps the tag and when it went. The
 * annotations table is rebuilt to widen its kind check (SQLite cannot alter a CHECK): every row is
 * copied as it is, ids included, and the append-only triggers are put back.
 */
export function migration011TagRemoval(db: WritableDB): void {
  db.exec(`
    DROP TRIGGER annotations_no_update;
    DROP TRIGGER annotations_no_delete;
    CREATE TABLE annotations_with_untag (
      id INTEGER PRIMARY KEY,
      item_id TEXT NOT NULL REFERENCES items(id),
      kind TEXT NOT NULL CHECK (kind IN ('note', 'tag', 'untag')),
      text TEXT NOT NULL,
      created_at TEXT NOT NULL,
      investigator_id TEXT NOT NULL REFERENCES investigators(id),
      ledger_seq INTEGER NOT NULL
    ) STRICT;
    INSERT INTO annotations_with_untag (id, item_id, kind, text, created_at, investigator_id, ledger_seq)
      SELECT id, item_id, kind, text, created_at, investigator_id, ledger_seq FROM annotations;
    DROP TABLE annotations;
    ALTER TABLE annotations_with_untag RENAME TO annotations;
    CREATE INDEX annotations_by_item ON annotations(item_id);
    CREATE TRIGGER annotations_no_update BEFORE UPDATE ON annotations
    BEGIN SELECT RAISE(ABORT, 'annotations is append-only: evidence records are never changed'); END;
    CREATE TRIGGER annotations_no_delete BEFORE DELETE ON annotations
    BEGIN SELECT RAISE(ABORT, 'annotations is append-only: evidence records are never deleted'); END;
  `);
}
