import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { SMALL_FILE_BYTES } from '../../../electron/core/import/import-file.js';
import {
  IMPORT_GROUP_ITEMS,
  IMPORT_GROUP_MAX_ITEMS,
  IMPORT_GROUPS_IN_FLIGHT,
  importFiles,
} from '../../../electron/core/import/import-files.js';
import { BlobBatch, fsyncDir } from '../../../electron/core/store/blob-store.js';
import { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

describe('importFiles in groups', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  beforeAll(() => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    store = temp.open();
  });
  afterAll(() => {
    store.close();
    temp.remove();
  });

  it('imports more files than one group holds, in the order given, one custody entry per item, with every blob in place and no temporary file left', async () => {
    const count = IMPORT_GROUP_ITEMS + 37;
    const contents = Array.from({ length: count }, (_, i) =>
      Buffer.from(`photo ${i} ${crypto.randomUUID()}\n`),
    );
    // One file twice: its content is stored once and both items reference it.
    contents[count - 1] = contents[3]!;
    const files = contents.map((content, i) =>
      temp.writeFile(`phone/IMG_${String(i).padStart(5, '0')}.txt`, content),
    );
    const reported: number[] = [];

    const outcome = await importFiles(store, 'BE-1', files, {
      onItem: (_item, index) => reported.push(index),
    });

    expect(outcome.failures).toEqual([]);
    expect(outcome.cancelled).toBe(false);
    expect(reported).toEqual(files.map((_, i) => i));
    expect(outcome.items.map((item) => item.source)).toEqual(files.map((file) => path.basename(file)));
    expect(outcome.items.map((item) => item.artifacts[0]!.sha256)).toEqual(contents.map(sha256));
    for (const item of outcome.items) {
      expect(fs.readFileSync(store.blobs.pathOf(item.artifacts[0]!.sha256))).toEqual(
        contents[outcome.items.indexOf(item)],
      );
    }

    // Exactly one item.import entry per item, in the order of the files, each naming its item's digest.
    const entries = store.ledger('BE-1').filter((entry) => entry.action === 'item.import');
    expect(entries.map((entry) => entry.subject)).toEqual(outcome.items.map((item) => item.id));
    expect(entries.map((entry) => (entry.details as { digest: string }).digest)).toEqual(
      outcome.items.map((item) => item.digest),
    );
    expect(await store.blobs.leftoverTempFiles()).toEqual([]);
    const audit = await runAudit(store);
    expect(audit.problems).toEqual([]);
    expect(audit.clean).toBe(true);
  }, 120_000);

  it('with blockingReads (the CLI), stores a file read whole in memory and one copied as a large file alike: byte for byte, under the hash of their bytes, with their sizes', async () => {
    const sizes = [SMALL_FILE_BYTES - 1, SMALL_FILE_BYTES, SMALL_FILE_BYTES + 1, 3 * 1024 * 1024];
    const contents = sizes.map((size) => crypto.randomBytes(size));
    const files = contents.map((content, i) => temp.writeFile(`sizes/file-${i}.bin`, content));

    const outcome = await importFiles(store, 'BE-1', files, { blockingReads: true });

    expect(outcome.failures).toEqual([]);
    expect(outcome.items.map((item) => item.artifacts[0]!.sha256)).toEqual(contents.map(sha256));
    expect(outcome.items.map((item) => item.artifacts[0]!.size)).toEqual(sizes);
    for (const [i, item] of outcome.items.entries()) {
      const blob = store.blobs.pathOf(item.artifacts[0]!.sha256);
      expect(fs.readFileSync(blob).equals(contents[i]!)).toBe(true); // toEqual walks 3 MiB byte by byte
      expect(fs.statSync(blob).mode & 0o222).toBe(0); // read-only, as every blob
      expect(store.getItem(item.id).record.metadata).toMatchObject({ size: sizes[i] });
    }
    expect(await store.blobs.leftoverTempFiles()).toEqual([]);
  });
});

