import { describe, expect, test } from 'vitest';
import { BLOCK_SIZE } from '../../../../electron/core/search/case-blocks.js';
import { COMMON_WORD_DOCS } from '../../../../electron/core/search/impact-lists.js';
import { MIGRATIONS, migrate } from '../../../../electron/core/store/migrations/index.js';
import { SEED_CASE_AND_ITEM, useBlankDatabase } from '../../../support/migrated-database.js';

describe('migration 017 (search impact lists)', () => {
  const blank = useBlankDatabase();

  test("a store indexed before it builds the lists of the words common already, each document's frequency and length as FTS5 counts them", () => {
    // a store at version 16 with an index: `boat` on every page (twice in some titles), `sea` rare
    blank.db.transaction(() => {
      for (const migration of MIGRATIONS.filter((m) => m.version <= 16)) migration.up(blank.db);
    })();
    blank.db.pragma('user_version = 16');
    blank.db.exec(SEED_CASE_AND_ITEM);
    const insert = blank.db.prepare(
      'INSERT INTO search_index (rowid, title, url, body, notes, tags) VALUES (?, ?, ?, ?, ?, ?)',
    );
    // each index row with its document and item, as the search deriver writes them
    const addItem = blank.db.prepare(
      "INSERT INTO items VALUES (?, 'c1', 'import', 'a.txt', NULL, NULL, 't', '{}', 'd', 1)",
    );
    const addDocument = blank.db.prepare(
      "INSERT INTO search_documents VALUES (?, ?, 'c1', '', '', '', '', '')",
    );
    blank.db.transaction(() => {
      for (let doc = 1; doc <= COMMON_WORD_DOCS; doc++) {
        addItem.run(`item-${doc}`);
        addDocument.run(doc, `item-${doc}`);
        insert.run(
          doc,
          doc % 10 === 0 ? 'boat boat' : '',
          '',
          `a boat ${'and more '.repeat(doc % 5)}`,
          '',
          doc < 4 ? 'sea' : '',
        );
      }
    })();
    // (the lists are built by migration 018, which keeps them by case: the upgrade runs both)
    migrate(blank.db);
    expect(blank.db.prepare('SELECT term FROM search_impact_terms ORDER BY term').pluck().all()).toEqual([
      'a',
      'boat',
    ]);
    const rows = blank.db
      .prepare(
        `SELECT doc, freq, length FROM search_impacts i JOIN search_impact_lists l ON l.id = i.list JOIN search_impact_terms t ON t.id = l.term
         WHERE t.term = 'boat' ORDER BY doc`,
      )
      .all() as { doc: number; freq: number; length: number }[];
    expect(rows).toHaveLength(COMMON_WORD_DOCS);
    // doc 10: two title occurrences (weight 8) and one in the text; 2 + 2 tokens; doc 3 has its tag
    // `sea` (numbered since migration 019 in the case's block, the first: 2^32 + n)
    expect(rows[9]).toEqual({ doc: BLOCK_SIZE + 10, freq: 17, length: 4 });
    expect(rows[2]).toEqual({ doc: BLOCK_SIZE + 3, freq: 1, length: 2 + 6 + 1 });
  });
});
