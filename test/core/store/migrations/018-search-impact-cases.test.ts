import { describe, expect, test } from 'vitest';
import { extendCommonWords } from '../../../../electron/core/search/impact-lists.js';
import { bestByImpact } from '../../../../electron/core/search/impact-ranking.js';
import { BM25_WEIGHTS } from '../../../../electron/core/search/search-columns.js';
import { writeSearchDocument } from '../../../../electron/core/search/search-deriver.js';
import { parseSearchQuery } from '../../../../electron/core/search/search-query.js';
import { migrate, SCHEMA_VERSION } from '../../../../electron/core/store/migrations/index.js';
import { SEED_CASE_AND_ITEM, useMigratedDatabase } from '../../../support/migrated-database.js';

describe('migration 018 (impact lists by case)', () => {
  const database = useMigratedDatabase(
    `${SEED_CASE_AND_ITEM}
     INSERT INTO cases VALUES ('c2', 'BE-2', 'Coast', NULL, 't', 'i1');`,
  );

  /** Each list row with its word and case, as the migration must leave them. */
  const listRows = () =>
    database.db
      .prepare(
        `SELECT i.doc, t.term, l.case_id, i.freq, i.length FROM search_impacts i
         JOIN search_impact_lists l ON l.id = i.list JOIN search_impact_terms t ON t.id = l.term
         ORDER BY i.doc, t.term`,
      )
      .all();

  /**
   * Puts the database back to schema 17 as Custos before migration 018 left it: the same rows
   * naming their word instead of their list, indexed by (word, frequency, length, document), and
   * no blocks of cases (migration 019 gives them again, the same: the documents keep their order).
   */
  const backToSchema17 = () =>
    database.db.exec(`
      CREATE TABLE search_impacts_17 (
        doc INTEGER NOT NULL,
        term INTEGER NOT NULL,
        freq INTEGER NOT NULL,
        length INTEGER NOT NULL,
        PRIMARY KEY (doc, term)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO search_impacts_17
        SELECT i.doc, l.term, i.freq, i.length FROM search_impacts i JOIN search_impact_lists l ON l.id = i.list;
      DROP TABLE search_impacts;
      DROP TABLE search_impact_lists;
      ALTER TABLE search_impacts_17 RENAME TO search_impacts;
      CREATE INDEX search_impacts_ranked ON search_impacts(term, freq, length, doc);
      DROP TABLE search_case_blocks;
      PRAGMA user_version = 17;
    `);

  test("a store's lists from before are kept, each row moved to its word's list in its document's case, so a case whose documents interleave with another's is ranked from them as FTS5 ranks it", () => {
    const db = database.db;
    const addItem = db.prepare(
      "INSERT INTO items VALUES (?, ?, 'import', 'a.txt', NULL, NULL, 't', '{}', 'd', 1)",
    );
    db.transaction(() => {
      // documents of the two cases in turn (items imported into both at once), `boat` on each
      for (let i = 0; i < 60; i++) {
        const caseId = i % 3 === 0 ? 'c2' : 'c1';
        addItem.run(`item-${i}`, caseId);
        writeSearchDocument(db, `item-${i}`, caseId, {
          title: i % 5 === 0 ? 'boat' : '',
          url: '',
          body: `boat ${'sea '.repeat(i % 7)}harbour`,
          notes: '',
          tags: i % 4 === 0 ? 'coast' : '',
        });
      }
      extendCommonWords(db, 10);
    })();
    const before = listRows();
    expect(before.length).toBeGreaterThan(60);
    backToSchema17();

    migrate(db);

    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(listRows()).toEqual(before);
    const byFts5 = db.prepare(
      `SELECT search_index.rowid FROM search_index JOIN search_documents d ON d.id = search_index.rowid
       WHERE search_index MATCH 'boat' AND d.case_id = ?
       ORDER BY bm25(search_index, ${BM25_WEIGHTS}), search_index.rowid LIMIT ?`,
    );
    for (const caseId of ['c1', 'c2']) {
      for (const limit of [1, 7, 30]) {
        const fromLists = bestByImpact(db, parseSearchQuery('boat').terms, caseId, limit);
        expect(fromLists, `${caseId}, ${limit}`).toEqual(byFts5.pluck().all(caseId, limit));
      }
    }
  });
});
