import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DERIVE_PASS_LIMIT } from '../../../../electron/core/after-commit.js';
import { StoreAccess } from '../../../../electron/core/api/services/store-access.js';
import { countNeeding } from '../../../../electron/core/derive/derived-state-queries.js';
import { activeDerivers } from '../../../../electron/core/derive/derivers.js';
import { importFile } from '../../../../electron/core/import/import-file.js';
import type { EvidenceStore } from '../../../../electron/core/store/evidence-store.js';
import { fileSyncFailingOnce } from '../../../support/failing-fsync.js';
import { makeOlderStore } from '../../../support/older-store.js';
import { type SeededEvidence, seedStore } from '../../../support/seed-store.js';
import { committedCaseNumbers } from '../../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../../support/temp-store.js';
import { holdWriterLock, type WriterLockHolder } from '../../../support/writer-lock-holder.js';

const waiting = (store: EvidenceStore) => Math.max(...activeDerivers().map((d) => countNeeding(store.db, d)));

/**
 * The app's writes index what they added (search, entities, image hashes). A big backlog must not
 * hold the investigator's action, nor keep the writer lock once it is indexed.
 */
describe('the API writer indexes what writes add', () => {
  let temp: TempStore;
  let seeded: SeededEvidence;
  let access: StoreAccess;
  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    // Imported without indexing: a backlog larger than one pass.
    seeded = await seedStore(temp, { files: DERIVE_PASS_LIMIT + 120 });
    access = new StoreAccess(temp.dir);
  });
  afterEach(() => {
    access.close();
    temp.remove();
  });

  it('answers after one bounded pass, indexes the rest after the answer, then lets the writer lock go', async () => {
    await access.write((store) => store.addTag(seeded.items[0]!.id, 'boat'));
    const afterAnswer = await access.read((store) => waiting(store));
    expect(afterAnswer).toBeGreaterThan(0);
    expect(afterAnswer).toBeLessThanOrEqual(seeded.items.length - DERIVE_PASS_LIMIT);
    await access.idle();
    expect(await access.read((store) => waiting(store))).toBe(0);
    // Idle again: another writer (the `custos` command) can take the lock.
    temp.open().close();
  });

  it('a write made while the backlog is indexed shares the writer and is indexed too', async () => {
    await access.write((store) => store.addTag(seeded.items[0]!.id, 'boat'));
    const note = await access.write((store) =>
      store.addNote(seeded.items[1]!.id, 'seller phone in the text'),
    );
    expect(note.seq).toBeGreaterThan(0);
    await access.idle();
    expect(await access.read((store) => waiting(store))).toBe(0);
    temp.open().close();
  });

  it('a small write is indexed before the caller is answered', async () => {
    await access.write((store) => store.addTag(seeded.items[0]!.id, 'boat'));
    await access.idle();
    await access.write((store) => store.addNote(seeded.items[2]!.id, 'boat leaves Friday'));
    expect(await access.read((store) => waiting(store))).toBe(0);
  });
});

describe('the API store access after shutdown', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await makeOlderStore('OLD-3');
  });
  afterEach(() => temp.remove());

  it('refuses a write and a read queued behind the upgrade when it is closed, and leaves the writer lock free', async () => {
    const access = new StoreAccess(temp.dir);
    let wrote = false;
    const writing = access.write(() => {
      wrote = true;
    });
    const reading = access.read(() => 'read');
    access.close(); // the app quits while the upgrade runs on its worker thread
    await expect(writing).rejects.toThrow('the evidence store was closed (Custos is shutting down)');
    await expect(reading).rejects.toThrow('the evidence store was closed (Custos is shutting down)');
    expect(wrote).toBe(false);
    await expect(access.read(() => 'read')).rejects.toThrow('the evidence store was closed');
    // Before, the queued write opened the store after shutdown and kept the writer lock.
    temp.open().close();
  });
});

describe('after an fsync fails, the app stores nothing more until Custos is started again', () => {
  let temp: TempStore;
  afterEach(() => temp.remove());

  it('refuses the next write of the same app session, writing nothing of it, though its writer was closed and opened again', async () => {
    temp = makeTempStore({ caseNumber: 'FS-1' });
    // The store's first blob-file fsync fails (EIO), later ones fsync for real.
    const access = new StoreAccess(temp.dir, { blobSync: { syncFile: fileSyncFailingOnce() } });
    try {
      const first = temp.writeFile('boat-ad.jpg', 'first photo of the boat');
      await expect(access.write((store) => importFile(store, 'FS-1', first))).rejects.toThrow(/EIO/);
      await access.idle(); // the writer is closed: the next write opens the store afresh

      const secondBytes = 'second photo of the boat';
      const second = temp.writeFile('boat-ad-2.jpg', secondBytes);
      await expect(access.write((store) => importFile(store, 'FS-1', second))).rejects.toThrow(
        /fsync of a blob file .* failed earlier in this session.*Stop, check the disk.*copy the store/,
      );
      const secondSha = createHash('sha256').update(secondBytes).digest('hex');
      expect(fs.existsSync(temp.blobPath(secondSha))).toBe(false);
      expect(await access.read((store) => store.countItems())).toBe(0);
      expect(fs.readdirSync(path.join(temp.dir, 'blobs', 'tmp')).filter((n) => n.endsWith('.tmp'))).toEqual(
        [],
      );
    } finally {
      access.close();
    }
  });
});

describe('writes that share one wait for the writer lock', { timeout: 120_000 }, () => {
  let temp: TempStore;
  let holder: WriterLockHolder | undefined;
  let access: StoreAccess | undefined;
  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'SHARE-1' });
  });
  afterEach(async () => {
    access?.close();
    access = undefined;
    await holder?.kill();
    holder = undefined;
    temp.remove();
  });

  it('a write that came later keeps its own deadline: it still waits when an earlier write gives up, and is made once the holder is gone', async () => {
    holder = await holdWriterLock(temp.dir); // another Custos process
    const bounds = [300, 600_000]; // the first write's bound ends first; the second's no loaded machine reaches
    access = new StoreAccess(temp.dir, { lockWaitMs: () => bounds.shift() ?? 600_000 });
    const first = access.write((store) => store.createCase({ number: 'SHARE-2', title: 'first' }));
    let secondSettled = false;
    const second = access
      .write((store) => store.createCase({ number: 'SHARE-3', title: 'second' }))
      .finally(() => {
        secondSettled = true;
      });
    await expect(first).rejects.toThrow('the store is in use by another Custos process');
    await new Promise((resolve) => setImmediate(resolve));
    // Before, the second write shared the first one's wait and failed with it.
    expect(secondSettled).toBe(false);
    await holder.kill();
    holder = undefined;
    await second;
    await access.idle();
    expect(committedCaseNumbers(temp.dir)).toEqual(['SHARE-1', 'SHARE-3']);
  });

  it('a write that creates the store does not ride on an open that does not: init goes through while a plain write is refused', async () => {
    const empty = `${temp.base}/new-store`;
    access = new StoreAccess(empty);
    const plain = access.write((store) => store.listCases());
    const init = access.write((store) => store.init({ name: 'Ana Ruiz' }), { create: true });
    await expect(plain).rejects.toMatchObject({ kind: 'bad-input' });
    expect((await init).created).toBe(true);
    await access.idle();
  });
});
