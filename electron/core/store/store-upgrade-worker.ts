/**
 * The worker thread of `store-upgrade.ts`: opens the store's database for writing, which migrates
 * it to this Custos's schema in one transaction, closes it and says it is done. A failure answers
 * with its kind and message (whether the migration had committed is read from the database by the
 * caller once this thread has exited); a thread stopped midway (the app quit) commits nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CustosError } from '../errors.js';
import { openWritableDatabase } from './database.js';
import { loadSqliteBindingFrom } from './sqlite-binding.js';
import type { UpgradeAnswer, UpgradeJob } from './store-upgrade.js';

const job = workerData as UpgradeJob;
let answer: UpgradeAnswer;
try {
  loadSqliteBindingFrom(job.sqliteBinding);
  const db = openWritableDatabase(job.database);
  db.close();
  answer = { done: true };
} catch (error) {
  answer = {
    done: false,
    kind: error instanceof CustosError ? error.kind : null,
    code: typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : null,
    message: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? (error.stack ?? null) : null,
  };
}
parentPort?.postMessage(answer);
