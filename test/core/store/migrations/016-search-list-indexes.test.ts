import { describe, expect, test } from 'vitest';
import { useMigratedDatabase } from '../../../support/migrated-database.js';

describe('migration 016 (search list indexes)', () => {
  const database = useMigratedDatabase();

  test("a searched list puts its matches in capture order from indexes, reading neither the documents' text nor the items' records", () => {
    // The shape of the statement `item-queries.ts` runs: matching documents → their items → the list's order.
    const steps = (
      database.db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT i.id FROM items i INDEXED BY items_by_id_captured
           WHERE i.id IN (SELECT d.item_id FROM (SELECT search_index.rowid AS doc FROM search_index
             WHERE search_index MATCH ? LIMIT 2000) AS m
             CROSS JOIN search_documents d INDEXED BY search_documents_items ON d.id = m.doc)
           ORDER BY i.captured_at, i.rowid`,
        )
        .all('"boat"') as { detail: string }[]
    ).map((r) => r.detail);
    expect(steps).toContain('SEARCH d USING COVERING INDEX search_documents_items (id=?)');
    expect(steps).toContain('SEARCH i USING COVERING INDEX items_by_id_captured (id=?)');
  });
});
