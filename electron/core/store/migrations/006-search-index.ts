import type { WritableDB } from '../database.js';

/**
 * The full-text search index (derived data, rebuilt by `custos reindex`; never evidence, so these
 * tables allow UPDATE and DELETE). `search_documents` keeps each item's searchable text as it is
 * (page text, title, address, notes, tags), for snippets on the original; `search_index` is an
 * FTS5 table of the same columns after normalisation (electron/core/search/normalize.ts), its
 * rowid that of the document. It keeps its own copy of the normalised text (not contentless), so
 * that a row is deleted by rowid alone and the sqlite3 shell of older systems (before 3.43, which
 * brought contentless_delete) can still read and check the whole database.
 *
 * Tokens are made of letters, digits, private-use characters and combining marks (`M*`, so that
 * Ethiopic and Indic vowel signs stay inside their word); diacritics are removed by Custos's own
 * normaliser beforehand, so the tokenizer's own removal is off.
 */
export function migration006SearchIndex(db: WritableDB): void {
  db.exec(`
    CREATE TABLE search_documents (
      id INTEGER PRIMARY KEY,
      item_id TEXT NOT NULL UNIQUE REFERENCES items(id),
      case_id TEXT NOT NULL REFERENCES cases(id),
      title TEXT NOT NULL,
      url TEXT NOT NULL,
      body TEXT NOT NULL,
      notes TEXT NOT NULL,
      tags TEXT NOT NULL
    ) STRICT;
    CREATE INDEX search_documents_by_case ON search_documents(case_id);

    CREATE VIRTUAL TABLE search_index USING fts5(
      title, url, body, notes, tags,
      tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
    );
  `);
}
