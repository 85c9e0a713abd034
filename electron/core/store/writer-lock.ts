import fs from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { CustosError, operationFailure } from '../errors.js';
import { withSqliteBinding } from './sqlite-binding.js';

/** How long a writer waits for another process's writer lock before it gives up (the CLI's and the app's). */
export const WRITER_LOCK_WAIT_MS = 5_000;

/**
 * How often a waiting writer asks again: a free lock is taken within this much of its release
 * (SQLite's own busy handler, which this replaces, slept 1 to 100 ms between its tries); a try is
 * one open of the small lock database, well under a millisecond.
 */
const LOCK_RETRY_MS = 50;

/** How a caller waits for a writer lock another process holds. */
export interface LockWait {
  /** Gives up after this long (default `WRITER_LOCK_WAIT_MS`; Infinity waits until `signal` aborts). */
  readonly waitMs?: number;
  /** Asks again this often (default 50 ms). */
  readonly retryMs?: number;
  /** Told, each time the lock is found held, who holds it (null when unknown). */
  readonly onHeld?: (holder: string | null) => void;
  /**
   * Aborted when the caller stops (the app is closing): the pause's timer is cleared at once, the
   * wait ends holding nothing, and no new try for the lock is made.
   */
  readonly signal?: AbortSignal;
}

/** Who holds a store's writer lock, as told to a process that has to wait. */
interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
}

/**
 * One writing process per store. The lock is SQLite's own exclusive file lock on a small side
 * database: the operating system drops it when the process dies, even by SIGKILL, so a crash never
 * leaves a stale lock behind (a lock file with a PID in it would). Readers do not take it: WAL lets
 * them read a consistent snapshot while a writer works.
 */
export class WriterLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly infoFile: string,
  ) {}

  /**
   * Takes the lock, waiting for another writer to finish without blocking the thread: it is asked
   * for at once, then again every `retryMs` (a timer, so that the app's main process keeps
   * answering its windows meanwhile), for up to `waitMs`; past that, a clear error naming the
   * holder and what to do. A `signal` already aborted takes nothing: it is looked at before each try.
   */
  static async acquire(lockFile: string, infoFile: string, wait: LockWait = {}): Promise<WriterLock> {
    const deadline = performance.now() + (wait.waitMs ?? WRITER_LOCK_WAIT_MS);
    for (;;) {
      // Before every try, the first included: a caller that has stopped must not come to hold the lock.
      if (wait.signal?.aborted) throw stoppedWaiting();
      const lock = WriterLock.take(lockFile, infoFile);
      if (lock) return lock;
      const holder = lockHolder(infoFile);
      const left = deadline - performance.now();
      if (left <= 0) throw new WriterLockHeld(holder);
      wait.onHeld?.(holder);
      await sleep(Math.min(wait.retryMs ?? LOCK_RETRY_MS, left), undefined, { signal: wait.signal }).catch(
        () => undefined,
      );
    }
  }

  /**
   * Takes the lock if no other process holds it, without waiting (for a caller that must know in
   * the same turn of the event loop); null when another process holds it.
   */
  static tryAcquire(lockFile: string, infoFile: string): WriterLock | null {
    return WriterLock.take(lockFile, infoFile);
  }

  /**
   * Takes the lock at once, or throws the error `acquire` gives past its wait: for a process that
   * holds the store alone (a test's or a benchmark's setup), never one that shares it.
   */
  static acquireNow(lockFile: string, infoFile: string): WriterLock {
    const lock = WriterLock.take(lockFile, infoFile);
    if (lock) return lock;
    throw new WriterLockHeld(lockHolder(infoFile));
  }

  /** One try: SQLite's busy timeout is 0, so a held lock is answered at once, never slept on. */
  private static take(lockFile: string, infoFile: string): WriterLock | null {
    const db = new Database(lockFile, withSqliteBinding({ timeout: 0 }));
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
      throw error;
    }
    const holder: LockHolder = {
      pid: process.pid,
      host: hostname(),
      command: process.argv.slice(2).join(' ').slice(0, 200) || 'custos',
      since: new Date().toISOString(),
    };
    try {
      fs.writeFileSync(infoFile, `${JSON.stringify(holder)}\n`);
    } catch (error) {
      db.close(); // else the lock stays held by this process with no one to release it
      throw error;
    }
    return new WriterLock(db, infoFile);
  }

  /** Releases the lock. */
  release(): void {
    if (!this.db.open) return;
    try {
      fs.rmSync(this.infoFile, { force: true });
    } finally {
      this.db.close();
    }
  }
}

/** The error of a wait its caller stopped (the app is closing). */
function stoppedWaiting(): Error {
  return operationFailure("stopped waiting for the store's writer lock: Custos is closing; nothing was done");
}

/** The error of a writer that could not have the lock within its wait: who holds it and what to do. */
export class WriterLockHeld extends CustosError {
  constructor(holder: string | null) {
    super(
      'failure',
      `the store is in use by another Custos process${holder ? ` (${holder})` : ''}; wait for it to finish, or close it, and try again`,
    );
  }
}

/**
 * Whether another process holds the writer lock now, and who (`lockHolder`'s words, null when it
 * wrote nothing down); null when no one does, or when this process does (its info file says so).
 * For a reader, which takes no lock and writes nothing: one read-only open of the lock database,
 * its busy timeout 0, so a held lock is answered at once and a missing lock file (no writer ever
 * opened the store) is neither made nor held. A writer that tries for the lock during that read
 * finds it busy and asks again 50 ms later, as it does for another writer.
 */
export function currentLockHolder(
  lockFile: string,
  infoFile: string,
): { readonly holder: string | null } | null {
  let db: Database.Database | undefined;
  try {
    db = new Database(lockFile, withSqliteBinding({ readonly: true, fileMustExist: true, timeout: 0 }));
    db.pragma('schema_version', { simple: true }); // takes SQLite's shared lock, which the holder's excludes
    return null;
  } catch (error) {
    // No lock file, or one this account cannot open: no writer to wait for.
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') return null;
    const holder = readHolder(infoFile);
    // This process's own lock (the app's writer beside its reader): not another's.
    if (holder?.pid === process.pid && holder.host === hostname()) return null;
    return { holder: holder && describeHolder(holder) };
  } finally {
    db?.close();
  }
}

/** Who holds the writer lock, as its holder wrote it down ("pid 123 on host, "command", since …"), or null. */
export function lockHolder(infoFile: string): string | null {
  const holder = readHolder(infoFile);
  return holder && describeHolder(holder);
}

function describeHolder(holder: LockHolder): string {
  return `pid ${holder.pid} on ${holder.host}, "${holder.command}", since ${holder.since}`;
}

function readHolder(infoFile: string): LockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(infoFile, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}
