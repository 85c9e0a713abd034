import { afterEach, describe, expect, it } from 'vitest';
import { queryItemPage } from '../../../electron/core/api/services/item-queries.js';
import { caseScope, FOREIGN_OVERFETCH_MAX } from '../../../electron/core/search/case-scope.js';
import { BM25_WEIGHTS } from '../../../electron/core/search/search-columns.js';
import type { SearchDocument } from '../../../electron/core/search/search-deriver.js';
import {
  bestMatchesSubquery,
  countMatches,
  matchingDocuments,
  rankedMatches,
} from '../../../electron/core/search/search-queries.js';
import { parseSearchQuery } from '../../../electron/core/search/search-query.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { fullRanking, makeDocuments, rewrite, twoCases } from '../../support/search-corpus.js';
import type { TempStore } from '../../support/temp-store.js';

/** Several words, a phrase and a prefix. */
const QUERIES = ['harbour night', '"sea harbour"', 'chil*', 'boat price'];

/**
 * A store of two cases: the first case's documents, then the second's (`foreign` of them, each
 * titled with the queries' words, so they outrank most of the first case's), then a few of the
 * first case's written again (a note added to old items): the second case's documents all lie in
 * the first case's range of rowids. No impact lists: every query weighs every match.
 */
function interleaved(foreign: number) {
  const firstDocs = makeDocuments(300, 7);
  const secondDocs = makeDocuments(foreign, 11).map((doc) => ({
    ...doc,
    title: 'harbour night sea harbour boat price children',
  }));
  const built = twoCases([...firstDocs, ...secondDocs], (i) => i >= firstDocs.length, null);
  for (const index of [2, 40, 151, 299]) {
    rewrite(built.store, built.items[index], firstDocs[index] as SearchDocument);
  }
  return built;
}

/** The case's matches in the index's order, every match's case checked (what the scope must give). */
function everyMatch(store: EvidenceStore, query: string, caseId: string): number[] {
  return store.db
    .prepare(
      `SELECT search_index.rowid FROM search_index JOIN search_documents d ON d.id = search_index.rowid
       WHERE search_index MATCH ? AND d.case_id = ? ORDER BY search_index.rowid`,
    )
    .pluck()
    .all(parseSearchQuery(query).match, caseId) as number[];
}

describe("a case's search among another case's documents in its range of rowids", () => {
  let temp: TempStore | undefined;
  let store: EvidenceStore | undefined;
  afterEach(() => {
    store?.close();
    temp?.remove();
  });

  /** Every way a case is searched, against FTS5's ranking and matching with every match's case checked. */
  function expectOnlyTheCasesOwn(s: EvidenceStore, caseId: string) {
    for (const query of QUERIES) {
      const parsed = parseSearchQuery(query);
      const every = everyMatch(s, query, caseId);
      expect(every.length, query).toBeGreaterThan(20);
      // FTS5's score of each of the case's matches, every match's case checked
      const scores = new Map(
        s.db
          .prepare(
            `SELECT search_index.rowid, -bm25(search_index, ${BM25_WEIGHTS}) FROM search_index
             JOIN search_documents d ON d.id = search_index.rowid WHERE search_index MATCH ? AND d.case_id = ?`,
          )
          .raw()
          .all(parsed.match, caseId) as [number, number][],
      );
      for (const cap of [0, 1, 7, every.length - 1, every.length, every.length + 5]) {
        expect(countMatches(s.db, parsed.match, caseId, cap), `${query}, count to ${cap}`).toBe(
          Math.min(every.length, cap + 1),
        );
        expect(matchingDocuments(s.db, parsed.match, caseId, cap), `${query}, first ${cap}`).toEqual(
          every.slice(0, cap),
        );
      }
      for (const limit of [1, 5, 37, every.length]) {
        const best = bestMatchesSubquery(s.db, parsed, caseId, limit);
        // (a phrase is always ranked by weighing every match: the impact lists cannot rank it)
        if (query.startsWith('"')) expect(best.ranking).toBe('every-match');
        expect(
          s.db.prepare(`SELECT doc FROM (${best.sql})`).pluck().all(best.params),
          `${query}, best ${limit}`,
        ).toEqual(fullRanking(s, query, caseId, limit));
      }
      for (const page of [
        { offset: 0, limit: 10 },
        { offset: 13, limit: 7 },
        { offset: every.length - 3, limit: 10 },
      ]) {
        const ranked = rankedMatches(s.db, parsed.match, caseId, page);
        expect(
          ranked.map((hit) => hit.doc),
          `${query}, page from ${page.offset}`,
        ).toEqual(fullRanking(s, query, caseId, page.offset + page.limit).slice(page.offset));
        for (const hit of ranked) expect(hit.score, `${query}, ${hit.doc}'s score`).toBe(scores.get(hit.doc));
      }
    }
  }

  it("a few of them (a note added to old items): every count, first matches, best matches and page is the case's own, as checking each match gives", () => {
    const built = interleaved(200);
    ({ temp, store } = built);
    const first = built.scopes.first ?? '';
    // the second case's 200 documents are taken past and dropped, not each match checked
    expect(caseScope(store.db, first).foreign).toBe(200);
    expectOnlyTheCasesOwn(store, first);
    // and the second case, whose range holds none of the first's
    expect(caseScope(store.db, built.scopes.second ?? '').foreign).toBe(0);
    expectOnlyTheCasesOwn(store, built.scopes.second ?? '');
  });

  it('more of them than are taken past: each match checked for its case, with the same answers', () => {
    const built = interleaved(FOREIGN_OVERFETCH_MAX + 1);
    ({ temp, store } = built);
    const first = built.scopes.first ?? '';
    expect(caseScope(store.db, first).foreign).toBeNull();
    expectOnlyTheCasesOwn(store, first);
  });

  it("the evidence list's search box keeps the case's best-ranked items only, capped or not", () => {
    const built = interleaved(200);
    ({ temp, store } = built);
    const first = built.scopes.first ?? '';
    const s = store;
    const itemOf = s.db.prepare('SELECT item_id FROM search_documents WHERE id = ?').pluck();
    for (const query of QUERIES) {
      const every = everyMatch(s, query, first);
      for (const matchCap of [5, 60, every.length + 1]) {
        const page = queryItemPage(
          s.db,
          first,
          { caseRef: first, search: query, sort: 'capturedAt', descending: false, offset: 0, limit: 500 },
          { matchCap, reuse: false },
        );
        const expected = fullRanking(s, query, first, matchCap).map((doc) => itemOf.get(doc));
        expect(page.rows.map((row) => row.id).sort(), `${query}, cap ${matchCap}`).toEqual(expected.sort());
        expect(page.matchCap, `${query}, cap ${matchCap}`).toBe(
          every.length > matchCap ? matchCap : undefined,
        );
      }
    }
  });
});
