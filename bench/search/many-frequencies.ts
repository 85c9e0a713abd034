/**
 * A case search for a word found at many different frequencies across the case's pages (chat
 * exports, long threads: a word said once on one page and hundreds of times on another). The
 * word's list in the case is then read as one list per frequency (`impact-ranking.ts`), each
 * started with a seek and a first chunk, and hundreds of them can cost more than ranking every
 * match. Builds one case of PAGES pages, `boat` said 1 to FREQS times in each page's text (and in
 * some titles, tags and notes), the word's lists built by `extendCommonWords`, then times
 * `searchItems` in the case, page 1 and a page far down, beside `rankedMatches` (the full
 * ranking: every match weighed), and prints which way each search ranked and how many lists of
 * one frequency the word has in the case.
 *
 *   node --import tsx bench/search/many-frequencies.ts [PAGES] [FREQS]
 */
import type { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { makeBenchDir, printFigures, printLoadAverage, removeBenchDir } from '../support/bench-kit.js';
import { boatSearchRows, buildBoatStore } from './boat-store.js';

const PAGES = Number(process.argv[2] ?? 1_000);
const FREQS = Number(process.argv[3] ?? 1_000);

/** How many lists of one frequency the word has in the case (what the merge would start). */
function frequencyListsOf(store: EvidenceStore, word: string, caseId: string): number {
  return store.db
    .prepare(
      `SELECT count(DISTINCT i.freq) FROM search_impacts i
       JOIN search_impact_lists l ON l.id = i.list JOIN search_impact_terms t ON t.id = l.term
       WHERE t.term = ? AND l.case_id = ?`,
    )
    .pluck()
    .get(word, caseId) as number;
}

function main(): void {
  const dir = makeBenchDir('search-many-frequencies');
  // One case, `boat` on every page, said 1 to FREQS times in the text.
  const { store, caseIds } = buildBoatStore(`${dir}/store`, { cases: 1, pages: PAGES, seed: 11 }, (next) => ({
    title: next() < 0.2 ? 'boat' : '',
    url: '',
    body: `${'boat '.repeat(1 + Math.floor(next() * FREQS))}${'sea '.repeat(Math.floor(next() * 30))}harbour`,
    notes: next() < 0.1 ? 'boat' : '',
    tags: next() < 0.1 ? 'boat' : '',
  }));
  const caseId = caseIds[0] ?? '';
  try {
    printFigures(
      `'boat' on all ${PAGES} pages of one case, 1 to ${FREQS} times a page: ${frequencyListsOf(store, 'boat', caseId)} lists of one frequency`,
      boatSearchRows(store, 'the case', caseId, PAGES),
    );
    printLoadAverage();
  } finally {
    store.close();
    removeBenchDir(dir);
  }
}

main();
