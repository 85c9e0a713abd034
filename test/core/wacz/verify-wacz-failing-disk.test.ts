/**
 * A WACZ whose disk fails while its files are read (a USB stick: EIO) is the disk's failure (exit
 * 3, saying to verify a copy and that nothing about its integrity was decided), never a problem of
 * its files (exit 1), which reads as tampering; as for a bundle (verify-failing-disk.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyWacz } from '../../../electron/core/wacz/verify-wacz.js';
import { makeTempDir, removeTempDir } from '../../support/temp-store.js';
import { writeZip } from '../bundle/bundle-fixtures.js';
import { otherToolsWacz } from './wacz-fixtures.js';

describe('verifying a WACZ from a disk that fails while it is read', () => {
  let dir: string;
  let wacz: string;
  beforeAll(async () => {
    dir = makeTempDir('custos-wacz-eio-');
    wacz = path.join(dir, 'capture.wacz');
    await writeZip(
      wacz,
      otherToolsWacz(() => undefined),
    );
  });
  afterAll(() => removeTempDir(dir));
  afterEach(() => vi.restoreAllMocks());

  it("is the disk's failure (verify a copy, integrity undecided), not a problem of the WACZ's files", async () => {
    // No disk fails here: every read of an entry's bytes fails with the error Node gives (EIO).
    const createReadStream = fs.createReadStream.bind(fs);
    vi.spyOn(fs, 'createReadStream').mockImplementation(((
      file: fs.PathLike,
      options?: { start?: number },
    ) => {
      if (file !== wacz || options?.start === undefined) return createReadStream(file, options as never);
      const eio = Object.assign(new Error('EIO: i/o error, read'), {
        code: 'EIO',
        syscall: 'read',
        errno: -5,
      });
      return new Readable({
        read() {
          this.destroy(eio);
        },
      });
    }) as typeof fs.createReadStream);
    await expect(verifyWacz(wacz)).rejects.toMatchObject({
      kind: 'failure',
      message: `the disk holding ${wacz} could not read it (EIO); copy the file off that disk (or check the device) and verify the copy; nothing about the WACZ's integrity was decided`,
    });
  });
});
