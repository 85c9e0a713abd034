import { afterEach, describe, expect, test } from 'vitest';
import { queryItemPage } from '../../../../electron/core/api/services/item-queries.js';
import { BLOCK_SIZE } from '../../../../electron/core/search/case-blocks.js';
import { caseScope } from '../../../../electron/core/search/case-scope.js';
import { bestByImpact } from '../../../../electron/core/search/impact-ranking.js';
import {
  bestMatchesSubquery,
  countMatches,
  matchingDocuments,
  rankedMatches,
  searchItems,
} from '../../../../electron/core/search/search-queries.js';
import { parseSearchQuery } from '../../../../electron/core/search/search-query.js';
import type { EvidenceStore } from '../../../../electron/core/store/evidence-store.js';
import { SCHEMA_VERSION } from '../../../../electron/core/store/migrations/index.js';
import { expectOnlyTheCasesOwn, QUERIES } from '../../../support/case-search-checks.js';
import { runCustosJson } from '../../../support/run-custos.js';
import {
  ALL,
  fullRanking,
  makeDocuments,
  numberInOneSequence,
  rewrite,
  twoCases,
  writeOrder,
} from '../../../support/search-corpus.js';

/** Every query of the checks and a word on every page (ranked from its impact lists). */
const SEARCHES = [...QUERIES, 'boat', 'sea'];

/**
 * What every way of searching answers, by item (ids of documents change with the migration):
 * counts, the first matches in the index's order, the best matches, ranked pages with their
 * scores and the evidence list's search box in each case; all cases' ranked hits with their scores.
 */
function answers(store: EvidenceStore, caseIds: readonly string[]) {
  const db = store.db;
  const itemOf = db.prepare('SELECT item_id FROM search_documents WHERE id = ?').pluck();
  const items = (docs: readonly number[]) => docs.map((doc) => itemOf.get(doc));
  const found: Record<string, unknown> = {};
  for (const query of SEARCHES) {
    const parsed = parseSearchQuery(query);
    for (const caseId of caseIds) {
      const at = `${query} in ${caseId}`;
      found[`${at}: count`] = [5, 1000].map((cap) => countMatches(db, parsed.match, caseId, cap));
      found[`${at}: first`] = items(matchingDocuments(db, parsed.match, caseId, 30));
      const best = bestMatchesSubquery(db, parsed, caseId, 60);
      found[`${at}: best`] = items(
        db.prepare(`SELECT doc FROM (${best.sql})`).pluck().all(best.params) as number[],
      );
      found[`${at}: ranked`] = rankedMatches(db, parsed.match, caseId, { offset: 3, limit: 40 }).map(
        (hit) => [itemOf.get(hit.doc), hit.score],
      );
      const hits = searchItems(db, { query, caseId, limit: 1000 }).hits;
      found[`${at}: searchItems`] = hits.map((hit) => [hit.id, hit.score]);
      found[`${at}: list box`] = [10, 1000].map((matchCap) => {
        const page = queryItemPage(
          db,
          caseId,
          { caseRef: caseId, search: query, sort: 'capturedAt', descending: false, offset: 0, limit: 500 },
          { matchCap, reuse: false },
        );
        return [page.total, page.matchCap, page.rows.map((row) => row.id)];
      });
    }
    found[`${query} in all cases`] = allCases(searchItems(db, { query, limit: 1000 }).hits);
  }
  return found;
}

/**
 * All cases' hits: the scores in rank order, and each item's score. Ties between the two cases'
 * documents are broken by the new ids (the first case's block first), so only their order may
 * change.
 */
function allCases(hits: readonly { id: string; score: number }[]) {
  return {
    scores: hits.map((hit) => hit.score),
    items: Object.fromEntries(hits.map((hit) => [hit.id, hit.score])),
  };
}

