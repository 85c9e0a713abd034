import type { Deriver } from '../derive/deriver.js';
import { pictureTextOf } from '../ocr/picture-entities.js';
import { cachedStatement, type WritableDB } from '../store/database.js';
import { listTags } from '../store/queries.js';
import { nextDocumentId } from './case-blocks.js';
import { indexedIdentifiers } from './identifiers.js';
import { clearImpacts, removeImpacts, writeImpacts } from './impact-lists.js';
import { itemText } from './item-text.js';
import { normalizeForSearch } from './normalize.js';
import { SEARCH_COLUMNS } from './search-columns.js';

/** The columns of an item's search document, in the index's column order. */
export interface SearchDocument {
  readonly title: string;
  readonly url: string;
  readonly body: string;
  readonly notes: string;
  readonly tags: string;
}

/**
 * The full-text search deriver: an item's page or file text and the text recognised in its
 * pictures, title, address (or file name), notes and tags, normalised into the FTS5 index, the
 * original text kept beside it for snippets. The index's body also holds the item's phone numbers
 * and IBANs as single tokens (identifiers.ts), read from the entities deriver's rows: that deriver
 * runs first (derivers.ts).
 */
export const searchDeriver: Deriver<string> = {
  name: 'search',
  // 2: phone numbers and IBANs indexed in the forms people type them; tags can be removed. The
  // text recognised in pictures (after the page's own text in `body`) reaches each item when its
  // recognition is written, which forgets this deriver's state for that item: no version bump.
  // 3: the characters drawn as nothing (soft hyphen, tag characters, joiners…) removed inside words
  // (normalize.ts), so an index written before holds such words split: every item is indexed again.
  version: 3,
  readsAnnotations: true,
  async extract(item) {
    const body = await itemText(item);
    const seen = pictureTextOf(item.pictureText());
    return seen ? `${body}\n\n${seen}` : body;
  },
  write(db, item, body) {
    const notes = db
      .prepare("SELECT text FROM annotations WHERE item_id = ? AND kind = 'note' ORDER BY id")
      .pluck()
      .all(item.id) as string[];
    const document: SearchDocument = {
      title: item.title ?? '',
      url: item.url ?? item.record.source,
      body,
      notes: notes.join('\n'),
      // The tags on the item now: a removed tag no longer finds it (its custody entry remains).
      tags: listTags(db, item.id).join('\n'),
    };
    writeSearchDocument(db, item.id, item.caseId, document, indexedIdentifiers(db, item.id));
  },
  clear(db) {
    // Each case keeps its block (case-blocks.ts), its documents numbered from 1 again in it.
    db.exec('DELETE FROM search_index; DELETE FROM search_documents;');
    clearImpacts(db);
  },
};

/**
 * Replaces an item's search document and its index entry. The document is numbered next in its
 * case's block (case-blocks.ts): a rewritten one (a note or tag added) goes to the end of its
 * case's documents, never among another case's.
 */
export function writeSearchDocument(
  db: WritableDB,
  itemId: string,
  caseId: string,
  doc: SearchDocument,
  identifiers = '',
): void {
  const existing = cachedStatement(db, 'SELECT id FROM search_documents WHERE item_id = ?').get(itemId) as
    | { id: number }
    | undefined;
  const id = nextDocumentId(db, caseId);
  if (existing) {
    cachedStatement(db, 'DELETE FROM search_index WHERE rowid = ?').run(existing.id);
    cachedStatement(db, 'DELETE FROM search_documents WHERE id = ?').run(existing.id);
    removeImpacts(db, existing.id);
  }
  cachedStatement(
    db,
    `INSERT INTO search_documents (id, item_id, case_id, title, url, body, notes, tags)
       VALUES (@id, @itemId, @caseId, @title, @url, @body, @notes, @tags)`,
  ).run({ id, itemId, caseId, ...doc });
  const indexed = SEARCH_COLUMNS.map((column) =>
    column === 'body' && identifiers
      ? `${normalizeForSearch(doc.body)}\n${identifiers}`
      : normalizeForSearch(doc[column]),
  );
  cachedStatement(
    db,
    'INSERT INTO search_index (rowid, title, url, body, notes, tags) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(id, ...indexed);
  // The common words' impact lists, in the same transaction (impact-lists.ts).
  writeImpacts(db, id, caseId, indexed);
}
