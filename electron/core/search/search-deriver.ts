import type { Deriver } from '../derive/deriver.js';
import { pictureTextOf } from '../ocr/picture-entities.js';
import type { WritableDB } from '../store/database.js';
import { itemText } from './item-text.js';
import { normalizeForSearch } from './normalize.js';

/** The columns of an item's search document, in the index's column order. */
export interface SearchDocument {
  readonly title: string;
  readonly url: string;
  readonly body: string;
  readonly notes: string;
  readonly tags: string;
}

/** The index's columns, as FTS5 and the ranking weights know them. */
export const SEARCH_COLUMNS = ['title', 'url', 'body', 'notes', 'tags'] as const;

/**
 * The full-text search deriver: an item's page or file text and the text recognised in its
 * pictures, title, address (or file name), notes and tags, normalised into the FTS5 index, the original text kept beside it for snippets.
 */
export const searchDeriver: Deriver<string> = {
  name: 'search',
  readsAnnotations: true,
  // Still 1: the text recognised in pictures (after the page's own text in `body`) reaches each
  // item when its recognition is written, which forgets this deriver's state for that item.
  version: 1,
  async extract(item) {
    const body = await itemText(item);
    const seen = pictureTextOf(item.pictureText());
    return seen ? `${body}\n\n${seen}` : body;
  },
  write(db, item, body) {
    const annotations = db
      .prepare('SELECT kind, text FROM annotations WHERE item_id = ? ORDER BY id')
      .all(item.id) as { kind: 'note' | 'tag'; text: string }[];
    const document: SearchDocument = {
      title: item.title ?? '',
      url: item.url ?? item.record.source,
      body,
      notes: annotations
        .filter((a) => a.kind === 'note')
        .map((a) => a.text)
        .join('\n'),
      tags: [...new Set(annotations.filter((a) => a.kind === 'tag').map((a) => a.text))].join('\n'),
    };
    writeSearchDocument(db, item.id, item.caseId, document);
  },
  clear(db) {
    db.exec('DELETE FROM search_index; DELETE FROM search_documents;');
  },
};

/** Replaces an item's search document and its index entry. */
export function writeSearchDocument(
  db: WritableDB,
  itemId: string,
  caseId: string,
  doc: SearchDocument,
): void {
  const existing = db.prepare('SELECT id FROM search_documents WHERE item_id = ?').get(itemId) as
    | { id: number }
    | undefined;
  if (existing) {
    db.prepare('DELETE FROM search_index WHERE rowid = ?').run(existing.id);
    db.prepare('DELETE FROM search_documents WHERE id = ?').run(existing.id);
  }
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO search_documents (item_id, case_id, title, url, body, notes, tags)
       VALUES (@itemId, @caseId, @title, @url, @body, @notes, @tags)`,
    )
    .run({ itemId, caseId, ...doc });
  db.prepare('INSERT INTO search_index (rowid, title, url, body, notes, tags) VALUES (?, ?, ?, ?, ?, ?)').run(
    lastInsertRowid,
    ...SEARCH_COLUMNS.map((column) => normalizeForSearch(doc[column])),
  );
}
