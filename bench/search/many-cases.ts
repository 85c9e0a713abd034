/**
 * Search all cases in a store of many small cases: a common word then has one impact list per
 * case (`impact-ranking.ts`), and merging hundreds of them can cost more than ranking every match.
 * Builds CASES cases of PAGES pages each (items added by `EvidenceStore.addItem`, their search
 * documents written by `writeSearchDocument`, the word's lists built by `extendCommonWords`),
 * then times `searchItems` for all cases and one case, page 1 and a page far down, beside
 * `rankedMatches` (the full ranking: every match weighed), and prints which way each search ranked.
 *
 *   node --import tsx bench/search/many-cases.ts [CASES] [PAGES]
 */
import { extendCommonWords } from '../../electron/core/search/impact-lists.js';
import { writeSearchDocument } from '../../electron/core/search/search-deriver.js';
import {
  bestMatchesSubquery,
  rankedMatches,
  searchItems,
} from '../../electron/core/search/search-queries.js';
import { parseSearchQuery } from '../../electron/core/search/search-query.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import {
  makeBenchDir,
  medianAndP95,
  printFigures,
  printLoadAverage,
  removeBenchDir,
  seededRandom,
} from '../support/bench-kit.js';

const CASES = Number(process.argv[2] ?? 300);
const PAGES = Number(process.argv[3] ?? 20);
const RUNS = 15;

/** Builds the store: `boat` on every page, at various frequencies, in the text, title, notes and tags. */
function buildStore(dir: string): { store: EvidenceStore; firstCase: string } {
  const store = EvidenceStore.openForWriting(dir, { create: true });
  store.db.pragma('synchronous = OFF');
  store.init({ name: 'Bench Investigator', agency: 'Bench Unit', badge: null });
  const next = seededRandom(7);
  let firstCase = '';
  store.transaction((db) => {
    for (let c = 0; c < CASES; c++) {
      const caseId = store.createCase({ number: `MC-${c}`, title: `Case ${c}` }).id;
      firstCase ||= caseId;
      for (let p = 0; p < PAGES; p++) {
        const item = store.addItem({
          caseId,
          kind: 'import',
          source: `ad-${c}-${p}.txt`,
          metadata: {},
          artifacts: [],
        });
        writeSearchDocument(db, item.id, caseId, {
          title: next() < 0.2 ? 'boat' : '',
          url: '',
          body: `${'boat '.repeat(1 + Math.floor(next() * 6))}${'sea '.repeat(Math.floor(next() * 30))}harbour`,
          notes: next() < 0.1 ? 'boat' : '',
          tags: next() < 0.1 ? 'boat' : '',
        });
      }
    }
    extendCommonWords(db, 40);
  });
  store.db.pragma('synchronous = FULL');
  return { store, firstCase };
}

/** Median and p95 of `RUNS` calls. */
function time(work: () => unknown): string {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return medianAndP95(times);
}

function main(): void {
  const dir = makeBenchDir('search-many-cases');
  const { store, firstCase } = buildStore(`${dir}/store`);
  try {
    const parsed = parseSearchQuery('boat');
    const rows: [string, string][] = [];
    for (const [scope, caseId, pages] of [
      ['all cases', null, CASES * PAGES],
      ['one case', firstCase, PAGES],
    ] as const) {
      for (const offset of [0, 980].filter((from) => from === 0 || from + 20 <= pages)) {
        const page = { offset, limit: 20 };
        const ranking = bestMatchesSubquery(store.db, parsed, caseId, offset + 20).ranking;
        rows.push([
          `searchItems, ${scope}, from ${offset} (${ranking})`,
          time(() => searchItems(store.db, { query: 'boat', caseId, ...page })),
        ]);
        rows.push([
          `rankedMatches (full ranking), ${scope}, from ${offset}`,
          time(() => rankedMatches(store.db, parsed.match, caseId, page)),
        ]);
      }
    }
    printFigures(`'boat' on all ${CASES * PAGES} pages of ${CASES} cases of ${PAGES}`, rows);
    printLoadAverage();
  } finally {
    store.close();
    removeBenchDir(dir);
  }
}

main();
