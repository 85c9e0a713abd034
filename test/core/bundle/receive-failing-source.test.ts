/**
 * Receiving a bundle whose own disk fails (a USB stick) part way: the failure is the bundle's
 * disk's, said so with what to do (copy the bundle to a sound disk and receive the copy), exit 3,
 * and nothing is written to the store. Before, the blob store worded it as the store's disk
 * failing ("copy the store to a sound disk"). And the other way round: a failure of the store's
 * disk is never worded as the bundle's, and a sealed bundle's decrypted copy is named, not the .age.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { receiveBundle } from '../../../electron/core/bundle/receive-bundle.js';
import { storeLayout } from '../../../electron/core/store/store-layout.js';
import { storeState } from '../../cli/store-state.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';
import { type CaseFixture, makeCaseFixture } from './bundle-fixtures.js';

// No disk fails here (the tests run on a sound disk), so, as the import tests do for a source's
// disk, only the failing reads are made by hand, with the error Node gives: the disk fails once the
// bundle has verified, as a disk failing part way does. On this thread the verification reads one
// entry (custody.jsonl; the artifacts are hashed apart), so every later read of an entry's bytes
// fails with EIO: the artifacts' copy into the store. Custos' own code is not mocked.
function failBundleDiskAfterVerification(isBundle: (file: string) => boolean): { failed?: string } {
  const createReadStream = fs.createReadStream.bind(fs);
  let entryReads = 0;
  const seen: { failed?: string } = {};
  vi.spyOn(fs, 'createReadStream').mockImplementation(((file: fs.PathLike, options?: { start?: number }) => {
    if (typeof file !== 'string' || !isBundle(file) || options?.start === undefined || entryReads++ === 0)
      return createReadStream(file, options as never);
    seen.failed = file;
    return new Readable({
      read() {
        this.destroy(eioOf('read', file));
      },
    });
  }) as typeof fs.createReadStream);
  return seen;
}

/** The error Node gives for a call a failing disk refuses. */
function eioOf(syscall: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EIO: i/o error, ${syscall} '${file}'`), {
    code: 'EIO',
    syscall,
    errno: -5,
    path: file,
  });
}

describe('receiving a bundle from a disk that fails while it is read', () => {
  let sender: CaseFixture;
  let bundle: string;
  let temp: TempStore | undefined;
  beforeAll(async () => {
    sender = await makeCaseFixture();
    bundle = (await sender.exportTo('failing-stick.zip')).file;
  }, 180_000);
  afterAll(() => sender?.temp.remove());
  afterEach(() => {
    vi.restoreAllMocks();
    temp?.remove();
    temp = undefined;
  });

  it("names the bundle's disk (not the store's), says to copy the bundle to a sound disk and receive the copy, exit 3, and writes nothing", async () => {
    temp = makeTempStore();
    const before = storeState(temp.dir);
    failBundleDiskAfterVerification((file) => file === bundle);
    const store = temp.open();
    try {
      await expect(receiveBundle(store, bundle)).rejects.toMatchObject({
        kind: 'failure', // exit 3
        message: `the disk holding ${bundle} could not read it (EIO); copy the file off that disk (or check the device) and receive the copy; nothing was received`,
      });
    } finally {
      store.close();
    }
    expect(storeState(temp.dir)).toEqual(before); // no case, item, entry, blob or temporary file
  });

  it("a failing store disk met opening the blob's temporary file is the store disk's, never the bundle's", async () => {
    temp = makeTempStore();
    const before = storeState(temp.dir);
    const { blobTemp } = storeLayout(temp.dir);
    const open = fsp.open.bind(fsp);
    vi.spyOn(fsp, 'open').mockImplementation((async (file: fs.PathLike, ...rest: unknown[]) => {
      if (typeof file === 'string' && file.startsWith(blobTemp)) throw eioOf('open', file);
      return open(file, ...(rest as []));
    }) as typeof fsp.open);
    const store = temp.open();
    try {
      const refusal = receiveBundle(store, bundle);
      await expect(refusal).rejects.toMatchObject({
        kind: 'failure',
        message: expect.stringMatching(
          new RegExp(
            `^the disk holding ${blobTemp}/\\S+ failed to read or write \\(EIO.*copy the store to a sound disk`,
          ),
        ),
      });
      await expect(refusal).rejects.not.toThrow(bundle);
    } finally {
      store.close();
    }
    expect(storeState(temp.dir)).toEqual(before);
  });

  it("a sealed bundle's decrypted copy that cannot be read is named as the system temporary folder's disk's failure, as verify says, not the .age file's", async () => {
    const passphrase = 'correct horse battery staple';
    const sealed = (await sender.exportTo('failing-copy.zip.age', { seal: { passphrase } })).file;
    temp = makeTempStore();
    const before = storeState(temp.dir);
    const seen = failBundleDiskAfterVerification((file) => file !== sealed && file.endsWith('.zip'));
    const store = temp.open();
    try {
      const refusal = receiveBundle(store, sealed, { seal: { passphrase } });
      await expect(refusal).rejects.toMatchObject({ kind: 'failure' });
      const message = await refusal.catch((error: Error) => error.message);
      expect(seen.failed).toBeDefined();
      // Not "copy the file off that disk": the copy is a temporary file, gone once receive returns.
      expect(message).toBe(
        `the disk holding the system's temporary folder could not read ${seen.failed}, the decrypted copy of ${sealed} (EIO): that disk is failing, not ${sealed}'s. Check it and run the command again; nothing was received`,
      );
      expect(message).not.toContain('copy the file off');
    } finally {
      store.close();
    }
    expect(storeState(temp.dir)).toEqual(before);
  }, 120_000);
});
