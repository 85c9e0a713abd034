/**
 * Runs a store's migrations on a worker thread, so that the thread that asked (the app's main
 * process, which also keeps its window answering) stays free while a migration over every item
 * runs for tens of seconds in a large store. The migration is the same one transaction a writer's
 * open runs (`migrate`): a crash or a quit midway leaves the database as it was. A thread that
 * cannot start or load runs it on the calling thread instead, so the outcome never depends on
 * threads.
 */
import { Worker } from 'node:worker_threads';
import { CustosError, type ErrorKind } from '../errors.js';
import { threadModule } from '../thread-module.js';
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
    };

/** Migrates the database at `database` (a store's, under its writer lock) on a worker thread. */
export function migrateOnThread(database: string): Promise<void> {
  const { source, eval: isEval } = threadModule('store-upgrade-worker', import.meta.url);
  const job: UpgradeJob = { database, sqliteBinding: sqliteBindingFile() };
  let worker: Worker;
  try {
    worker = new Worker(source, { eval: isEval, workerData: job });
  } catch {
    return migrateHere(database);
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => Promise<void>) => {
      if (settled) return;
      settled = true;
      outcome().then(resolve, reject);
    };
    worker.once('message', (answer: UpgradeAnswer) =>
      settle(() => (answer.done ? Promise.resolve() : Promise.reject(asError(answer)))),
    );
    // A thread that could not load its module (or died) committed nothing: the migration runs here.
    worker.once('error', () => settle(() => migrateHere(database)));
    worker.once('exit', () => settle(() => migrateHere(database)));
  });
}

function migrateHere(database: string): Promise<void> {
  try {
    openWritableDatabase(database).close();
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The worker's failure as this thread would have thrown it (its kind, or SQLite's code, kept). */
function asError(answer: Extract<UpgradeAnswer, { done: false }>): Error {
  if (answer.kind) return new CustosError(answer.kind, answer.message);
  const error = new Error(answer.message) as Error & { code?: string };
  if (answer.code) error.code = answer.code;
  return error;
}
