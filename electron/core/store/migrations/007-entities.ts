import type { WritableDB } from '../database.js';

/**
 * Entities extracted from items (phone numbers, accounts, IBANs, wallets, prices): derived data,
 * rebuilt by `custos reindex`, so these tables allow UPDATE and DELETE. One row per distinct
 * entity (type and normalised value); one per place it occurs in an item. The case is kept on the
 * occurrence (an item never changes case) so that "entities of a case" and "cases of an entity"
 * are each one index range.
 */
export function migration007Entities(db: WritableDB): void {
  db.exec(`
    CREATE TABLE entities (
      id INTEGER PRIMARY KEY,
      type TEXT NOT NULL,
      value TEXT NOT NULL,
      UNIQUE (type, value)
    ) STRICT;
    CREATE INDEX entities_by_value ON entities(value);

    CREATE TABLE entity_occurrences (
      entity_id INTEGER NOT NULL REFERENCES entities(id),
      item_id TEXT NOT NULL REFERENCES items(id),
      case_id TEXT NOT NULL REFERENCES cases(id),
      source TEXT NOT NULL,
      "offset" INTEGER NOT NULL,
      original TEXT NOT NULL,
      PRIMARY KEY (item_id, entity_id, source, "offset")
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX entity_occurrences_by_entity ON entity_occurrences(entity_id, case_id, item_id);
    CREATE INDEX entity_occurrences_by_case ON entity_occurrences(case_id, entity_id);
  `);
}
