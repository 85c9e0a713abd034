/**
 * What writing a search document costs in a large store (its FTS5 row and its impact lists'
 * rows): `writeSearchDocument` for 2,000 of a kept bench store's items, spread over it, each
 * written again as it is (as a note or tag added to it does), with its phone numbers' and IBANs'
 * written forms (`indexedIdentifiers`, read and passed as the deriver does), in one transaction
 * that is then rolled back, so the store is left as it was. Prints the CPU time and wall time a
 * document, for each of a few rounds.
 *
 *   CUSTOS_BENCH_STORE=DIR node --import tsx bench/search/write-cost.ts [DOCUMENTS] [ROUNDS]
 *
 * DIR is a store `bench/search/run.ts` built and kept (its `store` folder inside).
 */
import { indexedIdentifiers } from '../../electron/core/search/identifiers.js';
import { type SearchDocument, writeSearchDocument } from '../../electron/core/search/search-deriver.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { printFigures, printLoadAverage } from '../support/bench-kit.js';

const DOCUMENTS = Number(process.argv[2] ?? 2_000);
const ROUNDS = Number(process.argv[3] ?? 5);

/** Thrown to roll the round's transaction back. */
class RollBack extends Error {}

function main(): void {
  const kept = process.env.CUSTOS_BENCH_STORE;
  if (!kept) throw new Error('set CUSTOS_BENCH_STORE to a store bench/search/run.ts built and kept');
  const store = EvidenceStore.openForWriting(`${kept}/store`);
  try {
    // every step-th document in id order (ids are not dense: each case's are in its own block)
    const ids = store.db.prepare('SELECT id FROM search_documents ORDER BY id').pluck().all() as number[];
    const count = ids.length;
    const step = Math.max(1, Math.floor(count / DOCUMENTS));
    const chosen = ids.filter((_, i) => (i + 1) % step === 0).slice(0, DOCUMENTS);
    const documents = store.db
      .prepare(
        `SELECT item_id AS itemId, case_id AS caseId, title, url, body, notes, tags
         FROM search_documents WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      )
      .all(JSON.stringify(chosen)) as (SearchDocument & { itemId: string; caseId: string })[];
    const rows: [string, string][] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      try {
        store.transaction((db) => {
          for (const { itemId, caseId, ...document } of documents) {
            // with the item's phone numbers and IBANs in every written form, as the deriver writes it
            writeSearchDocument(db, itemId, caseId, document, indexedIdentifiers(db, itemId));
          }
          throw new RollBack();
        });
      } catch (error) {
        if (!(error instanceof RollBack)) throw error;
      }
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1e3;
      rows.push([
        `round ${round}`,
        `${(cpuMs / documents.length).toFixed(3)} ms CPU, ${(wallMs / documents.length).toFixed(3)} ms wall a document`,
      ]);
    }
    printFigures(`writeSearchDocument, ${documents.length} documents of ${count} written again`, rows);
    printLoadAverage();
  } finally {
    store.close();
  }
}

main();
