/**
 * Search documents for tests of the ranking: a generated corpus, bare items whose documents a test
 * writes itself, a store of two cases, and FTS5's own ranking of every match to compare with.
 */
import { extendCommonWords } from '../../electron/core/search/impact-lists.js';
import { BM25_WEIGHTS } from '../../electron/core/search/search-columns.js';
import { type SearchDocument, writeSearchDocument } from '../../electron/core/search/search-deriver.js';
import { parseSearchQuery } from '../../electron/core/search/search-query.js';
import type { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { makeTempStore } from './temp-store.js';

/** Every case: no case asked for. */
export const ALL = null;

/** A small deterministic random generator, so that the corpus is the same on every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export const WORDS = 'boat sea harbour night price children jackets border driver coast'.split(' ');

/**
 * Documents of a generated corpus: `boat` on every page, other words at random, some pages
 * written twice word for word (the same frequency and length: tied scores), and titles and tags
 * that weigh a word more than the text does.
 */
export function makeDocuments(count: number, seed: number, vocabulary = WORDS, skew = 1): SearchDocument[] {
  const next = random(seed);
  const pick = () => vocabulary[Math.floor(next() ** skew * vocabulary.length)] ?? 'sea';
  const docs: SearchDocument[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 7 === 3 && docs.length > 0) {
      docs.push(docs[docs.length - 1] as SearchDocument); // a tie with the page before it
      continue;
    }
    const words = Array.from({ length: 3 + Math.floor(next() * (skew === 1 ? 25 : 12)) }, pick);
    docs.push({
      title: next() < 0.2 ? `${pick()} ${pick()}` : '',
      url: `https://example.org/ads/${i}`,
      body: `boat ${words.join(' ')}`,
      notes: next() < 0.1 ? pick() : '',
      tags: next() < 0.1 ? pick() : '',
    });
  }
  return docs;
}

/**
 * FTS5's own ranking of every match, in one case (each match's document checked for its case) or
 * all, the best `limit` (what the impact lists must reproduce).
 */
export function fullRanking(
  store: EvidenceStore,
  query: string,
  caseId: string | null,
  limit: number,
): number[] {
  return store.db
    .prepare(
      `SELECT search_index.rowid FROM search_index JOIN search_documents d ON d.id = search_index.rowid
       WHERE search_index MATCH @match AND (@caseId IS NULL OR d.case_id = @caseId)
       ORDER BY bm25(search_index, ${BM25_WEIGHTS}), search_index.rowid LIMIT @limit`,
    )
    .pluck()
    .all({ match: parseSearchQuery(query).match, caseId, limit }) as number[];
}

/** An item with no artifacts (its search document is written by the test itself). */
export const addBareItem = (store: EvidenceStore, caseId: string, i: number) =>
  store.addItem({ caseId, kind: 'import', source: `ad-${i}.txt`, metadata: {}, artifacts: [] });

/** Writes (or writes again) one item's search document, in a transaction as the deriver does. */
export function rewrite(
  store: EvidenceStore,
  item: { id: string; caseId: string } | undefined,
  doc: SearchDocument,
) {
  if (!item) throw new Error('no such item');
  store.transaction((db) => writeSearchDocument(db, item.id, item.caseId, doc));
}

/**
 * A store of two cases holding the given documents (`inSecond`: which go to the second case), the
 * impact lists of every word in `listsFrom` documents or more built (none when null).
 */
export function twoCases(
  documents: readonly SearchDocument[],
  inSecond: (index: number) => boolean,
  listsFrom: number | null = 40,
) {
  const temp = makeTempStore({ caseNumber: 'BE-1' });
  const store = temp.open();
  const second = store.createCase({ number: 'BE-2', title: 'A second case' });
  const items: { id: string; caseId: string }[] = [];
  store.transaction(() => {
    for (let i = 0; i < documents.length; i++) {
      const caseId = inSecond(i) ? second.id : (temp.caseId ?? '');
      const item = addBareItem(store, caseId, i);
      items.push({ id: item.id, caseId });
    }
  });
  store.transaction((db) => {
    documents.forEach((doc, i) => {
      const item = items[i];
      if (item) writeSearchDocument(db, item.id, item.caseId, doc);
    });
    if (listsFrom !== null) extendCommonWords(db, listsFrom);
  });
  const scopes: Record<'first' | 'second' | 'all', string | null> = {
    first: temp.caseId ?? '',
    second: second.id,
    all: ALL,
  };
  return { temp, store, items, scopes };
}

/**
 * Numbers the store's search documents as Custos did before migration 019: one sequence over every
 * case, 1, 2, … in the order of `written` (item ids, each item at its document's last write), in
 * `search_documents`, the index's rowids and the impact lists. Cases captured into by turns, or an
 * old item written again after another case's, then interleave in rowid order as they did in a
 * store before 019: what migration 019 renumbers (its test), and what the app's case searches no
 * longer expect (they read the case's rowid range alone). Nothing is written to the store
 * afterwards: Custos writes each case's documents in its block.
 */
export function numberInOneSequence(store: EvidenceStore, written: readonly string[]): void {
  store.transaction((db) => {
    db.exec('CREATE TEMP TABLE one_sequence (old INTEGER PRIMARY KEY, new INTEGER NOT NULL UNIQUE)');
    db.prepare(
      `INSERT INTO temp.one_sequence (old, new)
       SELECT d.id, j.key + 1 FROM json_each(?) j JOIN search_documents d ON d.item_id = j.value`,
    ).run(JSON.stringify(written));
    // (through negative ids: the new ones may be old ones of other documents)
    db.exec(`
      UPDATE search_documents SET id = -(SELECT s.new FROM temp.one_sequence s WHERE s.old = search_documents.id);
      UPDATE search_documents SET id = -id;
      UPDATE search_index SET rowid = -(SELECT s.new FROM temp.one_sequence s WHERE s.old = search_index.rowid);
      UPDATE search_index SET rowid = -rowid;
      UPDATE search_impacts SET doc = -(SELECT s.new FROM temp.one_sequence s WHERE s.old = search_impacts.doc);
      UPDATE search_impacts SET doc = -doc;
      DROP TABLE temp.one_sequence;
    `);
  });
}

/** Item ids in the order their documents were last written: `items` in turn, then `rewritten` in turn. */
export function writeOrder(
  items: readonly { id: string }[],
  rewritten: readonly ({ id: string } | undefined)[],
): string[] {
  const each = rewritten.flatMap((item) => (item ? [item.id] : []));
  const again = each.filter((id, i) => each.lastIndexOf(id) === i);
  return [...items.map((item) => item.id).filter((id) => !again.includes(id)), ...again];
}
