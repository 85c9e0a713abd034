/**
 * The evidence list's search box (`queryItemPage`, first block of 50 in capture order, as a new
 * search) split into its parts on the kept bench store, to see where a query's time goes: the
 * parse, the walk for the first cap + 1 matches, the impact lists' attempt, the ranking, the
 * capture order, the rows and the snippets. Medians of RUNS in ms, with the load.
 *
 *   CUSTOS_BENCH_STORE=DIR node --import tsx bench/search/list-box-parts.ts [QUERY] [CASE_NUMBER] [RUNS]
 */
import os from 'node:os';
import { LIST_MATCH_CAP, queryItemPage } from '../../electron/core/api/services/item-queries.js';
import { bestByImpact } from '../../electron/core/search/impact-ranking.js';
import {
  bestMatchesSubquery,
  matchingDocuments,
  parseListSearch,
  snippetsFor,
} from '../../electron/core/search/search-queries.js';
import { withWholeWords } from '../../electron/core/search/whole-words.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { quantile } from '../support/bench-kit.js';

const QUERY = process.argv[2] ?? 'Sfax bambini';
const CASE = process.argv[3] ?? 'BENCH-SEARCH';
const RUNS = Number(process.argv[4] ?? 30);

const store = EvidenceStore.openForReading(`${process.env.CUSTOS_BENCH_STORE}/store`);
const db = store.db;
const caseId = store.listCases().find((c) => c.number === CASE)?.id ?? '';
const times: Record<string, number[]> = {};
const time = <T>(name: string, run: () => T): T => {
  const start = process.hrtime.bigint();
  const value = run();
  times[name] = [...(times[name] ?? []), Number(process.hrtime.bigint() - start) / 1e6];
  return value;
};
for (let run = 0; run < RUNS + 3; run++) {
  if (run === 3) for (const key of Object.keys(times)) times[key] = [];
  const parsed = time('parse + whole words', () => {
    const p = parseListSearch(db, QUERY, caseId);
    return p && withWholeWords(db, p);
  });
  if (!parsed) throw new Error('nothing to search');
  const all = time(`walk, first ${LIST_MATCH_CAP + 1}`, () =>
    matchingDocuments(db, parsed.match, caseId, LIST_MATCH_CAP + 1),
  );
  const capped = all.length > LIST_MATCH_CAP;
  let docs: number[] = all;
  if (capped) {
    time('impact lists tried', () => bestByImpact(db, parsed.terms, caseId, LIST_MATCH_CAP));
    const best = time('bestMatchesSubquery (built)', () =>
      bestMatchesSubquery(db, parsed, caseId, LIST_MATCH_CAP),
    );
    docs = time(`ranking (${best.ranking})`, () => db.prepare(best.sql).pluck().all(best.params) as number[]);
  }
  const ids = time(
    'capture order of the found',
    () =>
      db
        .prepare(
          `SELECT i.id FROM items i INDEXED BY items_by_id_captured WHERE i.id IN
           (SELECT d.item_id FROM json_each(?) m CROSS JOIN search_documents d INDEXED BY search_documents_items ON d.id = m.value)
         ORDER BY i.captured_at, i.rowid`,
        )
        .pluck()
        .all(JSON.stringify(docs)) as string[],
  );
  const shown = ids.slice(0, 50);
  time('snippets of 50', () => snippetsFor(db, parsed, shown));
  time('queryItemPage (all of it)', () =>
    queryItemPage(
      db,
      caseId,
      { caseRef: caseId, search: QUERY, sort: 'capturedAt', descending: false, offset: 0, limit: 50 },
      { reuse: false },
    ),
  );
}
console.log(`${QUERY} in ${CASE}, medians / p95 of ${RUNS} (ms), load ${os.loadavg()[0]?.toFixed(1)}`);
for (const [name, t] of Object.entries(times)) {
  t.sort((a, b) => a - b);
  console.log(`  ${name.padEnd(34)} ${quantile(t, 0.5).toFixed(2)} / ${quantile(t, 0.95).toFixed(2)}`);
}
store.close();
