import { extendCommonWords } from '../../search/impact-lists.js';
import type { WritableDB } from '../database.js';

/**
 * Impact lists kept by case (electron/core/search/impact-lists.ts): a list is one word in one case
 * (`search_impact_lists`), each row of `search_impacts` names its list instead of its word, and
 * `search_impacts_ranked` is indexed by (list, frequency, length, document), so a case's list is
 * read by seeking to it, whatever other cases' documents lie between its own in rowid order
 * (before, the lists were kept to the case's rowid range and given up when another case's
 * documents fell inside it: a note added to an old case's item moves its document past newer
 * cases' documents). A row stays as wide as before: the write of a document costs what it did.
 * The rows migration 017 wrote are copied into their document's case's list (derived data: a
 * row whose document is gone is dropped with it), then the lists of the words common already
 * are built (a store migrated from before 017 has none).
 */
export function migration018SearchImpactCases(db: WritableDB): void {
  db.exec(`
    CREATE TABLE search_impact_lists (
      id INTEGER PRIMARY KEY,
      term INTEGER NOT NULL REFERENCES search_impact_terms(id),
      case_id TEXT NOT NULL,
      UNIQUE (term, case_id)
    ) STRICT;
    INSERT INTO search_impact_lists (term, case_id)
      SELECT DISTINCT i.term, d.case_id FROM search_impacts i JOIN search_documents d ON d.id = i.doc
      ORDER BY i.term, d.case_id;
    CREATE TABLE search_impacts_by_list (
      doc INTEGER NOT NULL,
      list INTEGER NOT NULL,
      freq INTEGER NOT NULL,
      length INTEGER NOT NULL,
      PRIMARY KEY (doc, list)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO search_impacts_by_list (doc, list, freq, length)
      SELECT i.doc, l.id, i.freq, i.length FROM search_impacts i
      JOIN search_documents d ON d.id = i.doc JOIN search_impact_lists l ON l.term = i.term AND l.case_id = d.case_id
      ORDER BY i.doc, l.id;
    DROP TABLE search_impacts;
    ALTER TABLE search_impacts_by_list RENAME TO search_impacts;
    CREATE INDEX search_impacts_ranked ON search_impacts(list, freq, length, doc);
  `);
  // Live code, which writes the lists in the newest schema's shape: right only while 018 is the
  // last migration (a test in its migration tests fails once another follows). A later migration
  // that reshapes the lists must move this build into itself, as this one moved it out of 017.
  extendCommonWords(db);
}
