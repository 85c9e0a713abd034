import { afterEach, describe, expect, test } from 'vitest';
import { queryItemPage } from '../../../../electron/core/api/services/item-queries.js';
import { BLOCK_SIZE } from '../../../../electron/core/search/case-blocks.js';
import { bestByImpact } from '../../../../electron/core/search/impact-ranking.js';
import { BM25_WEIGHTS } from '../../../../electron/core/search/search-columns.js';
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
import { everyMatch, expectOnlyTheCasesOwn, QUERIES } from '../../../support/case-search-checks.js';
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

/** Caps of the counts, and of the evidence list's search box. */
const COUNT_CAPS = [5, 1000];
const LIST_CAPS = [10, 1000];

/**
 * What every way of searching answers, by item (ids of documents change with the migration):
 * counts, the first matches in the index's order, the best matches, ranked pages with their
 * scores and the evidence list's search box in each case; all cases' ranked hits with their scores.
 * `inCase` gives a case's answers: the app's (`appAnswers`) or FTS5's with each match's case
 * checked (`checkedAnswers`, what a store numbered before 019 must be compared with: the app
 * reads a case's rowid range alone, which there holds the other case's documents too).
 */
function answers(
  store: EvidenceStore,
  caseIds: readonly string[],
  inCase: (store: EvidenceStore, query: string, caseId: string) => Record<string, unknown>,
) {
  const found: Record<string, unknown> = {};
  for (const query of SEARCHES) {
    for (const caseId of caseIds) {
      for (const [key, value] of Object.entries(inCase(store, query, caseId))) {
        found[`${query} in ${caseId}: ${key}`] = value;
      }
    }
    found[`${query} in all cases`] = allCases(searchItems(store.db, { query, limit: 1000 }).hits);
  }
  return found;
}

const itemsOf = (store: EvidenceStore, docs: readonly number[]) => {
  const itemOf = store.db.prepare('SELECT item_id FROM search_documents WHERE id = ?').pluck();
  return docs.map((doc) => itemOf.get(doc) as string);
};

/** A case's answers through the app's code. */
function appAnswers(store: EvidenceStore, query: string, caseId: string): Record<string, unknown> {
  const db = store.db;
  const parsed = parseSearchQuery(query);
  const best = bestMatchesSubquery(db, parsed, caseId, 60);
  return {
    count: COUNT_CAPS.map((cap) => countMatches(db, parsed.match, caseId, cap)),
    first: itemsOf(store, matchingDocuments(db, parsed.match, caseId, 30)),
    best: itemsOf(store, db.prepare(`SELECT doc FROM (${best.sql})`).pluck().all(best.params) as number[]),
    ranked: rankedMatches(db, parsed.match, caseId, { offset: 3, limit: 40 }).map((hit) => [
      itemsOf(store, [hit.doc])[0],
      hit.score,
    ]),
    searchItems: searchItems(db, { query, caseId, limit: 1000 }).hits.map((hit) => [hit.id, hit.score]),
    'list box': LIST_CAPS.map((matchCap) => {
      const page = queryItemPage(
        db,
        caseId,
        { caseRef: caseId, search: query, sort: 'capturedAt', descending: false, offset: 0, limit: 500 },
        { matchCap, reuse: false },
      );
      return [page.total, page.matchCap, page.rows.map((row) => row.id)];
    }),
  };
}

/** A case's answers from FTS5 with each match's case checked, whatever the rowid ranges hold. */
function checkedAnswers(store: EvidenceStore, query: string, caseId: string): Record<string, unknown> {
  const db = store.db;
  const every = everyMatch(store, query, caseId);
  const scoreOf = db.prepare(
    `SELECT -bm25(search_index, ${BM25_WEIGHTS}) FROM search_index WHERE search_index MATCH ? AND rowid = ?`,
  );
  const withScores = (docs: readonly number[]) =>
    docs.map((doc) => [
      itemsOf(store, [doc])[0],
      scoreOf.pluck().get(parseSearchQuery(query).match, BigInt(doc)),
    ]);
  const inCaptureOrder = (items: readonly string[]) =>
    db
      .prepare(
        'SELECT id FROM items WHERE id IN (SELECT value FROM json_each(?)) ORDER BY captured_at, rowid',
      )
      .pluck()
      .all(JSON.stringify(items));
  return {
    count: COUNT_CAPS.map((cap) => Math.min(every.length, cap + 1)),
    first: itemsOf(store, every.slice(0, 30)),
    best: itemsOf(store, fullRanking(store, query, caseId, 60)),
    ranked: withScores(fullRanking(store, query, caseId, 43).slice(3)),
    searchItems: withScores(fullRanking(store, query, caseId, 1000)),
    'list box': LIST_CAPS.map((matchCap) => [
      Math.min(every.length, matchCap),
      every.length > matchCap ? matchCap : undefined,
      inCaptureOrder(itemsOf(store, fullRanking(store, query, caseId, matchCap))),
    ]),
  };
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

/** How many of `other`'s documents lie within the rowid range of `caseId`'s. */
function othersWithin(store: EvidenceStore, caseId: string, other: string): unknown {
  return store.db
    .prepare(
      `SELECT count(*) FROM search_documents WHERE case_id = @other AND id BETWEEN
       (SELECT min(id) FROM search_documents WHERE case_id = @caseId)
       AND (SELECT max(id) FROM search_documents WHERE case_id = @caseId)`,
    )
    .pluck()
    .get({ caseId, other });
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
    for (const [caseId, other] of [caseIds, [...caseIds].reverse()]) {
      expect(othersWithin(store, caseId ?? '', other ?? ''), caseId).toBeGreaterThan(100);
    }
    const before = answers(store, caseIds, checkedAnswers);
    store.close();

    migrated = temp.open();
    const db = migrated.db;
    expect(db.pragma('user_version', { simple: true })).toBe(19);
    expect(answers(migrated, caseIds, appAnswers)).toEqual(before);
    expect(answers(migrated, caseIds, checkedAnswers)).toEqual(before);
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
      expect(othersWithin(migrated, caseId, caseIds.find((other) => other !== caseId) ?? ''), caseId).toBe(0);
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
