/**
 * Search benchmark: builds a store of 100,000 captured pages (synthetic but real-looking ads in
 * Arabic, with and without diacritics, Persian, English, French and Italian, with prices and phone
 * numbers), runs the search deriver over them, then times queries through `searchItems` (the same
 * function `custos search` and the UI call), against the goal of 50 ms a query.
 *
 * The pages go in through the store's own functions where it matters: each page's text is written
 * as a blob at its content address (in bulk: no fsync per file), each item is committed by
 * `EvidenceStore.addItem` with its signed custody entry, 1,000 items per transaction, with
 * synchronous=OFF while building (the build is not what is measured). The entity and search
 * derivers then run as every write runs them (`deriveMissing`), still unsynced.
 *
 * It times both ways the app searches: `searchItems` (ranked hits, Search all cases and
 * `custos search`) and `queryItemPage` with a search (the evidence list's search box: the first
 * block of rows in capture order, with their snippets and the count).
 *
 *   node --import tsx bench/search/run.ts [PAGES]
 *
 * With CUSTOS_BENCH_STORE=DIR the store is built in DIR once and kept, and later runs only time
 * the queries (to compare a change to the queries without building 100,000 pages again).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { queryItemPage } from '../../electron/core/api/services/item-queries.js';
import { deriveMissing } from '../../electron/core/derive/derive-items.js';
import { entityDeriver } from '../../electron/core/entities/entity-deriver.js';
import { searchDeriver } from '../../electron/core/search/search-deriver.js';
import { searchItems } from '../../electron/core/search/search-queries.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import type { ArtifactRecord } from '../../shared/domain.js';
import {
  makeBenchDir,
  mb,
  printFigures,
  printLoadAverage,
  quantile,
  removeBenchDir,
  secs,
  seededRandom,
  timed,
} from '../support/bench-kit.js';
import { makePage } from './bench-pages.js';

const PAGES = Number(process.argv[2] ?? 100_000);
const ITEMS_PER_TRANSACTION = 1000;
const RUNS = 30;
const GOAL_MS = 50;
/** Rows the evidence list asks for at a time (`PAGE_BLOCK`, renderer/src/hooks/use-pages.ts). */
const LIST_BLOCK = 50;

/**
 * Writes a blob where the BlobStore keeps it (its SHA-256 name, read-only) without the fsyncs of
 * `putBuffer`: 100,000 fsynced files would take most of an hour on a shared disk, and how fast
 * blobs are written is bench/import's business, not this one's.
 */
function writeBlobInBulk(store: EvidenceStore, bytes: Buffer): string {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = store.blobs.pathOf(sha256);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes, { mode: 0o444 });
  }
  return sha256;
}

/** A case of the bench store and how many pages it holds. */
interface BenchCase {
  readonly number: string;
  readonly title: string;
  readonly pages: number;
  /** Added to each page's index, so that another case's pages differ from the big one's. */
  readonly firstIndex: number;
}

const BIG_CASE: BenchCase = {
  number: 'BENCH-SEARCH',
  title: 'Search benchmark',
  pages: PAGES,
  firstIndex: 0,
};
/** A small case beside the big one: searching in it must not cost what searching the big one does. */
const SMALL_CASE: BenchCase = {
  number: 'BENCH-SMALL',
  title: 'A small case beside the big one',
  pages: 500,
  firstIndex: 1_000_100,
};

async function buildStore(dir: string, benchCase: BenchCase): Promise<{ bytes: number }> {
  const store = EvidenceStore.openForWriting(dir, { create: true });
  store.db.pragma('synchronous = OFF');
  try {
    store.init({ name: 'Bench Investigator', agency: 'Bench Unit', badge: null });
    const caseRow = store.createCase({ number: benchCase.number, title: benchCase.title });
    const next = seededRandom(42 + benchCase.firstIndex);
    let bytes = 0;
    let pending: { page: ReturnType<typeof makePage>; artifact: ArtifactRecord }[] = [];
    const commit = () => {
      const batch = pending;
      pending = [];
      store.transaction(() => {
        for (const { page, artifact } of batch) {
          store.addItem({
            caseId: caseRow.id,
            kind: 'capture',
            source: page.url,
            url: page.url,
            title: page.title,
            metadata: {},
            artifacts: [artifact],
          });
        }
      });
    };
    for (let index = benchCase.firstIndex; index < benchCase.firstIndex + benchCase.pages; index++) {
      const page = makePage(index, next);
      const body = Buffer.from(page.text, 'utf8');
      const sha256 = writeBlobInBulk(store, body);
      bytes += body.length;
      pending.push({
        page,
        artifact: {
          role: 'text',
          name: 'text.txt',
          mediaType: 'text/plain; charset=utf-8',
          size: body.length,
          sha256,
        },
      });
      if (pending.length === ITEMS_PER_TRANSACTION) commit();
      if ((index + 1) % 5000 === 0) process.stderr.write(`  built ${index + 1}/${benchCase.pages} pages\r`);
    }
    if (pending.length) commit();
    process.stderr.write('\n');
    return { bytes };
  } finally {
    store.close();
  }
}

