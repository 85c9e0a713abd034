import crypto from 'node:crypto';
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { derivableItem } from '../../../electron/core/derive/derive-items.js';
import { SMALL_FILE_BYTES } from '../../../electron/core/import/import-file.js';
import { IMPORT_GROUP_ITEMS, importFiles } from '../../../electron/core/import/import-files.js';
import { itemText } from '../../../electron/core/search/item-text.js';
import { BlobBatch, fsyncDir } from '../../../electron/core/store/blob-store.js';
import { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';
import { utf32Bytes } from '../../support/utf32.js';

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

  // A text file saved in UTF-16 with its byte-order mark (Notepad's "Unicode", many Windows chat
  // exports): its FF FE mark reads as an MPEG audio frame header to file-type, and such a chat log
  // became `original.mp1`, audio/mpeg, with no searchable text. UTF-32LE's mark (FF FE 00 00) began
  // the same way and its text held NULs: audio/mpeg too.
  it.each([
    ['utf-16le', (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    [
      'utf-16be',
      (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
    ],
    ['utf-32le', (text: string) => utf32Bytes(text, true)],
    ['utf-32be', (text: string) => utf32Bytes(text, false)],
  ])(
    'records a chat log saved as %s with its byte-order mark as text/plain of that charset, byte for byte, and search reads its words',
    async (charset, encode) => {
      const chat =
        '[05/12/2026, 22:48] Karim: السعر ٢٥٠٠ يورو 🚤, WhatsApp +218 91 234 5678\r\n[05/12/2026, 22:49] Ana: ok\r\n';
      const bytes = encode(chat);

      const outcome = await importFiles(store, 'BE-1', [
        temp.writeFile(`unicode/chat-${charset}.txt`, bytes),
      ]);

      expect(outcome.failures).toEqual([]);
      const item = outcome.items[0]!;
      expect(item.artifacts[0]).toMatchObject({
        role: 'original',
        name: 'original.txt',
        mediaType: `text/plain; charset=${charset}`,
        sha256: sha256(bytes),
      });
      expect(await itemText(derivableItem(store, item.id)!)).toBe(chat);
    },
  );

  it('a path given that is a symbolic link records the link as written and the file it led to, whose bytes were imported (with and without blockingReads); a plain file records no link', async () => {
    const real = temp.writeFile('links/real/chat-export.txt', 'the real file');
    const link = path.join(path.dirname(real), '..', 'shortcut.txt');
    fs.symlinkSync('real/chat-export.txt', link);

    for (const blockingReads of [false, true]) {
      const outcome = await importFiles(store, 'BE-1', [link, real], { blockingReads });
      expect(outcome.failures).toEqual([]);
      const [linked, plain] = outcome.items.map((item) => store.getItem(item.id).record.metadata);
      expect(linked).toMatchObject({
        originalName: 'shortcut.txt',
        symbolicLink: { target: 'real/chat-export.txt', importedPath: fs.realpathSync(real) },
      });
      expect(plain).not.toHaveProperty('symbolicLink');
      expect(outcome.items[0]!.artifacts[0]!.sha256).toBe(sha256(Buffer.from('the real file')));
    }
  });

  it('a symbolic link changed to lead to another file after its file was read is refused as replaced, not recorded as leading to a file whose bytes were not the ones imported', async () => {
    const first = temp.writeFile('moving/first.txt', 'the file that was read');
    temp.writeFile('moving/second.txt', 'another file');
    const link = path.join(path.dirname(first), 'latest.txt');
    fs.symlinkSync('first.txt', link);
    const realpath = fsPromises.realpath;
    // the link is resolved after the bytes are read: change it just then, as another program could
    const spy = vi.spyOn(fsPromises, 'realpath').mockImplementation(async (file, ...rest) => {
      if (file === link) {
        fs.rmSync(link);
        fs.symlinkSync('second.txt', link);
      }
      return realpath(file, ...(rest as []));
    });
    try {
      const outcome = await importFiles(store, 'BE-1', [link]);
      expect(outcome.items.map((item) => store.getItem(item.id).record.metadata.symbolicLink)).toEqual([]);
      expect(outcome.failures.map((f) => f.error.message)).toEqual([
        `${link} was replaced while it was being imported; import it again`,
      ]);
    } finally {
      spy.mockRestore();
    }
  });

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
