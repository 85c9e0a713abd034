/**
 * Searches of one, two and three words on the kept bench store (bench/search/run.ts builds it),
 * timed with this checkout's code and another checkout's (`CUSTOS_OTHER`: its root, e.g. main's
 * files exported with `git archive`), alternating the two a search at a time in one process so
 * that both see the same load: the evidence list's first block as a new search (the 100,000-item
 * case) and `searchItems`' first 20 hits over all cases. Medians and p95 in ms, with the load.
 *
 *   CUSTOS_BENCH_STORE=DIR CUSTOS_OTHER=/path/to/main node --import tsx bench/search/several-words.ts [RUNS]
 */
import os from 'node:os';
import path from 'node:path';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { quantile } from '../support/bench-kit.js';

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
const loads: number[] = [];
for (const query of QUERIES) {
  const times: Record<string, number[]> = {};
  for (let run = 0; run < RUNS + 2; run++) {
    for (const [name, code] of Object.entries(codes)) {
      const ways = {
        list: () =>
          code.list.queryItemPage(
            store.db,
            bigCase,
            { caseRef: bigCase, search: query, sort: 'capturedAt', descending: false, offset: 0, limit: 50 },
            { reuse: false },
          ),
        all: () => code.search.searchItems(store.db, { query, limit: 20 }),
      };
      for (const [way, search] of Object.entries(ways)) {
        const start = process.hrtime.bigint();
        search();
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (run < 2) continue; // the first two runs warm the caches
        const key = `${way} ${name}`;
        times[key] = [...(times[key] ?? []), ms];
      }
    }
  }
  loads.push(os.loadavg()[0] ?? 0);
  const cells = Object.entries(times).map(([key, t]) => {
    t.sort((a, b) => a - b);
    return `${key} ${quantile(t, 0.5).toFixed(1)} / ${quantile(t, 0.95).toFixed(1)}`;
  });
  console.log(`${query.padEnd(26)} ${cells.join(' | ')}`);
}
console.log(`load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`);
store.close();
