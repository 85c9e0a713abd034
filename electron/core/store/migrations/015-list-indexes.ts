import type { WritableDB } from '../database.js';

/**
 * Indexes for the evidence list of a large case. `items_by_digest` finds an item by a digest
 * prefix pasted from a report without reading every item of the case (a 100,000-item case read
 * its rows, records included, on every such search, and on every phone number typed as digits).
 * The other three hold a case's items in the list's other orders (the expressions are exactly
 * those of `item-queries.ts`), so its first page sorted by title, address or kind is read
 * from the index instead of sorting the whole case (150 ms for 100,000 items).
 * Indexes only: no row is written or changed.
 */
export function migration015ListIndexes(db: WritableDB): void {
  db.exec(`
    CREATE INDEX items_by_digest ON items(digest);
    CREATE INDEX items_by_case_title ON items(case_id, coalesce(title, source) COLLATE NOCASE);
    CREATE INDEX items_by_case_source ON items(case_id, coalesce(url, source) COLLATE NOCASE);
    CREATE INDEX items_by_case_kind ON items(case_id, kind);
  `);
}
