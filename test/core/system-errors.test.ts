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
import { WINDOW_AGAIN } from '../../electron/core/errors.js';
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
      /in use by another program \(SQLITE_BUSY\): close any other program that has it open .* and run the command again$/,
    );
    // The window's wording of the same message: only what to do differs.
    expect(describeSystemError(error)?.messageSaying(WINDOW_AGAIN)).toBe(
      describeSystemError(error)?.message.replace(/run the command again$/, 'try again'),
    );
  });

  it("every message that says to do it again says it in the window's words through messageSaying (full, read-only, cannot open, refused)", () => {
    for (const code of [
      'ENOSPC',
      'SQLITE_FULL',
      'SQLITE_READONLY',
      'SQLITE_CANTOPEN',
      'EACCES',
      'SQLITE_PERM',
    ]) {
      const described = describeSystemError(Object.assign(new Error(code), { code }));
      expect(described?.message, code).toMatch(/ and run the command again$/);
      expect(described?.messageSaying(WINDOW_AGAIN), code).toBe(
        described?.message.replace(/run the command again$/, 'try again'),
      );
    }
  });

  it('an I/O error and a refused permission say what happened and what to do', () => {
    const io = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
    expect(describeSystemError(io)?.message).toMatch(
      /failed to read or write \(SQLITE_IOERR_WRITE: disk I\/O error\); it may be failing\. Check it and copy the store/,
    );
    const refused = refusal('mkdir', '/s/blobs/ab');
    expect(describeSystemError(refused)?.message).toMatch(
      /permission was refused for \/s\/blobs\/ab \(EACCES\): your user account may not write there\. Give it write access/,
    );
  });

  it('a refused read (a folder listed, a file read or looked at) says the account may not read it, never that it may not write there', () => {
    for (const call of ['scandir', 'read', 'stat'])
      expect(describeSystemError(refusal(call, '/evidence/ad.jpg'))?.message).toBe(
        'permission was refused for /evidence/ad.jpg (EACCES): your user account may not read it. Give it read access (or choose another file) and run the command again',
      );
    // An open carries no flags: the importer, which only reads its source, says it was a read.
    expect(
      describeSystemError(refusal('open', '/evidence/ad.jpg'), undefined, { access: 'read' })?.message,
    ).toContain('may not read it');
  });

  it('a refused write (a rename, an unlink, an open of the folder being written) says the account may not write there', () => {
    for (const call of ['rename', 'unlink', 'write'])
      expect(describeSystemError(refusal(call, '/s/custos.sqlite'))?.message).toContain(
        'may not write there',
      );
    expect(describeSystemError(refusal('open', '/out/case.zip'), '/out')?.message).toContain(
      'may not write there',
    );
  });

  it('a refused open with nothing to say whether it read or wrote says the account may not read or write it', () => {
    expect(describeSystemError(refusal('open', '/s/custos.sqlite'))?.message).toBe(
      'permission was refused for /s/custos.sqlite (EACCES): your user account may not read or write it. Give it access (or choose another file or folder) and run the command again',
    );
    const sqlite = Object.assign(new Error('access permission denied'), { code: 'SQLITE_PERM' });
    expect(describeSystemError(sqlite)?.message).toContain('may not read or write it');
  });
});

/** A refused permission as Node reports it (the tests run as root, whom permissions do not stop). */
function refusal(syscall: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EACCES: permission denied, ${syscall} '${file}'`), {
    code: 'EACCES',
    errno: -13,
    syscall,
    path: file,
  });
}
