import { afterEach, describe, expect, it } from 'vitest';
import { queryItemPage } from '../../../electron/core/api/services/item-queries.js';
import { BLOCK_SIZE, MAX_BLOCK } from '../../../electron/core/search/case-blocks.js';
import { caseRange } from '../../../electron/core/search/case-documents.js';
import { type SearchDocument, searchDeriver } from '../../../electron/core/search/search-deriver.js';
import { countMatches } from '../../../electron/core/search/search-queries.js';
import { parseSearchQuery } from '../../../electron/core/search/search-query.js';
import { makeSnippet } from '../../../electron/core/search/snippet.js';
import { everyMatch, expectOnlyTheCasesOwn, QUERIES } from '../../support/case-search-checks.js';
import { addBareItem, fullRanking, makeDocuments, rewrite, twoCases } from '../../support/search-corpus.js';

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
    for (const caseId of [first, second]) expectOnlyTheCasesOwn(store, caseId);
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
    expectOnlyTheCasesOwn(store, first);
    expectOnlyTheCasesOwn(store, scopes.second ?? '');
  });

  it("gives FTS5 the case's range as integers, which it reads its doclists within (a REAL bound, as better-sqlite3 binds a number, it ignores, reading every match)", () => {
    built = capturedByTurns();
    const { store, scopes } = built;
    for (const caseId of [scopes.first ?? '', scopes.second ?? '']) {
      const { params } = caseRange(store.db, caseId);
      expect(
        store.db.prepare('SELECT @first, @last, typeof(@first), typeof(@last)').raw().get(params),
      ).toEqual([expect.any(Number), expect.any(Number), 'integer', 'integer']);
    }
  });

  it('a case without documents finds nothing (an empty range), beside cases that have them', () => {
    built = capturedByTurns();
    const { store } = built;
    const empty = store.createCase({ number: 'BE-0', title: 'No documents' }).id;
    expect(countMatches(store.db, parseSearchQuery('boat').match, empty, 10)).toBe(0);
    const page = queryItemPage(
      store.db,
      empty,
      { caseRef: empty, search: 'boat', sort: 'capturedAt', descending: false, offset: 0, limit: 50 },
      { reuse: false },
    );
    expect([page.total, page.rows]).toEqual([0, []]);
  });

  it("the evidence list's search box keeps the case's best-ranked items only, capped or not", () => {
    built = capturedByTurns();
    const { store, scopes } = built;
    const itemOf = store.db.prepare('SELECT item_id FROM search_documents WHERE id = ?').pluck();
    for (const caseId of [scopes.first ?? '', scopes.second ?? '']) {
      for (const query of QUERIES) {
        const every = everyMatch(store, query, caseId);
        for (const matchCap of [5, 60, every.length + 1]) {
          const page = queryItemPage(
            store.db,
            caseId,
            { caseRef: caseId, search: query, sort: 'capturedAt', descending: false, offset: 0, limit: 500 },
            { matchCap, reuse: false },
          );
          const expected = fullRanking(store, query, caseId, matchCap).map((doc) => itemOf.get(doc));
          expect(page.rows.map((row) => row.id).sort(), `${query}, cap ${matchCap}`).toEqual(expected.sort());
          expect(page.matchCap, `${query}, cap ${matchCap}`).toBe(
            every.length > matchCap ? matchCap : undefined,
          );
        }
      }
    }
  });

  it("the evidence list's search box shows the case's best-ranked `cap` items in the list's order, from its offset, each row with its own snippet, and their count", () => {
    built = capturedByTurns();
    const { store, scopes } = built;
    const db = store.db;
    const itemOf = db.prepare('SELECT item_id FROM search_documents WHERE id = ?').pluck();
    const documentOf = db.prepare(
      'SELECT title, url, body, notes, tags FROM search_documents WHERE item_id = ?',
    );
    const orders = {
      capturedAt: 'captured_at',
      title: 'coalesce(title, source) COLLATE NOCASE',
    } as const;
    const caseId = scopes.second ?? '';
    for (const query of QUERIES) {
      const every = everyMatch(store, query, caseId);
      for (const matchCap of [40, every.length + 1]) {
        const best = fullRanking(store, query, caseId, matchCap).map((doc) => itemOf.get(doc));
        for (const [sort, column] of Object.entries(orders) as [keyof typeof orders, string][]) {
          for (const descending of [false, true]) {
            const direction = descending ? 'DESC' : 'ASC';
            const inOrder = db
              .prepare(
                `SELECT id FROM items WHERE id IN (SELECT value FROM json_each(?)) ORDER BY ${column} ${direction}, rowid ${direction}`,
              )
              .pluck()
              .all(JSON.stringify(best)) as string[];
            for (const offset of [0, 17]) {
              const at = `${query}, cap ${matchCap}, ${sort} ${direction} from ${offset}`;
              const page = queryItemPage(
                db,
                caseId,
                { caseRef: caseId, search: query, sort, descending, offset, limit: 10 },
                { matchCap, reuse: false },
              );
              expect(page.total, at).toBe(Math.min(every.length, matchCap));
              expect(page.matchCap, at).toBe(every.length > matchCap ? matchCap : undefined);
              const shown = inOrder.slice(offset, offset + 10);
              expect(
                page.rows.map((row) => row.id),
                at,
              ).toEqual(shown);
              const terms = parseSearchQuery(query).terms;
              expect(
                page.rows.map((row) => row.snippet),
                at,
              ).toEqual(
                shown.map((id) =>
                  makeSnippet(documentOf.get(id) as Parameters<typeof makeSnippet>[0], terms),
                ),
              );
            }
          }
        }
      }
    }
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
