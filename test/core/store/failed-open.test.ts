import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { closedOnFailure } from '../../../electron/core/store/database.js';
import { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { SCHEMA_VERSION } from '../../../electron/core/store/migrations/index.js';
import { storeLayout } from '../../../electron/core/store/store-layout.js';
import { addTableOfMissingModule, sqliteShell } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

// An open that fails after it opened the database must close it: a handle left open keeps the
// file (and its write-ahead log) held by a process that goes on running (the app's main process,
// whose next open would hold a second), and on Windows keeps the user from moving it aside.

let temp: TempStore | undefined;
afterEach(() => temp?.remove());

/** How many of this process's file descriptors are open on `file` (/proc/self/fd). */
function descriptorsOn(file: string): number {
  const real = fs.realpathSync(file);
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === real;
    } catch {
      return false; // the descriptor readdir itself used, closed since
    }
  }).length;
}

/**
 * A store whose recorded schema version was set back one and which holds a table SQLite cannot
 * read (a virtual table of a module it lacks, written into the schema by hand): the checks before
 * the open pass, a reader's open reads the schema to see whether the version was set back, meets
 * "no such module" and refuses the store (an integrity failure naming it). (The audit's open reads
 * on, for its checks to name it.)
 */
function storeFailingTheReaderOpen(): string {
  temp = makeTempStore({ caseNumber: 'FO-1' });
  addTableOfMissingModule(temp.dir);
  sqliteShell(temp.dir, `PRAGMA user_version = ${SCHEMA_VERSION - 1};`);
  return temp.dir;
}

describe('a store open that fails after opening the database', () => {
  for (const [name, open] of [
    ["openForReading (the CLI's reads)", (dir: string) => EvidenceStore.openForReading(dir)],
    [
      'openForReadingWhenSettled (a read beside a restore)',
      (dir: string) => EvidenceStore.openForReadingWhenSettled(dir),
    ],
  ] as const)
    it(`${name} closes the database it opened when a read after the open throws`, async () => {
      const dir = storeFailingTheReaderOpen();
      const database = storeLayout(dir).database;
      expect(descriptorsOn(database)).toBe(0);
      await expect(async () => (await open(dir)).close()).rejects.toThrow(/no such module: nosuchmodule/);
      expect(descriptorsOn(database)).toBe(0);
    });
});

it("an open refused after its database was opened reports the refusal's reason, not the close's, when closing the database fails too", () => {
  let closes = 0;
  const failingClose = {
    close(): void {
      closes += 1;
      throw new Error('disk I/O error while closing');
    },
  };
  expect(() =>
    closedOnFailure(failingClose, () => {
      throw new Error("this store's database is schema version 17");
    }),
  ).toThrow("this store's database is schema version 17");
  expect(closes).toBe(1);
});
