/**
 * Runs a store's migrations on a worker thread, so that the thread that asked (the app's main
 * process, which also keeps its window answering) stays free while a migration over every item
 * runs for tens of seconds in a large store. The migration is the same one transaction a writer's
 * open runs (`migrate`): a crash or a quit midway leaves the database as it was. A thread that
 * cannot start, load or finish runs it on the calling thread instead, once the thread has exited
 * and with its failure in the log, so the outcome never depends on threads.
 */
import type { Worker } from 'node:worker_threads';
import { CustosError, type ErrorKind } from '../errors.js';
import { threadModule } from '../thread-module.js';
import { startWorker } from '../worker-thread.js';
import { openWritableDatabase } from './database.js';
import { sqliteBindingFile } from './sqlite-binding.js';

/** What the worker is started with. */
export interface UpgradeJob {
  readonly database: string;
  /** The better-sqlite3 addon this process loads (the app's own Electron build), or null. */
  readonly sqliteBinding: string | null;
}

/** The worker's one answer. */
export type UpgradeAnswer =
  | { readonly done: true }
  | {
      readonly done: false;
      readonly kind: ErrorKind | null;
      readonly code: string | null;
      readonly message: string;
      /** Where it failed, on the worker thread (kept in the error this thread throws). */
      readonly stack: string | null;
    };

/** Where a migration ran: on its worker thread, or here, on the calling thread, when no thread could run it. */
export type MigrationSite = 'thread' | 'here';

/**
 * A migration that failed. Whether it had committed first is not known from where it failed (a
 * COMMIT whose fsync failed can leave frames in the write-ahead log that the next open applies):
 * the caller reads the schema version on disk (`EvidenceStore.upgradeOnThread`).
 */
export class MigrationFailed extends Error {
  constructor(readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure), { cause: failure });
    this.name = 'MigrationFailed';
  }
}

/**
 * Migrates the database at `database` (a store's, under its writer lock) on a worker thread, and
 * says where it ran; a failure is a `MigrationFailed`. Settled only once the thread has exited, so that its connection (and any
 * transaction it left open when it died) has let the database go before anything else opens it.
 */
export function migrateOnThread(database: string): Promise<MigrationSite> {
  const code = threadModule('store-upgrade-worker', import.meta.url);
  const job: UpgradeJob = { database, sqliteBinding: sqliteBindingFile() };
  let worker: Worker;
  try {
    worker = startWorker(code, { workerData: job });
  } catch (error) {
    return migrateHere(database, error);
  }
  return new Promise((resolve, reject) => {
    let answer: UpgradeAnswer | null = null;
    let failure: unknown = null;
    worker.once('message', (message: UpgradeAnswer) => {
      answer = message;
    });
    worker.once('error', (error) => {
      failure = error;
    });
    worker.once('exit', (code) => {
      if (answer?.done) resolve('thread');
      else if (answer) reject(new MigrationFailed(asError(answer)));
      // A thread that could not load its module (or died) committed nothing: the migration runs here.
      else
        migrateHere(
          database,
          failure ?? new Error(`the thread exited with code ${code} without answering`),
        ).then(resolve, reject);
    });
  });
}

/** The migration on this thread, said in the log with the thread's failure, which would otherwise be lost. */
function migrateHere(database: string, threadFailure: unknown): Promise<MigrationSite> {
  console.error(
    'store upgrade: its worker thread failed, so the migration runs on the main thread:',
    threadFailure,
  );
  try {
    openWritableDatabase(database).close();
    return Promise.resolve('here');
  } catch (error) {
    return Promise.reject(new MigrationFailed(error));
  }
}

/** The worker's failure as this thread would have thrown it (its kind, or SQLite's code, and its stack kept). */
function asError(answer: Extract<UpgradeAnswer, { done: false }>): Error {
  const error: Error & { code?: string } = answer.kind
    ? new CustosError(answer.kind, answer.message)
    : new Error(answer.message);
  if (!answer.kind && answer.code) error.code = answer.code;
  if (answer.stack) error.stack = answer.stack;
  return error;
}
