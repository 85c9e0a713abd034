/**
 * Receiving a bundle whose own disk fails (a USB stick) part way: the failure is the bundle's
 * disk's, said so with what to do (copy the bundle to a sound disk and receive the copy), exit 3,
 * and nothing is written to the store. Before, the blob store worded it as the store's disk
 * failing ("copy the store to a sound disk").
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { receiveBundle } from '../../../electron/core/bundle/receive-bundle.js';
import { storeState } from '../../cli/store-state.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';
import { type CaseFixture, makeCaseFixture } from './bundle-fixtures.js';

// No disk fails here (the tests run on a sound disk), so, as the import tests do for a source's
// disk, only the failing reads are made by hand, with the error Node gives: the disk fails once the
// bundle has verified, as a disk failing part way does. On this thread the verification reads one
// entry (custody.jsonl; the artifacts are hashed apart), so every later read of an entry's bytes
// fails with EIO: the artifacts' copy into the store. Custos' own code is not mocked.
function failBundleDiskAfterVerification(bundle: string): void {
  const createReadStream = fs.createReadStream.bind(fs);
  let entryReads = 0;
  vi.spyOn(fs, 'createReadStream').mockImplementation(((file: fs.PathLike, options?: { start?: number }) => {
    if (file !== bundle || options?.start === undefined || entryReads++ === 0)
      return createReadStream(file, options as never);
    const eio = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read', errno: -5 });
    return new Readable({
      read() {
        this.destroy(eio);
      },
    });
  }) as typeof fs.createReadStream);
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
    failBundleDiskAfterVerification(bundle);
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
});
