import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { Cancelled } from '../../../electron/core/cancel.js';
import { integrityFindingsOnThread } from '../../../electron/core/store/audit/integrity-thread.js';
import { integrityFindings } from '../../../electron/core/store/integrity.js';
import { makeTempDir, removeTempDir } from '../../support/temp-store.js';

// The audit's SQLite integrity check (a minute on a large store) runs on a worker thread of its
// own, so that the app's main process, which asked, keeps its window answering and sees a Cancel at
// once. Each test holds the database locked from this thread (another program's exclusive lock):
// the check waits on it (SQLite's busy timeout, 10 s) where the test can see whether this thread
// is free meanwhile. Run on this thread, the check would hold it through the whole wait.

let dir: string | undefined;
afterEach(() => {
  if (dir) removeTempDir(dir);
  dir = undefined;
});

/** A database in rollback-journal mode (a lock there keeps readers out), with a table and an index, held locked by a connection of this thread. */
function lockedDatabase(): { file: string; holder: Database.Database } {
  dir = makeTempDir('custos-integrity-');
  const file = path.join(dir, 'custos.sqlite');
  const holder = new Database(file);
  holder.exec(
    'CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT); CREATE INDEX items_by_title ON items (title);',
  );
  holder.prepare('INSERT INTO items (title) VALUES (?)').run('RB-1');
  holder.exec('BEGIN EXCLUSIVE');
  return { file, holder };
}

/** The check run here, on this thread: what the thread falls back to when no thread can run it. */
const onThisThread = (file: string) => () => {
  const db = new Database(file, { readonly: true, timeout: 10_000 });
  try {
    return integrityFindings(db, 'integrity_check');
  } finally {
    db.close();
  }
};

/** Starts the check on `file`, cancels it 100 ms later, while its thread waits on the lock, and expects `Cancelled` at once. */
async function expectCancelledWhileRunning(file: string): Promise<void> {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  await expect(integrityFindingsOnThread(file, onThisThread(file), controller.signal)).rejects.toBeInstanceOf(
    Cancelled,
  );
}

describe("the audit's integrity check on a thread of its own", { timeout: 30_000 }, () => {
  test('leaves the thread that asked free while it runs: a lock this thread lets go of meanwhile is waited for, and the check answers with no findings', async () => {
    const { file, holder } = lockedDatabase();
    try {
      setTimeout(() => holder.exec('ROLLBACK'), 200); // runs only if this thread is free
      await expect(integrityFindingsOnThread(file, onThisThread(file))).resolves.toEqual([]);
    } finally {
      holder.close();
    }
  });

  test('answers a cancel given while it runs at once, with Cancelled, not with what the check later finds', async () => {
    const { file, holder } = lockedDatabase();
    try {
      await expectCancelledWhileRunning(file);
    } finally {
      holder.close();
    }
  });

  test("starts no second thread beside a cancelled check's, which runs on until SQLite's pragma returns: the next check waits for it to end", async () => {
    const { file, holder } = lockedDatabase();
    const threads: Worker[] = [];
    const ended = new Set<Worker>();
    let startedBesideAnother = false;
    const onWorker = (worker: Worker) => {
      if (threads.some((thread) => !ended.has(thread))) startedBesideAnother = true;
      threads.push(worker);
      worker.once('exit', () => ended.add(worker));
    };
    process.on('worker', onWorker);
    try {
      await expectCancelledWhileRunning(file);
      // The cancelled thread still waits on the lock (its pragma cannot be stopped) until this lets go.
      setTimeout(() => holder.exec('ROLLBACK'), 300);
      await expect(integrityFindingsOnThread(file, onThisThread(file))).resolves.toEqual([]);
      expect(threads).toHaveLength(2);
      expect(startedBesideAnother).toBe(false);
    } finally {
      process.off('worker', onWorker);
      holder.close();
    }
  });

  test('says why it could not run, with SQLite code, as the check on this thread would', async () => {
    dir = makeTempDir('custos-integrity-');
    const file = path.join(dir, 'custos.sqlite');
    await expect(integrityFindingsOnThread(file, onThisThread(file))).rejects.toMatchObject({
      code: 'SQLITE_CANTOPEN',
    });
  });
});
