import type { WritableDB } from '../database.js';

/**
 * Covering indexes for a searched evidence list. A search keeps up to 2,000 matching documents
 * and puts their items in the list's order: `search_documents_items` gives each document's item
 * without reading the document's row (its page text), and `items_by_id_captured` each item's
 * capture time (the list's default order) without reading the item's row (its record). Reading
 * those rows was most of the cost of listing the matches (bench/search).
 * Indexes only: no row is written or changed.
 */
export function migration016SearchListIndexes(db: WritableDB): void {
  db.exec(`
    CREATE INDEX search_documents_items ON search_documents(id, item_id);
    CREATE INDEX items_by_id_captured ON items(id, captured_at);
  `);
}
