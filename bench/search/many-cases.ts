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
import { makeBenchDir, printFigures, printLoadAverage, removeBenchDir } from '../support/bench-kit.js';
import { boatSearchRows, buildBoatStore } from './boat-store.js';

const CASES = Number(process.argv[2] ?? 300);
const PAGES = Number(process.argv[3] ?? 20);

function main(): void {
  const dir = makeBenchDir('search-many-cases');
  // `boat` on every page, at various frequencies, in the text, title, notes and tags.
  const { store, caseIds } = buildBoatStore(
    `${dir}/store`,
    { cases: CASES, pages: PAGES, seed: 7 },
    (next) => ({
      title: next() < 0.2 ? 'boat' : '',
      url: '',
      body: `${'boat '.repeat(1 + Math.floor(next() * 6))}${'sea '.repeat(Math.floor(next() * 30))}harbour`,
      notes: next() < 0.1 ? 'boat' : '',
      tags: next() < 0.1 ? 'boat' : '',
    }),
  );
  try {
    const rows = [
      ...boatSearchRows(store, 'all cases', null, CASES * PAGES),
      ...boatSearchRows(store, 'one case', caseIds[0] ?? '', PAGES),
    ];
    printFigures(`'boat' on all ${CASES * PAGES} pages of ${CASES} cases of ${PAGES}`, rows);
    printLoadAverage();
  } finally {
    store.close();
    removeBenchDir(dir);
  }
}

main();
