import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { restoreStore } from '../../../electron/core/store/restore-store.js';
import { storeLayout } from '../../../electron/core/store/store-layout.js';
import { openRawDatabase } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

// store.json is rewritten at most once a second during a batch, so a writer killed in that window
// leaves a database that extends the anchor by a few entries (a normal open accepts that and
// catches the anchor up). A restore must count those entries as what the backup has to reach: a
// backup that only reaches the lagging anchor would otherwise drop them with "0 lost".

let temp: TempStore | undefined;
afterEach(() => temp?.remove());

function ledgerOf(dir: string): { action: string; hash: string; details: Record<string, unknown> }[] {
  const reader = EvidenceStore.openForReading(dir, { forAudit: true });
  try {
    return reader.ledger().map((e) => ({ action: e.action, hash: e.hash, details: { ...e.details } }));
  } finally {
    reader.close();
  }
}

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
  });
});
