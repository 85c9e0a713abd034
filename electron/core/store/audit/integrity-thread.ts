/**
 * SQLite's integrity check of a store's database, run on a worker thread of its own. It is the
 * audit's one long synchronous step: one pragma, which SQLite cannot pause, reading every page and
 * comparing every index with its table (80 s for the 844 MB database of a 100,000-item store at
 * load 5, measured with --cpu-prof). On the thread that asked, that was the app's main process held
 * for as long, the window not answering and the audit's Cancel not seen until it returned. On its
 * own thread it leaves the caller free; a cancel answers at once.
 *
 * The thread opens the database by its path, with a connection of its own: it checks the file's
 * pages as they are when it starts (the same file as the audit's snapshot: a restore that renames
 * another database in meanwhile is seen by the audit's end, `restoreMovedAfter`, and the run is
 * audited again). A thread that cannot start or load runs the check on the calling thread instead,
 * with its failure in the log, so the audit's findings never depend on threads.
 */
import type { Worker } from 'node:worker_threads';
import { Cancelled, throwIfCancelled, untilCancelled } from '../../cancel.js';
import { threadModule } from '../../thread-module.js';
import { startWorker } from '../../worker-thread.js';
import { sqliteBindingFile } from '../sqlite-binding.js';

/** What the worker is started with. */
export interface IntegrityJob {
  readonly database: string;
  /** The better-sqlite3 addon this process loads (the app's own Electron build), or null. */
  readonly sqliteBinding: string | null;
}

/** The worker's one answer: the findings, or why the check could not run. */
export type IntegrityAnswer =
  | { readonly findings: string[] }
  | { readonly failed: { readonly message: string; readonly code: string | null } };

/**
 * The end of the last thread started. A cancelled check's thread runs on until SQLite's pragma
 * returns (a minute on a large store: it cannot be stopped inside it), reading every page with a
 * connection of its own; the next check waits for it rather than start a second whole-file read
 * beside it (the window's Audit, Cancel, Audit: two pragmas sharing two cores, and as many threads
 * and connections as presses).
 */
let lastThreadEnded: Promise<void> = Promise.resolve();

/**
 * The findings of `PRAGMA integrity_check` over the database at `database` (empty when sound), the
 * check run on a worker thread, once the thread of a check started before it has ended; `here`
 * runs it on the calling thread when no thread can. Rejects with the check's own error when it
 * could not run (SQLite's code kept), and with `Cancelled` at once when `signal` aborts: the thread
 * is told to stop, and ends when SQLite's pragma returns (it only reads, and holds no lock a writer
 * waits for under WAL).
 */
export async function integrityFindingsOnThread(
  database: string,
  here: () => string[],
  signal?: AbortSignal,
): Promise<string[]> {
  throwIfCancelled(signal);
  await (signal ? untilCancelled(lastThreadEnded, signal) : lastThreadEnded);
  const job: IntegrityJob = { database, sqliteBinding: sqliteBindingFile() };
  let worker: Worker;
  try {
    worker = startWorker(threadModule('integrity-worker', import.meta.url), { workerData: job });
  } catch (error) {
    return checkHere(here, error);
  }
  lastThreadEnded = new Promise((ended) => worker.once('exit', () => ended()));
  return new Promise<string[]>((resolve, reject) => {
    let answer: IntegrityAnswer | null = null;
    let failure: unknown = null;
    const onAbort = () => {
      void worker.terminate();
      reject(new Cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: IntegrityAnswer) => {
      answer = message;
    });
    worker.once('error', (error) => {
      failure = error;
    });
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return; // answered already
      if (answer && 'findings' in answer) resolve(answer.findings);
      else if (answer) reject(asError(answer.failed));
      // A thread that could not load its module (or died) checked nothing: the check runs here.
      else
        checkHere(here, failure ?? new Error(`the thread exited with code ${code} without answering`)).then(
          resolve,
          reject,
        );
    });
  });
}

/** The check on this thread, said in the log with the thread's failure, which would otherwise be lost. */
function checkHere(here: () => string[], threadFailure: unknown): Promise<string[]> {
  console.error(
    "audit: the integrity check's worker thread failed, so the check runs on the calling thread:",
    threadFailure,
  );
  try {
    return Promise.resolve(here());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The worker's failure as this thread would have thrown it (SQLite's code kept). */
function asError(failed: { readonly message: string; readonly code: string | null }): Error {
  const error: Error & { code?: string } = new Error(failed.message);
  if (failed.code) error.code = failed.code;
  return error;
}
