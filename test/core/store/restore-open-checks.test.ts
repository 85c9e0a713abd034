import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { SCHEMA_VERSION } from '../../../electron/core/store/migrations/index.js';
import { restoreStore } from '../../../electron/core/store/restore-store.js';
import { type StoreLayout, storeLayout } from '../../../electron/core/store/store-layout.js';
import { recreateAppendOnlyTriggers } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

// A restore puts a backup in place only once every check a writer's open makes has passed on the
// copy it is about to install, and once the store opens on it and records the restore: a refusal
// found after the database in place had been renamed aside once left the backup installed, the
// real database aside, no `store.restore` entry, and a message saying nothing was written.

let temp: TempStore | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  temp?.remove();
});

/** A store of 3 entries (init, case R-1, case R-2) and a backup folder of it taken at 2. */
function storeAndBackup(): { layout: StoreLayout; backupDir: string } {
  temp = makeTempStore({ caseNumber: 'R-1' });
  const backupDir = path.join(temp.base, 'backup');
  fs.cpSync(temp.dir, backupDir, { recursive: true });
  const store = temp.open();
  store.createCase({ number: 'R-2', title: 'after the backup' });
  store.close();
  return { layout: storeLayout(temp.dir), backupDir };
}

/** The store folder as a failed restore must leave it: its files (SQLite's -wal and -shm aside) and its ledger. */
function storeState(layout: StoreLayout): { files: string[]; ledger: string[] } {
  const reader = EvidenceStore.openForReading(layout.root);
  try {
    return {
      files: fs.readdirSync(layout.root).filter((f) => !/-(wal|shm)$/.test(f) && f !== 'writer.lock'),
      ledger: reader.ledger().map((e) => `${e.seq} ${e.action} ${e.hash}`),
    };
  } finally {
    reader.close();
  }
}

describe("a restore refused by a writer's open checks", () => {
  it('refuses a backup whose investigator row was edited away from its signed store.init, before anything is renamed, and changes nothing', async () => {
    const { layout, backupDir } = storeAndBackup();
    // The triggers are put back after the edit, as a careful forger would: the schema check that
    // refuses a backup without them would otherwise answer first.
    const triggers = recreateAppendOnlyTriggers(backupDir, 'investigators');
    const db = new Database(path.join(backupDir, 'custos.sqlite'));
    for (const trigger of ['investigators_no_update', 'investigators_no_delete'])
      db.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
    db.prepare("UPDATE investigators SET name = 'Eve Mallory'").run();
    db.exec(triggers);
    db.close();
    const before = storeState(layout);
    await expect(restoreStore(layout.root, backupDir, { acceptLoss: true })).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringMatching(
        /^the backup .*custos\.sqlite has an identity that does not match its signed custody ledger: Investigator Eve Mallory .*name is "Eve Mallory", custody entry 1 \(store\.init\) signed "Ana Ruiz"; nothing was restored$/,
      ),
    });
    expect(storeState(layout)).toEqual(before);
    expect(before.files.some((f) => f.includes('.replaced-') || f.includes('.restore-'))).toBe(false);
  });

  it('refuses with exit 2 a backup written by a newer Custos (a higher schema version), naming both versions, and changes nothing', async () => {
    const { layout, backupDir } = storeAndBackup();
    const db = new Database(path.join(backupDir, 'custos.sqlite'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = storeState(layout);
    await expect(restoreStore(layout.root, backupDir, { acceptLoss: true })).rejects.toMatchObject({
      kind: 'bad-input',
      message: expect.stringMatching(
        new RegExp(
          `the backup .* is schema version ${SCHEMA_VERSION + 1}, newer than this Custos understands \\(${SCHEMA_VERSION}\\); nothing was restored`,
        ),
      ),
    });
    expect(storeState(layout)).toEqual(before);
  });
});

describe('a restore that fails once the database in place was set aside', () => {
  // The failure is made by hand at one boundary (the rename that installs the backup's copy, as a
  // full or failing disk would refuse it); everything else is the real store on disk.
  function failRename(when: (from: string, to: string) => boolean): void {
    const rename = fs.renameSync;
    vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (when(String(from), String(to)))
        throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
      rename(from, to);
    });
  }

  it('puts the database that was in place back, with its ledger, and says the restore was undone and nothing was changed', async () => {
    const { layout, backupDir } = storeAndBackup();
    const before = storeState(layout);
    failRename((from) => from.includes('.restore-'));
    await expect(restoreStore(layout.root, backupDir, { acceptLoss: true })).rejects.toMatchObject({
      kind: 'failure',
      message: expect.stringMatching(
        /^the restore failed \(EIO: i\/o error, rename\) and was undone: the database that was in place is back, so nothing was changed$/,
      ),
    });
    vi.restoreAllMocks();
    expect(storeState(layout)).toEqual(before);
    EvidenceStore.openForWriting(layout.root).close(); // the anchor vouches for it: a writer opens it
  });

  it('names the set-aside database, and how to put it back, when it cannot be put back', async () => {
    const { layout, backupDir } = storeAndBackup();
    const ledgerBefore = storeState(layout).ledger;
    failRename((from) => from.includes('.restore-') || from.includes('.replaced-'));
    const error = await restoreStore(layout.root, backupDir, { acceptLoss: true }).catch((e) => e);
    vi.restoreAllMocks();
    const aside = fs.readdirSync(layout.root).filter((f) => /^custos\.sqlite\.replaced-[^-]+.*Z$/.test(f));
    expect(aside).toHaveLength(1);
    expect(error).toMatchObject({
      kind: 'failure',
      message: expect.stringMatching(
        new RegExp(
          `^the restore failed \\(EIO: i/o error, rename\\) after the database in place was set aside, and it could not be put back \\(EIO: i/o error, rename\\): it is kept as ${path.join(layout.root, aside[0] ?? '?').replace(/[.]/g, '\\.')}.*rename the set-aside file\\(s\\) back to custos\\.sqlite`,
        ),
      ),
    });
    // What the message says to do gives the store back whole.
    fs.renameSync(path.join(layout.root, aside[0] ?? '?'), layout.database);
    const wal = path.join(layout.root, `${aside[0]}-wal`);
    if (fs.existsSync(wal)) fs.renameSync(wal, `${layout.database}-wal`);
    expect(storeState(layout).ledger).toEqual(ledgerBefore);
  });
});
