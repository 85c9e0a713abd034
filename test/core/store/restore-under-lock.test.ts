import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { restoreStore } from '../../../electron/core/store/restore-store.js';
import { readAnchor } from '../../../electron/core/store/store-anchor.js';
import { storeLayout } from '../../../electron/core/store/store-layout.js';
import { WriterLock } from '../../../electron/core/store/writer-lock.js';
import { openRawDatabase } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

// A writer that waits for the writer lock must check the database it finally opens against the
// anchor (store.json): another process may have replaced it meanwhile. And a restore holds the
// lock from before it reads the anchor until its store.restore entry is written, so that no other
// writer sees the restored database before the loss it accepted is recorded.

let temp: TempStore | undefined;
afterEach(() => temp?.remove());

function anchoredCount(dir: string): number {
  const read = readAnchor(storeLayout(dir).anchor);
  if (!read || !('anchor' in read)) throw new Error('the store has no valid anchor');
  return read.anchor.ledger.count;
}

/** A store with a backup of its database taken after `store.init` and case B-1, then two more cases. */
async function storeWithOlderBackup(): Promise<{ temp: TempStore; backupFile: string }> {
  const made = makeTempStore({ caseNumber: 'B-1' });
  const backupFile = `${made.base}/backup.sqlite`;
  const raw = openRawDatabase(made.dir, { readonly: true });
  await raw.backup(backupFile);
  raw.close();
  const store = made.open();
  store.createCase({ number: 'B-2', title: 'after the backup' });
  store.createCase({ number: 'B-3', title: 'after the backup' });
  store.close();
  return { temp: made, backupFile };
}

/** Starts a writer's open that waits for the lock; resolves `waiting` once it has found the lock held. */
function openWhenFree(dir: string): { opened: Promise<EvidenceStore>; waiting: Promise<void> } {
  let told: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => {
    told = resolve;
  });
  const opened = EvidenceStore.openForWritingWhenFree(dir, {
    lockWait: { waitMs: 60_000, onHeld: () => told() },
  });
  return { opened, waiting };
}

describe('a write that waited for the writer lock', () => {
  it('is refused with the integrity error when the database was replaced by an older copy while it waited, and the anchor is not re-signed over the loss', async () => {
    const made = await storeWithOlderBackup();
    temp = made.temp;
    const layout = storeLayout(temp.dir);
    const anchoredBefore = anchoredCount(temp.dir);
    const holder = WriterLock.acquireNow(layout.writerLock, layout.writerLockInfo); // another process
    const write = openWhenFree(temp.dir);
    await write.waiting;
    // The holder swaps in the shorter backup and lets the lock go without recording anything.
    for (const f of [`${layout.database}-wal`, `${layout.database}-shm`]) fs.rmSync(f, { force: true });
    fs.copyFileSync(made.backupFile, layout.database);
    holder.release();

    await expect(write.opened).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringContaining('it was replaced by an older copy or truncated'),
    });
    expect(anchoredCount(temp.dir)).toBe(anchoredBefore);
    const reader = EvidenceStore.openForReading(temp.dir, { forAudit: true });
    try {
      expect((await runAudit(reader)).clean).toBe(false);
    } finally {
      reader.close();
    }
  });

  it('made while a restore with accepted loss runs lands after the restore, whose store.restore entry records the loss', async () => {
    const made = await storeWithOlderBackup();
    temp = made.temp;
    const layout = storeLayout(temp.dir);
    const holder = WriterLock.acquireNow(layout.writerLock, layout.writerLockInfo);
    const write = openWhenFree(temp.dir);
    await write.waiting;
    holder.release();
    const restoring = restoreStore(temp.dir, made.backupFile, { acceptLoss: true }); // takes the lock in this turn
    const store = await write.opened;
    try {
      store.createCase({ number: 'APP-1', title: 'written by the app' });
    } finally {
      store.close();
    }
    expect((await restoring).lostEntries).toBe(2);

    const reader = EvidenceStore.openForReading(temp.dir, { forAudit: true });
    try {
      const actions = reader.ledger().map((e) => e.action);
      expect(actions).toEqual(['store.init', 'case.create', 'store.restore', 'case.create']);
      expect(reader.ledger().at(2)?.details).toMatchObject({ lostEntries: 2 });
      expect((await runAudit(reader)).clean).toBe(true); // the loss is on the record, not hidden
    } finally {
      reader.close();
    }
  });
});

describe('a restore', () => {
  it('waits for a writer and counts the entries that writer added among those the backup lacks', async () => {
    const made = await storeWithOlderBackup();
    temp = made.temp;
    const writer = temp.open(); // another process's write, under way when the restore is asked for
    const restoring = restoreStore(temp.dir, made.backupFile, { acceptLoss: true });
    writer.createCase({ number: 'B-4', title: 'written while the restore waited' });
    writer.close();
    const outcome = await restoring;
    expect(outcome).toMatchObject({ anchoredEntries: 5, backupEntries: 2, lostEntries: 3 });
    const reader = EvidenceStore.openForReading(temp.dir, { forAudit: true });
    try {
      expect(reader.ledger().at(-1)?.details).toMatchObject({ lostEntries: 3, anchored: { count: 5 } });
    } finally {
      reader.close();
    }
  });
});
