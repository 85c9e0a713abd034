/**
 * A WACZ whose disk fails while its files are read (a USB stick: EIO) is the disk's failure (exit
 * 3, saying to verify a copy and that nothing about its integrity was decided), never a problem of
 * its files (exit 1), which reads as tampering; as for a bundle (verify-failing-disk.test.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import yazl from 'yazl';
import { verifyWacz } from '../../../electron/core/wacz/verify-wacz.js';
import { makeTempDir, removeTempDir } from '../../support/temp-store.js';

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A small WACZ whose datapackage lists its three files with their hashes. */
async function writeWacz(file: string): Promise<void> {
  const files = new Map<string, Buffer>([
    ['archive/data.warc.gz', Buffer.from('warc bytes')],
    ['indexes/index.cdxj', Buffer.from('com,example)/ 20240101000000 {}\n')],
    [
      'pages/pages.jsonl',
      Buffer.from(
        '{"format":"json-pages-1.0","id":"pages"}\n{"url":"https://example.com/","ts":"2024-01-01T00:00:00Z"}\n',
      ),
    ],
  ]);
  const datapackage = Buffer.from(
    JSON.stringify({
      profile: 'data-package',
      wacz_version: '1.1.1',
      resources: [...files].map(([p, bytes]) => ({
        name: path.basename(p),
        path: p,
        hash: sha(bytes),
        bytes: bytes.length,
      })),
    }),
  );
  files.set('datapackage.json', datapackage);
  files.set(
    'datapackage-digest.json',
    Buffer.from(JSON.stringify({ path: 'datapackage.json', hash: sha(datapackage) })),
  );
  const zip = new yazl.ZipFile();
  for (const [p, bytes] of files) zip.addBuffer(bytes, p);
  zip.end();
  await new Promise<void>((resolve) =>
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', () => resolve()),
  );
}

describe('verifying a WACZ from a disk that fails while it is read', () => {
  let dir: string;
  let wacz: string;
  beforeAll(async () => {
    dir = makeTempDir('custos-wacz-eio-');
    wacz = path.join(dir, 'capture.wacz');
    await writeWacz(wacz);
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