describe('migration 019 (each case its block of search document ids)', () => {
  test("is the last migration, as 018's build of the lists (live code: extendCommonWords) writes the newest shape", () => {
    expect(
      SCHEMA_VERSION,
      'a migration after 019 that reshapes the impact lists must build them itself (move extendCommonWords out of 018, as 018 moved it out of 017); once it does, or does not touch them, move this check to it. (019 renumbers the lists’ documents and keeps their shape.)',
    ).toBe(19);
  });

  let built: ReturnType<typeof twoCases> | undefined;
  let migrated: EvidenceStore | undefined;
  afterEach(() => {
    migrated?.close();
    built?.temp.remove();
  });

  /**
   * A store as Custos before 019 left it: two cases captured into by turns (7 pages into one, then
   * 7 into the other), then some items of each noted (written again, past both), the common
   * words' lists built; numbered in one sequence, with no blocks, at schema 18.
   */
  function storeAt18() {
    const documents = makeDocuments(420, 3);
    built = twoCases(documents, (i) => Math.floor(i / 7) % 2 === 1, 40);
    const rewritten = [4, 9, 100, 101, 250, 399].map((index) => built?.items[index]);
    for (const [n, item] of rewritten.entries()) {
      const doc = documents[[4, 9, 100, 101, 250, 399][n] ?? 0];
      if (doc) rewrite(built.store, item, { ...doc, notes: 'seen again at the harbour' });
    }
    numberInOneSequence(built.store, writeOrder(built.items, rewritten));
    built.store.db.exec('DROP TABLE search_case_blocks; PRAGMA user_version = 18');
    return built;
  }

  test('every search gives the same items with the same scores after it, each case numbered in its own block', async () => {
    const { temp, store, scopes } = storeAt18();
    const caseIds = [scopes.first ?? '', scopes.second ?? ''];
    // before: the cases interleave, each one's range holding the other's documents
    for (const caseId of caseIds) expect(caseScope(store.db, caseId).foreign, caseId).toBeGreaterThan(100);
    const before = answers(store, caseIds);
    store.close();

    migrated = temp.open();
    const db = migrated.db;
    expect(db.pragma('user_version', { simple: true })).toBe(19);
    expect(answers(migrated, caseIds)).toEqual(before);
    // each case in its block, in the order of its first document (the first case's)
    const blocks = db.prepare('SELECT case_id, block FROM search_case_blocks ORDER BY block').raw().all();
    expect(blocks).toEqual([
      [caseIds[0], 1],
      [caseIds[1], 2],
    ]);
    for (const [caseId, block] of blocks as [string, number][]) {
      const ids = db
        .prepare('SELECT id FROM search_documents WHERE case_id = ? ORDER BY id')
        .pluck()
        .all(caseId);
      expect(ids, caseId).toEqual(Array.from({ length: 210 }, (_, n) => block * BLOCK_SIZE + n + 1));
      expect(caseScope(db, caseId).foreign, caseId).toBe(0);
      expectOnlyTheCasesOwn(migrated, caseId);
    }
    // the index and the impact lists renumbered with the documents, nothing left behind
    expect(db.prepare('SELECT count(*) FROM search_index WHERE rowid < ?').pluck().get(BLOCK_SIZE)).toBe(0);
    expect(
      db
        .prepare('SELECT count(*) FROM search_impacts WHERE doc NOT IN (SELECT id FROM search_documents)')
        .pluck()
        .get(),
    ).toBe(0);
    // FTS5's own check of its index against its content (it throws on a difference)
    db.prepare("INSERT INTO search_index (search_index) VALUES ('integrity-check')").run();
    // the lists rank a word on every page as FTS5 does, in each case and all
    for (const caseId of [...caseIds, ALL]) {
      for (const limit of [1, 17, 300]) {
        const ranked = bestByImpact(db, parseSearchQuery('boat').terms, caseId, limit);
        expect(ranked, `${caseId}, ${limit}`).toEqual(fullRanking(migrated, 'boat', caseId, limit));
      }
    }
    migrated.close();
    migrated = undefined;

    // `custos search` across cases: the same hits and scores as searchItems gave before
    for (const query of ['harbour night', 'boat']) {
      const { json } = await runCustosJson<{ items: { id: string; score: number }[] }>(
        ['search', query, '--limit', '1000'],
        { store: temp.dir },
      );
      expect(allCases(json.items), query).toEqual(before[`${query} in all cases`]);
    }
  });
});
