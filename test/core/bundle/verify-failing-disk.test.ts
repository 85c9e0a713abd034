/**
 * Verifying a bundle whose disk fails while it is read (a USB stick: EIO), or whose path comes to
 * hold another file part way: either is the file's failure (exit 3, saying what to do and that
 * nothing about the bundle's integrity was decided), never a problem of an entry (exit 1), which
 * reads as tampering. Genuine problems stay exit 1 (tamper.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiService } from '../../../electron/core/api/api-service.js';
import { verifyBundle } from '../../../electron/core/bundle/verify-bundle.js';
import { startVerifyThreads, type VerifyThreads } from '../../../electron/core/bundle/verify-threads.js';
import { fileKey, type InspectedZip, type ZipFileEntry } from '../../../electron/core/bundle/zip-reader.js';
import { makeTempDir, removeTempDir } from '../../support/temp-store.js';
import { type CaseFixture, makeCaseFixture } from './bundle-fixtures.js';

// No disk fails here, so, as receive-failing-source.test.ts does, the failing reads are made by
// hand with the error Node gives: every read of an entry's bytes through a stream (custody.jsonl
// on this thread; every entry with threads: 0) fails with EIO. Custos' own code is not mocked.
function failBundleDisk(bundle: string): void {
  const createReadStream = fs.createReadStream.bind(fs);
  vi.spyOn(fs, 'createReadStream').mockImplementation(((file: fs.PathLike, options?: { start?: number }) => {
    if (file !== bundle || options?.start === undefined) return createReadStream(file, options as never);
    const eio = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read', errno: -5 });
    return new Readable({
      read() {
        this.destroy(eio);
      },
    });
  }) as typeof fs.createReadStream);
}

const diskFailed = (bundle: string) =>
  `the disk holding ${bundle} could not read it (EIO); copy the file off that disk (or check the device) and verify the copy; nothing about the bundle's integrity was decided`;

describe('verifying a bundle from a disk that fails while it is read', () => {
  let sender: CaseFixture;
  let bundle: string;
  let other: string;
  beforeAll(async () => {
    sender = await makeCaseFixture();
    bundle = (await sender.exportTo('failing-stick.zip')).file;
    other = (await sender.exportTo('other.zip')).file;
  }, 180_000);
  afterAll(() => sender?.temp.remove());
  afterEach(() => vi.restoreAllMocks());

  it("is the disk's failure (exit 3: copy it off, verify the copy, integrity undecided), not a problem of the entry", async () => {
    failBundleDisk(bundle);
    await expect(verifyBundle(bundle)).rejects.toMatchObject({
      kind: 'failure',
      message: diskFailed(bundle),
    });
  }, 60_000);

  it('is the same failure when every entry is hashed on the calling thread (threads: 0)', async () => {
    failBundleDisk(bundle);
    await expect(verifyBundle(bundle, { threads: 0 })).rejects.toMatchObject({
      kind: 'failure',
      message: diskFailed(bundle),
    });
  }, 60_000);

  it("the app's verify screen gets the same message, as a failure, through the API", async () => {
    const dir = makeTempDir();
    const api = createApiService({ storeDir: path.join(dir, 'store'), exportDir: path.join(dir, 'exports') });
    try {
      failBundleDisk(bundle);
      expect(await api.call('verifyBundle', { path: bundle })).toMatchObject({
        ok: false,
        error: { kind: 'failure', message: diskFailed(bundle) },
      });
    } finally {
      api.close();
      removeTempDir(dir);
    }
  }, 60_000);

  it("a hashing thread's device error comes back with its code (EIO), for verify to word as the disk's", async () => {
    // A read that the kernel fails with EIO, for real: /proc/self/mem at address 0 (never mapped).
    const mem = '/proc/self/mem';
    const threads = startVerifyThreads(mem, { threads: 1 });
    try {
      const entry = {
        name: 'items/x/a.bin',
        size: 16,
        entry: { compressedSize: 16, compressionMethod: 0 },
        dataStart: 0,
      } as unknown as ZipFileEntry;
      const zip = { file: mem, key: fileKey(fs.statSync(mem, { bigint: true })) } as unknown as InspectedZip;
      const digests = await threads.hash(zip, [entry]);
      expect(digests.get(entry.name)).toMatchObject({ code: 'EIO' });
    } finally {
      await threads.close();
    }
  }, 60_000);

  it("a sound bundle verifies where a lookup by path names the disk differently from an open file's (libuv 1.49-1.50 on Windows)", async () => {
    // No Windows here: the lookup by path is made to report the 64-bit volume serial, as those
    // libuv versions did (their lookup through an open file gave the 32-bit one). Verify must
    // compare through open files only, or every bundle would be "changed while it was verified".
    const statSync = fs.statSync;
    vi.spyOn(fs, 'statSync').mockImplementation(((file: fs.PathLike, options?: fs.StatSyncOptions) => {
      const stats = statSync(file, options as never) as unknown as fs.BigIntStats;
      if (file === bundle && options?.bigint)
        Object.defineProperty(stats, 'dev', { value: stats.dev | (0x3cf2n << 48n) });
      return stats;
    }) as typeof fs.statSync);
    const report = await verifyBundle(bundle);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
  }, 60_000);

  it('another bundle renamed over the path between the directory read and the hashing: the file changed (exit 3), verify a copy', async () => {
    const swapped = path.join(path.dirname(bundle), 'swapped.zip');
    fs.copyFileSync(bundle, swapped);
    const moving = path.join(path.dirname(bundle), 'moving.zip');
    fs.copyFileSync(other, moving);
    const real = startVerifyThreads(swapped);
    // The seam verify already has (threads started by its caller): the swap happens once the
    // directory is read and the hashing is asked for, as another program's rename would.
    const threads: VerifyThreads = {
      file: swapped,
      checkSignature: real.checkSignature,
      close: real.close,
      hash: (zip, entries) => {
        if (fs.existsSync(moving)) fs.renameSync(moving, swapped); // once (hash is asked again for unread control files)
        return real.hash(zip, entries);
      },
    };
    try {
      await expect(verifyBundle(swapped, { startedThreads: threads })).rejects.toMatchObject({
        kind: 'failure',
        message: `${swapped} changed while it was being verified; verify it again from a copy that nothing writes to`,
      });
    } finally {
      await real.close();
    }
    // Each file alone verifies.
    expect((await verifyBundle(swapped)).valid).toBe(true);
    expect((await verifyBundle(bundle)).valid).toBe(true);
  }, 60_000);
});
