/**
 * The plain messages for a failure of the disk or of SQLite's file, from real SQLite errors where
 * this machine can cause them (a full database, a read-only connection, a file that is no database,
 * another connection's write transaction). An I/O error and a refused permission cannot be caused
 * here (no failing disk; the tests run as root, whom permissions do not stop): their errors are
 * made with the codes the system gives.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreUpgradeFailed } from '../../electron/core/store/store-upgrade-failure.js';
import { describeSystemError } from '../../electron/core/system-errors.js';
import { makeTempDir, removeTempDir } from '../support/temp-store.js';

/** What `run` threw. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('it did not throw');
}

describe('describeSystemError', () => {
  let base: string;
  let file: string;
  beforeEach(() => {
    base = makeTempDir();
    file = path.join(base, 'custos.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x BLOB)');
    db.close();
  });
  afterEach(() => removeTempDir(base));

  it('a full database (SQLITE_FULL) says the disk is full and to free space', () => {
    const db = new Database(file);
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
    const error = thrownBy(() => db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(64 * 1024)));
    db.close();
    expect((error as { code: string }).code).toBe('SQLITE_FULL');
    expect(describeSystemError(error)?.message).toMatch(/the disk is full \(SQLITE_FULL\).*Free some space/);
  });

  it('a full disk met after an upgrade committed gives a reason that never says nothing was kept, as the card says the store was updated', () => {
    const db = new Database(file);
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
    const error = thrownBy(() => db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(64 * 1024)));
    db.close();

    const beforeCommit = new StoreUpgradeFailed(16, 19, error, null);
    expect(beforeCommit.message).toMatch(/the disk is full \(SQLITE_FULL\); nothing was kept of this write/);
    // Before, the "updated, but not everything finished" card gave this reason too.
    const afterCommit = new StoreUpgradeFailed(16, 19, error, 'closing');
    expect(afterCommit.message).toMatch(/^the disk is full \(SQLITE_FULL\)\. Free some space/);
    expect(afterCommit.message).not.toMatch(/nothing was/);
  });

  it('a database that cannot be written (SQLITE_READONLY) says so and to give the account write access', () => {
    const db = new Database(file, { readonly: true });
    const error = thrownBy(() => db.prepare('INSERT INTO t VALUES (1)').run());
    db.close();
    expect((error as { code: string }).code).toBe('SQLITE_READONLY');
    expect(describeSystemError(error)?.message).toMatch(
      /cannot be written \(SQLITE_READONLY\): its disk is read-only, or its files' permissions .*Give your account write access/,
    );
  });

  it('a file that is no database (SQLITE_NOTADB) is a damaged database: an integrity failure saying what to do', () => {
    fs.writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const error = thrownBy(() => new Database(file).pragma('user_version'));
    expect((error as { code: string }).code).toBe('SQLITE_NOTADB');
    const described = describeSystemError(error);
    expect(described?.kind).toBe('integrity');
    expect(described?.message).toMatch(/the store's database is damaged.*restore the database from a backup/);
  });

  it('a database another connection is writing (SQLITE_BUSY) says another program has it open and to close it', () => {
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    const other = new Database(file, { timeout: 0 });
    const error = thrownBy(() => other.exec('BEGIN IMMEDIATE'));
    other.close();
    holder.close();
    expect((error as { code: string }).code).toBe('SQLITE_BUSY');
    expect(describeSystemError(error)?.message).toMatch(
      /in use by another program \(SQLITE_BUSY\): close any other program that has it open/,
    );
  });

  it('an I/O error and a refused permission say what happened and what to do', () => {
    const io = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
    expect(describeSystemError(io)?.message).toMatch(
      /failed to read or write \(SQLITE_IOERR_WRITE: disk I\/O error\); it may be failing\. Check it and copy the store/,
    );
    const refused = Object.assign(new Error("EACCES: permission denied, open '/s/custos.sqlite'"), {
      code: 'EACCES',
      path: '/s/custos.sqlite',
    });
    expect(describeSystemError(refused)?.message).toMatch(
      /permission was refused for \/s\/custos\.sqlite \(EACCES\): your user account may not write there\. Give it write access/,
    );
  });
});
