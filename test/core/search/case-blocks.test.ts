import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK_SIZE, MAX_BLOCK } from '../../../electron/core/search/case-blocks.js';
import { caseScope } from '../../../electron/core/search/case-scope.js';
import { type SearchDocument, searchDeriver } from '../../../electron/core/search/search-deriver.js';
import { expectOnlyTheCasesOwn } from '../../support/case-search-checks.js';
import { addBareItem, makeDocuments, rewrite, twoCases } from '../../support/search-corpus.js';

/** Two cases captured into by turns: 3 pages into one, then 3 into the other, 600 pages in all. */
function capturedByTurns() {
  const documents = makeDocuments(600, 5);
  return { documents, ...twoCases(documents, (i) => Math.floor(i / 3) % 2 === 1, null) };
}

describe("each case's search documents in its own block of rowids", () => {
  let built: ReturnType<typeof capturedByTurns> | undefined;
  afterEach(() => {
    built?.store.close();
    built?.temp.remove();
  });

  const idsOf = (caseId: string) =>
    built?.store.db
      .prepare('SELECT id FROM search_documents WHERE case_id = ? ORDER BY id')
      .pluck()
      .all(caseId);
  const blockOf = (caseId: string) =>
    built?.store.db.prepare('SELECT block FROM search_case_blocks WHERE case_id = ?').pluck().get(caseId);

  it("cases captured into by turns: each case's documents are numbered in its block, so neither case's range holds the other's and every search is the case's own", () => {
    built = capturedByTurns();
    const { store, scopes } = built;
    const first = scopes.first ?? '';
    const second = scopes.second ?? '';
    expect([blockOf(first), blockOf(second)]).toEqual([1, 2]);
    expect(idsOf(first)).toEqual(Array.from({ length: 300 }, (_, n) => BLOCK_SIZE + n + 1));
    expect(idsOf(second)).toEqual(Array.from({ length: 300 }, (_, n) => 2 * BLOCK_SIZE + n + 1));
    for (const caseId of [first, second]) {
      expect(caseScope(store.db, caseId).foreign, caseId).toBe(0);
      expectOnlyTheCasesOwn(store, caseId);
    }
  });

  it("a document written again (a note or tag added) stays in its case's block, after the case's others", () => {
    built = capturedByTurns();
    const { store, scopes, items, documents } = built;
    const first = scopes.first ?? '';
    rewrite(store, items[0], { ...(documents[0] as SearchDocument), notes: 'seen again at the harbour' });
    const ids = idsOf(first) as number[];
    expect(ids).toHaveLength(300);
    expect(ids.at(-1)).toBe(BLOCK_SIZE + 301);
    expect(
      store.db.prepare('SELECT id FROM search_documents WHERE item_id = ?').pluck().get(items[0]?.id),
    ).toBe(BLOCK_SIZE + 301);
    expect(caseScope(store.db, first).foreign).toBe(0);
    expect(caseScope(store.db, scopes.second ?? '').foreign).toBe(0);
    expectOnlyTheCasesOwn(store, first);
  });

  it("a case's first document makes the next block; a reindex keeps the blocks and numbers each case's documents from 1 again", () => {
    built = capturedByTurns();
    const { store, scopes, items, documents } = built;
    const third = store.createCase({ number: 'BE-3', title: 'A third case' }).id;
    const item = addBareItem(store, third, 999);
    rewrite(store, { id: item.id, caseId: third }, documents[1] as SearchDocument);
    expect(blockOf(third)).toBe(3);
    expect(idsOf(third)).toEqual([3 * BLOCK_SIZE + 1]);
    // the deriver's clear (custos reindex), then each document written again, the second case's first
    store.transaction((db) => searchDeriver.clear(db));
    for (const [i, written] of items.entries()) {
      if (written.caseId === scopes.second) rewrite(store, written, documents[i] as SearchDocument);
    }
    rewrite(store, items[0], documents[0] as SearchDocument);
    expect([blockOf(scopes.first ?? ''), blockOf(scopes.second ?? ''), blockOf(third)]).toEqual([1, 2, 3]);
    expect(idsOf(scopes.first ?? '')).toEqual([BLOCK_SIZE + 1]);
    expect(idsOf(scopes.second ?? '')).toEqual(Array.from({ length: 300 }, (_, n) => 2 * BLOCK_SIZE + n + 1));
  });

  it('past its bounds (a block full, no block left) a write is refused with what to do, and nothing is written', () => {
    built = capturedByTurns();
    const { store, scopes, items, documents } = built;
    const db = store.db;
    // the first case's block used up to its last number (its last document moved there)
    db.prepare('UPDATE search_documents SET id = ? WHERE id = ?').run(2 * BLOCK_SIZE - 1, BLOCK_SIZE + 300);
    db.prepare('UPDATE search_index SET rowid = CAST(? AS INTEGER) WHERE rowid = ?').run(
      2 * BLOCK_SIZE - 1,
      BLOCK_SIZE + 300,
    );
    const before = db.prepare('SELECT id, item_id FROM search_documents ORDER BY id').raw().all();
    expect(() => rewrite(store, items[0], documents[0] as SearchDocument)).toThrow(/custos reindex/);
    // a new case when every block up to the last is taken
    db.prepare('UPDATE search_case_blocks SET block = ? WHERE case_id = ?').run(MAX_BLOCK, scopes.second);
    const last = store.createCase({ number: 'BE-9', title: 'One case too many' }).id;
    const item = addBareItem(store, last, 999);
    expect(() => rewrite(store, { id: item.id, caseId: last }, documents[1] as SearchDocument)).toThrow(
      /no block of numbers left/,
    );
    expect(db.prepare('SELECT id, item_id FROM search_documents ORDER BY id').raw().all()).toEqual(before);
    expect(db.prepare('SELECT count(*) FROM search_case_blocks').pluck().get()).toBe(2);
    expect(MAX_BLOCK * BLOCK_SIZE + BLOCK_SIZE - 1).toBe(Number.MAX_SAFE_INTEGER);
  });
});
