/**
 * The worker thread of `integrity-thread.ts`: opens the store's database read-only, runs SQLite's
 * integrity check over it (`integrityFindings`, findings naming their tables), closes it and
 * answers with the findings, or with the error that stopped the check (its message and SQLite's
 * code, for the audit to name as "could not be checked"). It reads only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openReadableDatabase } from '../database.js';
import { integrityFindings } from '../integrity.js';
import { loadSqliteBindingFrom } from '../sqlite-binding.js';
import type { IntegrityAnswer, IntegrityJob } from './integrity-thread.js';

const job = workerData as IntegrityJob;
let answer: IntegrityAnswer;
try {
  loadSqliteBindingFrom(job.sqliteBinding);
  const db = openReadableDatabase(job.database);
  try {
    answer = { findings: integrityFindings(db, 'integrity_check') };
  } finally {
    db.close();
  }
} catch (error) {
  answer = {
    failed: {
      message: error instanceof Error ? error.message : String(error),
      code: typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : null,
    },
  };
}
parentPort?.postMessage(answer);
