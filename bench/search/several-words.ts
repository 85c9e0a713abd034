/**
 * Searches of one, two and three words on the kept bench store (bench/search/run.ts builds it),
 * timed with this checkout's code and another checkout's (`CUSTOS_OTHER`: its root, e.g. main's
 * files exported with `git archive`), alternating the two a search at a time in one process so
 * that both see the same load: the evidence list's first block as a new search (the 100,000-item
 * case) and `searchItems`' first 20 hits over all cases. Medians and p95 in ms, with the load.
 *
 *   CUSTOS_BENCH_STORE=DIR CUSTOS_OTHER=/path/to/main node --import tsx bench/search/several-words.ts [RUNS]
 */
import path from 'node:path';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { timeAlternately } from './alternate.js';

const RUNS = Number(process.argv[2] ?? 30);
const QUERIES = [
  'Lampedusa',
  'WhatsApp',
  'Sfax bambini',
  'WhatsApp Lampedusa',
  'barca Sfax bambini',
  'viaggio sicuro Lampedusa',
];

type ItemQueries = typeof import('../../electron/core/api/services/item-queries.js');
type SearchQueries = typeof import('../../electron/core/search/search-queries.js');

async function load(root: string): Promise<{ list: ItemQueries; search: SearchQueries }> {
  return {
    list: await import(path.join(root, 'electron/core/api/services/item-queries.ts')),
    search: await import(path.join(root, 'electron/core/search/search-queries.ts')),
  };
}

const store = EvidenceStore.openForReading(`${process.env.CUSTOS_BENCH_STORE}/store`);
const bigCase = store.listCases().find((c) => c.number === 'BENCH-SEARCH')?.id ?? '';
const codes = { this: await load(path.resolve('.')), other: await load(process.env.CUSTOS_OTHER ?? '.') };
timeAlternately(QUERIES, RUNS, (query) =>
  Object.fromEntries(
    Object.entries(codes).flatMap(([name, code]) => [
      [
        `list ${name}`,
        () =>
          code.list.queryItemPage(
            store.db,
            bigCase,
            { caseRef: bigCase, search: query, sort: 'capturedAt', descending: false, offset: 0, limit: 50 },
            { reuse: false },
          ),
      ],
      [`all ${name}`, () => code.search.searchItems(store.db, { query, limit: 20 })],
    ]),
  ),
);
store.close();
