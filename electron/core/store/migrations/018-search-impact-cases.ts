import { extendCommonWords } from '../../search/impact-lists.js';
import type { WritableDB } from '../database.js';

/**
 * Impact lists kept by case (electron/core/search/impact-lists.ts): each row of `search_impacts`
 * carries its document's case, as a small key (`search_impact_cases`: one per case that has a
 * search document), and `search_impacts_ranked` is indexed by (word, case, frequency, length,
 * document), so a case's list is read by seeking to it, whatever other cases' documents lie
 * between its own in rowid order (before, the lists were kept to the case's rowid range and
 * given up when another case's documents fell inside it: a note added to an old case's item
 * moves its document past newer cases' documents). The rows migration 017 wrote are copied with
 * their document's case (derived data: a row whose document is gone is dropped with it), then
 * the lists of the words common already are built (a store migrated from before 017 has none).
 */
export function migration018SearchImpactCases(db: WritableDB): void {
  db.exec(`
    CREATE TABLE search_impact_cases (
      id INTEGER PRIMARY KEY,
      case_id TEXT NOT NULL UNIQUE
    ) STRICT;
    INSERT INTO search_impact_cases (case_id) SELECT DISTINCT case_id FROM search_documents;
    CREATE TABLE search_impacts_by_case (
      doc INTEGER NOT NULL,
      term INTEGER NOT NULL,
      case_key INTEGER NOT NULL,
      freq INTEGER NOT NULL,
      length INTEGER NOT NULL,
      PRIMARY KEY (doc, term)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO search_impacts_by_case (doc, term, case_key, freq, length)
      SELECT i.doc, i.term, k.id, i.freq, i.length FROM search_impacts i
      JOIN search_documents d ON d.id = i.doc JOIN search_impact_cases k ON k.case_id = d.case_id
      ORDER BY i.doc, i.term;
    DROP TABLE search_impacts;
    ALTER TABLE search_impacts_by_case RENAME TO search_impacts;
    CREATE INDEX search_impacts_ranked ON search_impacts(term, case_key, freq, length, doc);
  `);
  extendCommonWords(db);
}