describe('importFiles on a disk slower than the staging', () => {
  it('keeps filling a full group while the groups before it are not committed (fewer, larger rounds of fsyncs), never past IMPORT_GROUP_MAX_ITEMS, and imports every file in order', async () => {
    const temp = makeTempStore({ caseNumber: 'SLOW-1' });
    const store = temp.open();
    // The first group's persist waits until the staging has gone well past where a third group of
    // IMPORT_GROUP_ITEMS would end: as on a disk slower than the staging. Before, a full group
    // waited there for the first group's commit, so the staging never got that far.
    const releaseAt = (IMPORT_GROUPS_IN_FLIGHT + 1) * IMPORT_GROUP_ITEMS + 50;
    let release: () => void = () => undefined;
    const slowDisk = new Promise<void>((resolve) => {
      release = resolve;
    });
    const persist = BlobBatch.prototype.persist;
    const groupSizes: number[] = [];
    const persisting = vi.spyOn(BlobBatch.prototype, 'persist').mockImplementation(function (
      this: BlobBatch,
      list,
    ) {
      const chosen = [...(list ?? [])];
      groupSizes.push(chosen.length);
      return groupSizes.length === 1
        ? slowDisk.then(() => persist.call(this, chosen))
        : persist.call(this, chosen);
    });
    try {
      const count = releaseAt + IMPORT_GROUP_ITEMS;
      const contents = Array.from({ length: count }, (_, i) =>
        Buffer.from(`photo ${i} ${crypto.randomUUID()}\n`),
      );
      const files = contents.map((content, i) =>
        temp.writeFile(`phone/IMG_${String(i).padStart(5, '0')}.txt`, content),
      );

      const outcome = await importFiles(store, 'SLOW-1', files, {
        blockingReads: true,
        onProgress: ({ done }) => {
          if (done >= releaseAt) release();
        },
      });

      expect(outcome.failures).toEqual([]);
      expect(outcome.items.map((item) => item.artifacts[0]!.sha256)).toEqual(contents.map(sha256));
      expect(groupSizes.slice(0, IMPORT_GROUPS_IN_FLIGHT)).toEqual(
        Array.from({ length: IMPORT_GROUPS_IN_FLIGHT }, () => IMPORT_GROUP_ITEMS),
      );
      // The group that filled while the first was held went past IMPORT_GROUP_ITEMS, not past the most.
      expect(groupSizes[IMPORT_GROUPS_IN_FLIGHT]).toBeGreaterThan(IMPORT_GROUP_ITEMS);
      expect(Math.max(...groupSizes)).toBeLessThanOrEqual(IMPORT_GROUP_MAX_ITEMS);
      expect(groupSizes.reduce((sum, n) => sum + n, 0)).toBe(count);
      expect(await store.blobs.leftoverTempFiles()).toEqual([]);
    } finally {
      persisting.mockRestore();
      store.close();
      temp.remove();
    }
  }, 120_000);
});

describe('importFiles with a large file behind a full group that waits for room', () => {
  it('closes the full group as soon as a group before it has committed, not once the large file after it is staged: its items are reported no later than when a full group waited for room', async () => {
    const temp = makeTempStore({ caseNumber: 'SLOW-2' });
    const store = temp.open();
    // The first group's persist is held until the large file's turn: then the groups in flight
    // hold IMPORT_GROUPS_IN_FLIGHT groups, the next is full and left open for want of room, and
    // the large file's copy is held until that group is closed (its persist asked for).
    const full = IMPORT_GROUPS_IN_FLIGHT + 1;
    const largeAt = full * IMPORT_GROUP_ITEMS;
    let releaseDisk: () => void = () => undefined;
    const slowDisk = new Promise<void>((resolve) => {
      releaseDisk = resolve;
    });
    let releaseLarge: () => void = () => undefined;
    const largeHeld = new Promise<void>((resolve) => {
      releaseLarge = resolve;
    });
    let closedBeforeLargeStaged = false;
    let largeStaged = false;
    const persist = BlobBatch.prototype.persist;
    let persists = 0;
    const persisting = vi.spyOn(BlobBatch.prototype, 'persist').mockImplementation(function (
      this: BlobBatch,
      list,
    ) {
      const chosen = [...(list ?? [])];
      persists++;
      if (persists === full) {
        closedBeforeLargeStaged = !largeStaged;
        releaseLarge();
      }
      return persists === 1 ? slowDisk.then(() => persist.call(this, chosen)) : persist.call(this, chosen);
    });
    const putFile = BlobBatch.prototype.putFile;
    const copying = vi.spyOn(BlobBatch.prototype, 'putFile').mockImplementation(async function (
      this: BlobBatch,
      source,
      onProgress,
    ) {
      await largeHeld;
      const stored = await putFile.call(this, source, onProgress);
      largeStaged = true;
      return stored;
    });
    try {
      const contents = Array.from({ length: largeAt + 10 }, (_, i) =>
        i === largeAt
          ? crypto.randomBytes(SMALL_FILE_BYTES + 1)
          : Buffer.from(`photo ${i} ${crypto.randomUUID()}\n`),
      );
      const files = contents.map((content, i) =>
        temp.writeFile(`phone/IMG_${String(i).padStart(5, '0')}.bin`, content),
      );
      const outcome = await importFiles(store, 'SLOW-2', files, {
        blockingReads: true,
        onProgress: ({ done }) => {
          if (done >= largeAt) releaseDisk();
        },
        onItem: (_item, index) => {
          // Without the close, nothing else moves once the groups in flight have committed: let
          // the large file go some turns later, so that the import ends and the test says why.
          if (index === largeAt - IMPORT_GROUP_ITEMS - 1) void turnsLater(50).then(releaseLarge);
        },
      });

      expect(closedBeforeLargeStaged).toBe(true);
      expect(outcome.failures).toEqual([]);
      expect(outcome.items.map((item) => item.artifacts[0]!.sha256)).toEqual(contents.map(sha256));
    } finally {
      copying.mockRestore();
      persisting.mockRestore();
      store.close();
      temp.remove();
    }
  }, 120_000);
});

