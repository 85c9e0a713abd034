import type { WritableDB } from '../database.js';

/**
 * Impact lists of the index's common words (electron/core/search/impact-lists.ts): derived data,
 * rebuilt by `custos reindex` and written with each search document in its transaction.
 * `search_impact_terms` names the words that have a list; `search_impacts` holds, for each of them
 * and each document holding it, the word's weighted frequency and the document's length in tokens,
 * stored by document (a new document's rows go at the end) and indexed in rank order within each
 * frequency (`search_impacts_ranked`). `search_vocabulary` and `search_vocabulary_instances` read
 * FTS5's own vocabulary (documents a word is in; each occurrence), storing nothing.
 * The lists of the store's words common already are built by migration 018, which keeps them by
 * case (this migration built them itself until 018 gave `search_impacts` its case column: the
 * lists are written by today's code, in today's shape).
 */
export function migration017SearchImpacts(db: WritableDB): void {
  db.exec(`
    CREATE TABLE search_impact_terms (
      id INTEGER PRIMARY KEY,
      term TEXT NOT NULL UNIQUE
    ) STRICT;
    CREATE TABLE search_impacts (
      doc INTEGER NOT NULL,
      term INTEGER NOT NULL,
      freq INTEGER NOT NULL,
      length INTEGER NOT NULL,
      PRIMARY KEY (doc, term)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX search_impacts_ranked ON search_impacts(term, freq, length, doc);
    CREATE VIRTUAL TABLE search_vocabulary USING fts5vocab(search_index, row);
    CREATE VIRTUAL TABLE search_vocabulary_instances USING fts5vocab(search_index, instance);
  `);
}
