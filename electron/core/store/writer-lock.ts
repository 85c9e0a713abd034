import fs from 'node:fs';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { operationFailure } from '../errors.js';
import { withSqliteBinding } from './sqlite-binding.js';

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

  /** Takes the lock, waiting up to `waitMs` for another writer to finish; a clear error otherwise. */
  static acquire(lockFile: string, infoFile: string, waitMs = 5_000): WriterLock {
    const lock = WriterLock.take(lockFile, infoFile, waitMs);
    if (lock) return lock;
    const holder = lockHolder(infoFile);
    throw operationFailure(
      `the store is in use by another Custos process${holder ? ` (${holder})` : ''}; wait for it to finish, or close it, and try again`,
    );
  }

  /**
   * Takes the lock if no other process holds it, without waiting (a caller that must not block its
   * thread asks again later); null when another process holds it.
   */
  static tryAcquire(lockFile: string, infoFile: string): WriterLock | null {
    return WriterLock.take(lockFile, infoFile, 0);
  }

  private static take(lockFile: string, infoFile: string, waitMs: number): WriterLock | null {
    const db = new Database(lockFile, withSqliteBinding({ timeout: waitMs }));
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

/** Who holds the writer lock, as its holder wrote it down ("pid 123 on host, "command", since …"), or null. */
export function lockHolder(infoFile: string): string | null {
  try {
    const holder = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as LockHolder;
    return `pid ${holder.pid} on ${holder.host}, "${holder.command}", since ${holder.since}`;
  } catch {
    return null;
  }
}