async function turnsLater(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('importFiles of a folder with duplicate files', () => {
  it('imports every copy though copies fall in different groups while the first is still being made durable', async () => {
    const temp = makeTempStore({ caseNumber: 'DUP-1' });
    // The first group's blob files are fsynced only once a later group has closed, as on a slow
    // disk (the hook then fsyncs for real): a copy staged while the first was pending, and dropped,
    // lands in a group that closes while the first group's blobs are not yet under their names.
    let release: () => void = () => undefined;
    const slowDisk = new Promise<void>((resolve) => {
      release = resolve;
    });
    const store = await EvidenceStore.openForWritingWhenFree(temp.dir, {
      blobSync: {
        syncFolder: fsyncDir,
        syncFile: async (file) => {
          await slowDisk;
          const handle = await fs.promises.open(file, 'r+');
          await handle.sync();
          await handle.close();
        },
      },
    });
    // Only to know when a second group has closed (the batch's own persist runs unchanged).
    const persist = BlobBatch.prototype.persist;
    let groupsClosed = 0;
    const closing = vi.spyOn(BlobBatch.prototype, 'persist').mockImplementation(function (
      this: BlobBatch,
      list,
    ) {
      const persisting = persist.call(this, list);
      if (++groupsClosed === 2) release();
      return persisting;
    });
    try {
      // Runs of four copies (a phone's burst, the same photo saved again): the first group ends at
      // the second copy of a run, and the CLI's way of staging (blockingReads: small files read and
      // put at once, IMPORT_PIPELINE_DEPTH ahead) has put the next two, and dropped them, by then.
      const count = IMPORT_GROUP_ITEMS + 10;
      const contents = Array.from({ length: count }, (_, i) => Buffer.from(`burst ${Math.floor(i / 4)}\n`));
      const files = contents.map((content, i) =>
        temp.writeFile(`phone/IMG_${String(i).padStart(5, '0')}.txt`, content),
      );

      const outcome = await importFiles(store, 'DUP-1', files, { blockingReads: true });

      // Before, the later group's persist refused the copies ("blob … was never stored") and every
      // file of that group was reported failed.
      expect(outcome.failures).toEqual([]);
      expect(groupsClosed).toBeGreaterThanOrEqual(2);
      expect(outcome.items.map((item) => item.artifacts[0]!.sha256)).toEqual(contents.map(sha256));
      for (const [i, item] of outcome.items.entries()) {
        expect(fs.readFileSync(store.blobs.pathOf(item.artifacts[0]!.sha256))).toEqual(contents[i]);
      }
      expect(await store.blobs.leftoverTempFiles()).toEqual([]);
    } finally {
      closing.mockRestore();
      store.close();
      temp.remove();
    }
  });
});
