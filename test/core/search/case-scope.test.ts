import { afterEach, describe, expect, it } from 'vitest';
import { queryItemPage } from '../../../electron/core/api/services/item-queries.js';
import { caseScope, FOREIGN_OVERFETCH_MAX } from '../../../electron/core/search/case-scope.js';
import { type SearchDocument, writeSearchDocument } from '../../../electron/core/search/search-deriver.js';
import { countMatches } from '../../../electron/core/search/search-queries.js';
import { parseSearchQuery } from '../../../electron/core/search/search-query.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { everyMatch, expectOnlyTheCasesOwn, QUERIES } from '../../support/case-search-checks.js';
import {
  addBareItem,
  fullRanking,
  makeDocuments,
  numberInOneSequence,
  rewrite,
  twoCases,
  writeOrder,
} from '../../support/search-corpus.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

/**
 * A store of two cases: the first case's documents, then the second's (`foreign` of them, each
 * titled with the queries' words, so they outrank most of the first case's), then a few of the
 * first case's written again (a note added to old items), numbered as before migration 019 (one
 * sequence in the order written): the second case's documents all lie in the first case's range of
 * rowids. No impact lists: every query weighs every match.
 */
function interleaved(foreign: number) {
  const firstDocs = makeDocuments(300, 7);
  const secondDocs = makeDocuments(foreign, 11).map((doc) => ({
    ...doc,
    title: 'harbour night sea harbour boat price children',
  }));
  const built = twoCases([...firstDocs, ...secondDocs], (i) => i >= firstDocs.length, null);
  const rewritten = [2, 40, 151, 299];
  for (const index of rewritten) rewrite(built.store, built.items[index], firstDocs[index] as SearchDocument);
  numberInOneSequence(
    built.store,
    writeOrder(
      built.items,
      rewritten.map((index) => built.items[index]),
    ),
  );
  return built;
}

/**
 * A store of many cases: a case's documents before the searched case's first, then the searched
 * case's first 150, then `inRange` cases of 50 documents each, then its other 150, then another
 * case's after its last, and a case with none. Each written in turn and numbered as before
 * migration 019 (one sequence in the order written), so the cases before and after lie right at
 * the ends of its range, outside it.
 */
function manyCases(inRange: number) {
  const temp = makeTempStore({ caseNumber: 'MC-0' });
  const store = temp.open();
  const searched = temp.caseId ?? '';
  const newCase = (n: number) => store.createCase({ number: `MC-${n}`, title: `Case ${n}` }).id;
  const layout = [
    ...Array<string>(10).fill(newCase(1)),
    ...Array<string>(150).fill(searched),
    ...Array.from({ length: inRange }, (_, i) => Array<string>(50).fill(newCase(10 + i))).flat(),
    ...Array<string>(150).fill(searched),
    ...Array<string>(10).fill(newCase(2)),
  ];
  const docs = makeDocuments(layout.length, 5);
  const items = store.transaction((db) =>
    layout.map((caseId, i) => {
      const item = { id: addBareItem(store, caseId, i).id, caseId };
      writeSearchDocument(db, item.id, caseId, docs[i] as SearchDocument);
      return item;
    }),
  );
  numberInOneSequence(store, writeOrder(items, []));
  return { temp, store, searched, items, docs, empty: newCase(3) };
}

describe("a case's search among another case's documents in its range of rowids", () => {
  let temp: TempStore | undefined;
  let store: EvidenceStore | undefined;
  afterEach(() => {
    store?.close();
    temp?.remove();
  });

  it("gives FTS5 the case's range as integers, which it reads its doclists within (a REAL bound, as better-sqlite3 binds a number, it ignores, reading every match)", () => {
    const built = twoCases(makeDocuments(3, 7), (i) => i === 2, null);
    ({ temp, store } = built);
    for (const caseId of [built.scopes.first ?? '', built.scopes.second ?? '']) {
      const { params } = caseScope(store.db, caseId);
      expect(store.db.prepare('SELECT typeof(@first), typeof(@last)').raw().get(params)).toEqual([
        'integer',
        'integer',
      ]);
    }
  });

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

  it("many cases' documents in its range are counted together, up to the bound, and a case around it or without documents is left out", () => {
    const built = manyCases(FOREIGN_OVERFETCH_MAX / 50);
    ({ temp, store } = built);
    // 40 cases of 50 documents: exactly as many as are taken past and dropped
    expect(caseScope(store.db, built.searched).foreign).toBe(FOREIGN_OVERFETCH_MAX);
    expectOnlyTheCasesOwn(store, built.searched);
    for (const other of new Set(built.items.map((item) => item.caseId))) {
      if (other !== built.searched) expect(caseScope(store.db, other).foreign, other).toBe(0);
    }
    const empty = caseScope(store.db, built.empty);
    expect(empty.foreign).toBe(0);
    expect(countMatches(store.db, parseSearchQuery('boat').match, built.empty, 10)).toBe(0);
    // the searched case's first page written again (a note on it) past the case after it, as
    // before migration 019: one case more in the range
    numberInOneSequence(store, writeOrder(built.items, [built.items[10]]));
    expect(caseScope(store.db, built.searched).foreign).toBeNull();
    expectOnlyTheCasesOwn(store, built.searched);
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
