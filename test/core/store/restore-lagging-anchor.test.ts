import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { restoreStore } from '../../../electron/core/store/restore-store.js';
import { storeLayout } from '../../../electron/core/store/store-layout.js';
import { appendForeignEntries, ledgerOf } from '../../support/forged-ledger.js';
import { openRawDatabase } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

// store.json is rewritten at most once a second during a batch, so a writer killed in that window
// leaves a database that extends the anchor by a few entries (a normal open accepts that and
// catches the anchor up). A restore must count those entries as what the backup has to reach: a
// backup that only reaches the lagging anchor would otherwise drop them with "0 lost".

let temp: TempStore | undefined;
afterEach(() => temp?.remove());

/** A store backed up, then given two more cases, whose store.json is put back to the backup's time (a writer killed within the anchor interval). */
async function storeWithLaggingAnchor(): Promise<{
  dir: string;
  backupFile: string;
  liveCount: number;
  liveHead: string;
}> {
  temp = makeTempStore({ caseNumber: 'B-1' });
  const layout = storeLayout(temp.dir);
  const backupFile = `${temp.base}/backup.sqlite`;
  const raw = openRawDatabase(temp.dir, { readonly: true });
  await raw.backup(backupFile);
  raw.close();
  const anchorAtBackup = fs.readFileSync(layout.anchor);
  const store = temp.open();
  store.createCase({ number: 'B-2', title: 'after the backup' });
  store.createCase({ number: 'B-3', title: 'after the backup' });
  store.close();
  fs.writeFileSync(layout.anchor, anchorAtBackup);
  const live = ledgerOf(temp.dir); // the live store still opens: its database extends the anchor
  return { dir: temp.dir, backupFile, liveCount: live.length, liveHead: live.at(-1)?.hash ?? '' };
}

