/**
 * The checks of a case's search against FTS5's own answers (test/core/search/case-blocks.test.ts,
 * the migration 019 test): every way the app searches a case, each compared with FTS5's matching
 * and ranking with every match's case checked.
 */
import { expect } from 'vitest';
import { BM25_WEIGHTS } from '../../electron/core/search/search-columns.js';
import {
  bestMatchesSubquery,
  countMatches,
  matchingDocuments,
  rankedMatches,
} from '../../electron/core/search/search-queries.js';
import { parseSearchQuery } from '../../electron/core/search/search-query.js';
import type { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { fullRanking } from './search-corpus.js';

/** Several words, a phrase and a prefix. */
export const QUERIES = ['harbour night', '"sea harbour"', 'chil*', 'boat price'];

/** The case's matches in the index's order, every match's case checked (what the scope must give). */
export function everyMatch(store: EvidenceStore, query: string, caseId: string): number[] {
  return store.db
    .prepare(
      `SELECT search_index.rowid FROM search_index JOIN search_documents d ON d.id = search_index.rowid
       WHERE search_index MATCH ? AND d.case_id = ? ORDER BY search_index.rowid`,
    )
    .pluck()
    .all(parseSearchQuery(query).match, caseId) as number[];
}

/** Every way a case is searched, against FTS5's ranking and matching with every match's case checked. */
export function expectOnlyTheCasesOwn(s: EvidenceStore, caseId: string) {
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
