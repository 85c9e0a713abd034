/**
 * Integrity-check benchmark: builds a store of ITEMS items (100,000 by default; one shared blob,
 * so the database, not the blob folder, is what grows) through the EvidenceStore API, then times
 * what a writer could run at open: `PRAGMA quick_check`, `PRAGMA integrity_check`, and the
 * quick_check of the evidence tables alone, each on a cold handle. The figures chose what writers
 * run (docs/ARCHITECTURE.md, "Integrity at open").
 *
 *   node --import tsx bench/integrity/run.ts [ITEMS]
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import { makeBenchDir, mb, printFigures, removeBenchDir, secs, timed } from '../support/bench-kit.js';

const ITEMS = Number(process.argv[2] ?? 100_000);
const ITEMS_PER_TRANSACTION = 1000;
/** The append-only tables: what a narrower check at open would cover. */
const EVIDENCE_TABLES = [
  'ledger',
  'investigators',
  'cases',
  'items',
  'artifacts',
  'annotations',
  'timestamp_tokens',
  'received_bundles',
  'received_custody',
  'received_keys',
];

async function buildStore(dir: string): Promise<void> {
  const store = EvidenceStore.openForWriting(dir, { create: true });
  try {
    store.init({ name: 'Bench Investigator', agency: 'Bench Unit', badge: null });
    const caseRow = store.createCase({ number: 'BENCH-INTEGRITY', title: 'Integrity benchmark' });
    const blob = await store.blobs.putBuffer(Buffer.from('one shared original\n'));
    for (let start = 0; start < ITEMS; start += ITEMS_PER_TRANSACTION) {
      store.transaction(() => {
        for (let i = start; i < Math.min(ITEMS, start + ITEMS_PER_TRANSACTION); i++) {
          store.addItem({
            caseId: caseRow.id,
            kind: 'import',
            source: `photo-${i}.jpg`,
            title: `Photo ${i} from the seller's page`,
            metadata: { originalName: `photo-${i}.jpg`, size: blob.size },
            artifacts: [
              {
                role: 'original',
                name: 'original.bin',
                mediaType: 'image/jpeg',
                size: blob.size,
                sha256: blob.sha256,
              },
            ],
          });
        }
      });
      process.stderr.write(`  built ${Math.min(ITEMS, start + ITEMS_PER_TRANSACTION)}/${ITEMS} items\r`);
    }
    process.stderr.write('\n');
  } finally {
    store.close();
  }
}

/** Runs one check on a fresh read-only handle, as a writer's open would. */
function check(file: string, sql: readonly string[]): Promise<{ value: unknown; seconds: number }> {
  return timed(() => {
    const db = new Database(file, { readonly: true });
    try {
      return sql.map((pragma) => db.pragma(pragma));
    } finally {
      db.close();
    }
  });
}

async function main(): Promise<void> {
  const base = makeBenchDir('integrity');
  const dir = `${base}/store`;
  try {
    console.log(`Integrity benchmark: building a store of ${ITEMS} items in ${base}`);
    const built = await timed(() => buildStore(dir));
    const file = storeLayout(dir).database;
    const size = fs.statSync(file).size;
    const quick = await check(file, ['quick_check']);
    const full = await check(file, ['integrity_check']);
    const evidence = await check(
      file,
      EVIDENCE_TABLES.map((table) => `quick_check("${table}")`),
    );
    printFigures('SQLite checks a writer could run at open', [
      ['items', String(ITEMS)],
      ['database', mb(size)],
      ['store built in', secs(built.seconds)],
      ['PRAGMA quick_check', secs(quick.seconds)],
      ['PRAGMA integrity_check', secs(full.seconds)],
      [`quick_check of the ${EVIDENCE_TABLES.length} evidence tables, one by one`, secs(evidence.seconds)],
    ]);
  } finally {
    removeBenchDir(base);
  }
}

await main();