describe('restoring a backup when store.json lags the database in place', () => {
  it('refuses without --accept-loss, naming the entries of the database in place the backup lacks, and changes nothing', async () => {
    const made = await storeWithLaggingAnchor();
    const before = fs.readFileSync(storeLayout(made.dir).database);
    await expect(restoreStore(made.dir, made.backupFile)).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringMatching(
        new RegExp(
          `holds ${made.liveCount - 2} of the ${made.liveCount} custody entries the database in place holds .*the 2 after entry ${made.liveCount - 2} would be lost.*--accept-loss`,
        ),
      ),
    });
    expect(fs.readFileSync(storeLayout(made.dir).database)).toEqual(before);
    expect(
      ledgerOf(made.dir)
        .map((e) => e.hash)
        .at(-1),
    ).toBe(made.liveHead);
  });

  it('with --accept-loss counts the entries of the database in place as lost and records its head in the store.restore entry', async () => {
    const made = await storeWithLaggingAnchor();
    const outcome = await restoreStore(made.dir, made.backupFile, { acceptLoss: true });
    expect(outcome).toMatchObject({
      lostEntries: 2,
      live: { count: made.liveCount, headHash: made.liveHead },
      liveNotUsed: null,
    });
    expect(outcome.setAside).not.toBeNull();
    expect(ledgerOf(made.dir).at(-1)).toMatchObject({
      action: 'store.restore',
      details: { lostEntries: 2, live: { count: made.liveCount, headHash: made.liveHead } },
    });
  });

  it('checks against store.json, and says so, when the database in place cannot be read', async () => {
    const made = await storeWithLaggingAnchor();
    const layout = storeLayout(made.dir);
    fs.writeFileSync(layout.database, 'garbage where the database was');
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${layout.database}${suffix}`, { force: true });
    const outcome = await restoreStore(made.dir, made.backupFile);
    expect(outcome).toMatchObject({ lostEntries: 0, live: null });
    expect(outcome.liveNotUsed).toMatch(/the database in place cannot be read/);
    expect(ledgerOf(made.dir).at(-1)?.details).not.toHaveProperty('live');
    expect(ledgerOf(made.dir).at(-1)?.details.liveNotUsed).toBe(outcome.liveNotUsed);
  });

  it('refuses, even with --accept-loss, a backup of a forked copy of the store that is longer than store.json but shorter than the database in place', async () => {
    const made = await forkedHistories({ forkAfterAnchor: false });
    const before = fs.readFileSync(made.database);
    await expect(restoreStore(made.dir, made.forkBackup, { acceptLoss: true })).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringMatching(
        new RegExp(
          `holds another history: its entry ${made.anchoredCount} is not the one store.json records`,
        ),
      ),
    });
    expect(fs.readFileSync(made.database)).toEqual(before);
  });

  it('refuses, even with --accept-loss, a backup that shares the anchored head but then departs from the database in place', async () => {
    const made = await forkedHistories({ forkAfterAnchor: true });
    const before = fs.readFileSync(made.database);
    await expect(restoreStore(made.dir, made.forkBackup, { acceptLoss: true })).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringMatching(
        /holds another history: its entry \d+ is not the one the database in place holds/,
      ),
    });
    expect(fs.readFileSync(made.database)).toEqual(before);
  });

  it('does not take entries signed by a key someone added to the database in place as what the backup must reach', async () => {
    const made = await storeWithLaggingAnchor();
    const anchoredCount = made.liveCount - 2;
    appendForeignEntries(made.dir, 5);
    const outcome = await restoreStore(made.dir, made.backupFile);
    expect(outcome).toMatchObject({ backupEntries: anchoredCount, lostEntries: 0, live: null });
    expect(outcome.liveNotUsed).toMatch(/does not extend store.json: its ledger entry \d+ .*unknown key/);
    expect(ledgerOf(made.dir).at(-1)).toMatchObject({
      action: 'store.restore',
      details: { lostEntries: 0, liveNotUsed: outcome.liveNotUsed },
    });
  });

  it("refuses a backup whose entries after store.json's head are signed by a key that is not this workstation's", async () => {
    temp = makeTempStore({ caseNumber: 'K-1' });
    const backupDir = path.join(temp.base, 'backup');
    fs.cpSync(temp.dir, backupDir, { recursive: true });
    appendForeignEntries(backupDir, 2, { listKey: false });
    const before = fs.readFileSync(storeLayout(temp.dir).database);
    await expect(restoreStore(temp.dir, backupDir, { acceptLoss: true })).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringMatching(
        /has a custody ledger that does not verify \(ledger entry \d+: .*unknown key/,
      ),
    });
    expect(fs.readFileSync(storeLayout(temp.dir).database)).toEqual(before);
  });

  it('stops with "busy" (exit 3), restoring nothing, when another program holds the database in place locked', {
    timeout: 60_000,
  }, async () => {
    const made = await storeWithLaggingAnchor();
    const holder = openRawDatabase(made.dir);
    try {
      holder.pragma('locking_mode = EXCLUSIVE');
      holder.exec('BEGIN EXCLUSIVE');
      await expect(restoreStore(made.dir, made.backupFile, { acceptLoss: true })).rejects.toMatchObject({
        kind: 'failure',
        message: expect.stringMatching(/database is in use by another program .*run the command again/),
      });
      holder.exec('ROLLBACK');
    } finally {
      holder.close();
    }
    expect(ledgerOf(made.dir).at(-1)?.hash).toBe(made.liveHead);
  });
});

/**
 * A store whose store.json lags its database by four cases, and a backup of a copy of the store
 * that went its own way with two cases: copied before the anchored head (so its entry at the
 * anchored count differs), or right at it (so it differs only after it).
 */
async function forkedHistories(options: { forkAfterAnchor: boolean }): Promise<{
  dir: string;
  database: string;
  forkBackup: string;
  anchoredCount: number;
}> {
  temp = makeTempStore({ caseNumber: 'G-1' });
  const layout = storeLayout(temp.dir);
  const forkDir = path.join(temp.base, 'fork');
  if (!options.forkAfterAnchor) fs.cpSync(temp.dir, forkDir, { recursive: true });
  let store = temp.open();
  store.createCase({ number: 'A', title: 'in place' });
  store.close();
  if (options.forkAfterAnchor) fs.cpSync(temp.dir, forkDir, { recursive: true });
  const anchorAtA = fs.readFileSync(layout.anchor);
  const anchoredCount = (JSON.parse(anchorAtA.toString()) as { ledger: { count: number } }).ledger.count;
  const fork = EvidenceStore.openForWriting(forkDir);
  for (const number of ['X', 'Y']) fork.createCase({ number, title: 'forked' });
  fork.close();
  store = temp.open();
  for (const number of ['B', 'C', 'D', 'E']) store.createCase({ number, title: 'in place' });
  store.close();
  fs.writeFileSync(layout.anchor, anchorAtA);
  return {
    dir: temp.dir,
    database: layout.database,
    forkBackup: path.join(forkDir, 'custos.sqlite'),
    anchoredCount,
  };
}