async function derive(dir: string): Promise<number> {
  const store = EvidenceStore.openForWriting(dir);
  store.db.pragma('synchronous = OFF');
  try {
    let done = 0;
    const outcome = await deriveMissing(store, {
      // the entities first, as every write derives them: the index holds their phone numbers' and
      // IBANs' written forms (`indexedIdentifiers`)
      derivers: [entityDeriver, searchDeriver],
      onProgress: (p) => {
        if (p.done - done >= 5000) {
          done = p.done;
          process.stderr.write(`  indexed ${p.done}/${p.total}\r`);
        }
      },
    });
    process.stderr.write('\n');
    return outcome.derived;
  } finally {
    store.close();
  }
}

const QUERIES: readonly (readonly [string, string])[] = [
  ['Latin word', 'Lampedusa'],
  ['Arabic word, no diacritics', 'رحلة'],
  ['Arabic word, with diacritics', 'رِحْلَةٌ'],
  ['Persian word (with ZWNJ)', 'می‌خواهید'],
  ['French word, no accent', 'traversee'],
  ['phrase', '"barca grande"'],
  ['prefix', 'garan*'],
  ['rare word (10 pages)', 'Gravelines'],
  ['word in every page', 'WhatsApp'],
  ['two words', 'Sfax bambini'],
  ['word start (prefix by default)', 'Lampedu'],
  ['three-letter start', 'bar'],
  ['phone number, international', '+218912345678'],
  ['phone number, national', '0912345678'],
];

/** Times one way of searching over every query; `search` returns how many items it says match. */
function timeQueries(
  dir: string,
  search: (db: EvidenceStore['db'], query: string) => string,
): (readonly [string, string])[] {
  const store = EvidenceStore.openForReading(dir);
  try {
    const rows: (readonly [string, string])[] = [];
    for (const [label, query] of QUERIES) {
      const times: number[] = [];
      let total = '';
      for (let run = 0; run < RUNS + 3; run++) {
        const start = process.hrtime.bigint();
        total = search(store.db, query);
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (run >= 3) times.push(ms); // the first runs warm the page cache
      }
      times.sort((a, b) => a - b);
      const median = quantile(times, 0.5);
      const p95 = quantile(times, 0.95);
      rows.push([
        `${label}: ${query}`,
        `median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, ${total} hits${p95 > GOAL_MS ? '  (over the goal)' : ''}`,
      ]);
    }
    return rows;
  } finally {
    store.close();
  }
}

/** The count as the UI shows it: "more than N" when counting stopped at a bound. */
function shownTotal(page: {
  readonly total: number;
  readonly totalCapped?: boolean;
  readonly matchCap?: number;
}): string {
  if (page.matchCap !== undefined) return `more than ${page.matchCap}, ${page.total} listed`;
  return page.totalCapped ? `more than ${page.total}` : String(page.total);
}

/**
 * Adds a note to the big case's first item unless the store has one: the item's search document
 * is written again (`deriveMissing`), past the small case's documents, so that the two cases'
 * documents interleave in rowid order, as in a store in use. Searches of either case must not
 * cost more for it.
 */
async function interleaveCases(dir: string, bigCaseId: string): Promise<void> {
  const store = EvidenceStore.openForWriting(dir);
  try {
    const noted = store.db.prepare("SELECT EXISTS (SELECT 1 FROM annotations WHERE kind = 'note')").pluck();
    if (!noted.get()) {
      const first = store.db
        .prepare('SELECT id FROM items WHERE case_id = ? ORDER BY rowid LIMIT 1')
        .pluck()
        .get(bigCaseId) as string;
      store.addNote(first, 'Seen again on the group: Lampedusa, WhatsApp, the same boat');
    }
  } finally {
    store.close();
  }
  // (every time: a run stopped before its document was written again writes it now)
  await derive(dir);
}

