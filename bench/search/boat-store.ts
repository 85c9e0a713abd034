/**
 * What the impact-ranking benches share: a store of bare items whose search documents say `boat`
 * on every page (each bench says how), and the rows that time a search for it beside the full
 * ranking, page 1 and a page far down, naming the way each search ranked.
 */
import { extendCommonWords } from '../../electron/core/search/impact-lists.js';
import { type SearchDocument, writeSearchDocument } from '../../electron/core/search/search-deriver.js';
import {
  bestMatchesSubquery,
  rankedMatches,
  searchItems,
} from '../../electron/core/search/search-queries.js';
import { parseSearchQuery } from '../../electron/core/search/search-query.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { seededRandom, timeCalls } from '../support/bench-kit.js';

/** Each search is timed this many times. */
const RUNS = 15;

/**
 * Builds a store of `cases` cases of `pages` pages, each page's document made by `page` from a
 * seeded random generator, then the common words' lists (`extendCommonWords`, from 40 documents).
 */
export function buildBoatStore(
  dir: string,
  shape: Readonly<{ cases: number; pages: number; seed: number }>,
  page: (next: () => number) => SearchDocument,
): { store: EvidenceStore; caseIds: string[] } {
  const store = EvidenceStore.openForWriting(dir, { create: true });
  store.db.pragma('synchronous = OFF');
  store.init({ name: 'Bench Investigator', agency: 'Bench Unit', badge: null });
  const next = seededRandom(shape.seed);
  const caseIds: string[] = [];
  store.transaction((db) => {
    for (let c = 0; c < shape.cases; c++) {
      const caseId = store.createCase({ number: `BOAT-${c}`, title: `Case ${c}` }).id;
      caseIds.push(caseId);
      for (let p = 0; p < shape.pages; p++) {
        const item = store.addItem({
          caseId,
          kind: 'import',
          source: `page-${c}-${p}.txt`,
          metadata: {},
          artifacts: [],
        });
        writeSearchDocument(db, item.id, caseId, page(next));
      }
    }
    extendCommonWords(db, 40);
  });
  store.db.pragma('synchronous = FULL');
  return { store, caseIds };
}

/**
 * Times `searchItems` for `boat` in one case (`caseId`) or all (null), from 0 and from 980 when
 * there are that many `pages`, each beside `rankedMatches` (the full ranking), labelled `scope`.
 */
export function boatSearchRows(
  store: EvidenceStore,
  scope: string,
  caseId: string | null,
  pages: number,
): [string, string][] {
  const parsed = parseSearchQuery('boat');
  const rows: [string, string][] = [];
  for (const offset of [0, 980].filter((from) => from === 0 || from + 20 <= pages)) {
    const page = { offset, limit: 20 };
    const ranking = bestMatchesSubquery(store.db, parsed, caseId, offset + 20).ranking;
    rows.push([
      `searchItems, ${scope}, from ${offset} (${ranking})`,
      timeCalls(RUNS, () => searchItems(store.db, { query: 'boat', caseId, ...page })),
    ]);
    rows.push([
      `rankedMatches (full ranking), ${scope}, from ${offset}`,
      timeCalls(RUNS, () => rankedMatches(store.db, parsed.match, caseId, page)),
    ]);
  }
  return rows;
}
