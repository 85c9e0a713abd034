/**
 * Two cases captured into by turns (25 pages into one, 25 into the other, …), PAGES pages each:
 * before migration 019 their search documents interleave in rowid order, so a search in either
 * case read the other's matches too and dropped them; with each case's documents in its own block
 * of rowids (migration 019) neither case's range holds the other's.
 *
 *   CUSTOS_OTHER=/path/to/code node --import tsx bench/search/interleaved.ts build DIR [PAGES]
 *     builds the store in DIR/store with the code at CUSTOS_OTHER (default: this checkout): the
 *     code before 019, so that the documents interleave as in a store in use;
 *   CUSTOS_OTHER=/path/to/code node --import tsx bench/search/interleaved.ts time BEFORE AFTER [RUNS]
 *     times the code at CUSTOS_OTHER on the store in BEFORE/store and this checkout's on AFTER/store
 *     (a copy of it, which this code migrates when it opens it, the migration timed), alternating
 *     the two a search at a time so that both see the same load: the evidence list's first block
 *     as a new search in the first case, and `searchItems`' first 20 hits in that case and in all
 *     cases. Medians and p95 in ms, with the load. With CUSTOS_BENCH_CASE=NUMBER another case is
 *     searched (run.ts's store: BENCH-SEARCH, the 100,000-page case).
 */
import os from 'node:os';
import path from 'node:path';
import { seededRandom } from '../support/bench-kit.js';
import { timeAlternately } from './alternate.js';
import { makePage } from './bench-pages.js';

type Store = typeof import('../../electron/core/store/evidence-store.js');
type Deriver = typeof import('../../electron/core/search/search-deriver.js');
type ItemQueries = typeof import('../../electron/core/api/services/item-queries.js');
type SearchQueries = typeof import('../../electron/core/search/search-queries.js');

interface Code {
  readonly store: Store;
  readonly deriver: Deriver;
  readonly list: ItemQueries;
  readonly search: SearchQueries;
}

async function load(root: string): Promise<Code> {
  const from = (file: string) => import(path.join(root, file));
  return {
    store: await from('electron/core/store/evidence-store.ts'),
    deriver: await from('electron/core/search/search-deriver.ts'),
    list: await from('electron/core/api/services/item-queries.ts'),
    search: await from('electron/core/search/search-queries.ts'),
  };
}

/** Pages captured into one case before the other's turn. */
const TURN = 25;
const CASES = ['BENCH-TURN-A', 'BENCH-TURN-B'];
/** The case searched in (`CUSTOS_BENCH_CASE`: another store's, e.g. run.ts's `BENCH-SEARCH`). */
const SEARCHED = process.env.CUSTOS_BENCH_CASE ?? CASES[0];
const QUERIES = ['Sfax bambini', 'Lampedusa', 'WhatsApp', 'barca Sfax bambini', '"barca grande"'];

function build(code: Code, dir: string, pages: number): void {
  const store = code.store.EvidenceStore.openForWriting(`${dir}/store`, { create: true });
  store.db.pragma('synchronous = OFF');
  try {
    store.init({ name: 'Bench Investigator', agency: 'Bench Unit', badge: null });
    const caseIds = CASES.map(
      (number) => store.createCase({ number, title: `Captured by turns ${number}` }).id,
    );
    const next = seededRandom(42);
    for (let from = 0; from < pages * 2; from += 1000) {
      store.transaction((db) => {
        for (let index = from; index < Math.min(from + 1000, pages * 2); index++) {
          const caseId = caseIds[Math.floor(index / TURN) % 2] ?? '';
          const page = makePage(index, next);
          const item = store.addItem({
            caseId,
            kind: 'capture',
            source: page.url,
            url: page.url,
            title: page.title,
            metadata: {},
            artifacts: [],
          });
          code.deriver.writeSearchDocument(db, item.id, caseId, {
            title: page.title,
            url: page.url,
            body: page.text,
            notes: '',
            tags: '',
          });
        }
      });
      process.stderr.write(`  ${Math.min(from + 1000, pages * 2)}/${pages * 2} pages\r`);
    }
    process.stderr.write('\n');
  } finally {
    store.close();
  }
}

function time(before: Code, beforeDir: string, after: Code, afterDir: string, runs: number): void {
  const started = process.hrtime.bigint();
  after.store.EvidenceStore.openForWriting(`${afterDir}/store`).close();
  console.log(
    `opened ${afterDir} for writing (migrated if it was before 019) in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s, load ${os.loadavg()[0]?.toFixed(1)}`,
  );
  const sides = [
    { name: 'before', code: before, store: before.store.EvidenceStore.openForReading(`${beforeDir}/store`) },
    { name: 'after', code: after, store: after.store.EvidenceStore.openForReading(`${afterDir}/store`) },
  ];
  timeAlternately(QUERIES, runs, (query) =>
    Object.fromEntries(
      sides.flatMap(({ name, code, store }) => {
        const caseId = store.listCases().find((c) => c.number === SEARCHED)?.id ?? '';
        return [
          [
            `list ${name}`,
            () =>
              code.list.queryItemPage(
                store.db,
                caseId,
                {
                  caseRef: caseId,
                  search: query,
                  sort: 'capturedAt',
                  descending: false,
                  offset: 0,
                  limit: 50,
                },
                { reuse: false },
              ),
          ],
          [`case ${name}`, () => code.search.searchItems(store.db, { query, caseId, limit: 20 })],
          [`all ${name}`, () => code.search.searchItems(store.db, { query, limit: 20 })],
        ];
      }),
    ),
  );
  for (const side of sides) side.store.close();
}

const [mode, first = '', second = '', count] = process.argv.slice(2);
const other = await load(path.resolve(process.env.CUSTOS_OTHER ?? '.'));
if (mode === 'build') build(other, first, Number(count ?? second ?? 30_000) || 30_000);
else if (mode === 'time') time(other, first, await load(path.resolve('.')), second, Number(count ?? 30));
else console.error('usage: interleaved.ts build DIR [PAGES] | time BEFORE AFTER [RUNS]');