/** Whether two cases' search documents interleave: one case's rowid range holds the other's. */
function casesInterleave(dir: string, one: string, other: string): boolean {
  const store = EvidenceStore.openForReading(dir);
  try {
    const range = store.db.prepare(
      'SELECT min(id) AS first, max(id) AS last FROM search_documents WHERE case_id = ?',
    );
    const a = range.get(one) as { first: number; last: number };
    const b = range.get(other) as { first: number; last: number };
    return a.first <= b.last && b.first <= a.last;
  } finally {
    store.close();
  }
}

/** The id of a case of the store, or null when it has none of that number. */
function caseIdOf(dir: string, number: string): string | null {
  const store = EvidenceStore.openForReading(dir);
  try {
    return store.listCases().find((c) => c.number === number)?.id ?? null;
  } finally {
    store.close();
  }
}

/**
 * A block of a case searched, as the evidence list asks for it: the first one as a new search
 * (every match ranked again on each run), or the next one, which reuses what the search found.
 */
function listSearch(caseId: string, block: 'first' | 'next' = 'first') {
  return (db: EvidenceStore['db'], search: string) =>
    shownTotal(
      queryItemPage(
        db,
        caseId,
        {
          caseRef: caseId,
          search,
          sort: 'capturedAt',
          descending: false,
          offset: block === 'first' ? 0 : LIST_BLOCK,
          limit: LIST_BLOCK,
        },
        { reuse: block === 'next' },
      ),
    );
}

async function main(): Promise<void> {
  const kept = process.env.CUSTOS_BENCH_STORE;
  const base = kept ?? makeBenchDir('search');
  const storeDir = `${base}/store`;
  try {
    console.log(`Search benchmark: ${PAGES} captured pages in ${base}`);
    if (kept && fs.existsSync(`${storeDir}/custos.sqlite`)) {
      console.log('(the store kept in CUSTOS_BENCH_STORE: building skipped)');
      // A store kept from an older build is brought to this build's schema (its new indexes).
      EvidenceStore.openForWriting(storeDir).close();
    } else {
      const built = await timed(() => buildStore(storeDir, BIG_CASE));
      const indexed = await timed(() => derive(storeDir));
      printFigures('building', [
        ['pages', String(PAGES)],
        ['page text', mb(built.value.bytes)],
        ['store built (blobs, items, custody)', secs(built.seconds)],
        ['search deriver (all pages)', `${secs(indexed.seconds)} (${indexed.value} items)`],
        ['database with the index', mb(fs.statSync(`${storeDir}/custos.sqlite`).size)],
      ]);
    }
    if (!caseIdOf(storeDir, SMALL_CASE.number)) {
      await buildStore(storeDir, SMALL_CASE);
      await derive(storeDir);
    }
    const bigCase = caseIdOf(storeDir, BIG_CASE.number) ?? '';
    const smallCase = caseIdOf(storeDir, SMALL_CASE.number) ?? '';
    await interleaveCases(storeDir, bigCase);
    console.log(
      `the two cases' documents ${casesInterleave(storeDir, bigCase, smallCase) ? "interleave (a note on the big case's first item)" : 'do not interleave'}`,
    );
    printFigures(
      `searchItems (Search all cases, custos search): 20 best hits with snippets and the count, ${RUNS} runs each (goal: ${GOAL_MS} ms)`,
      timeQueries(storeDir, (db, query) => shownTotal(searchItems(db, { query, limit: 20 }))),
    );
    printFigures(
      `queryItemPage (the evidence list's search box, ${PAGES} items): first ${LIST_BLOCK} rows in capture order with snippets and the count, as a new search, ${RUNS} runs each`,
      timeQueries(storeDir, listSearch(bigCase)),
    );
    printFigures(
      `queryItemPage, the next ${LIST_BLOCK} rows of the same search (what it found reused), ${RUNS} runs each`,
      timeQueries(storeDir, listSearch(bigCase, 'next')),
    );
    printFigures(
      `searchItems in a case of ${SMALL_CASE.pages} items beside the ${PAGES}, ${RUNS} runs each`,
      timeQueries(storeDir, (db, query) =>
        shownTotal(searchItems(db, { query, caseId: smallCase, limit: 20 })),
      ),
    );
    printFigures(
      `queryItemPage in that case of ${SMALL_CASE.pages} items, ${RUNS} runs each`,
      timeQueries(storeDir, listSearch(smallCase)),
    );
    printLoadAverage();
  } finally {
    if (!kept) removeBenchDir(base);
  }
}

await main();
