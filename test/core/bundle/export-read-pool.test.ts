/**
 * The export's reused read buffers (read-buffer-pool.ts) through a real export: the stored media of
 * a case go through the pool while the disk is slow and writes come back short, and every buffer the
 * pool hands out again is filled with 0xAA first, so that a buffer handed out while its bytes were
 * still on their way to the bundle would show in the bundle. The hashes the export records are taken
 * before the bytes are written, so only reading the bundle back can catch that.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { exportBundle } from '../../../electron/core/bundle/export-bundle.js';
import type { PdfPrinter } from '../../../electron/core/bundle/pdf-printer.js';
import { ReadBufferPool } from '../../../electron/core/bundle/read-buffer-pool.js';
import { verifyBundle } from '../../../electron/core/bundle/verify-bundle.js';
import { importFile } from '../../../electron/core/import/import-file.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

/** The report's print stands in as one page: this test is about the ZIP. */
const ONE_PAGE: PdfPrinter = {
  print: async (_html, pdf) => fs.writeFileSync(pdf, '%PDF-1.4\n%%EOF\n'),
};

/** A PNG of random pixels, stored uncompressed: a few MiB that the ZIP stores as they are. */
function randomPng(side: number): Promise<Buffer> {
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

describe('an export through the reused read buffers', () => {
  let temp: TempStore;
  const originals = new Map<string, Buffer>();
  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'BE-7' });
    const store = temp.open();
    try {
      for (const [i, side] of [700, 905, 1130].entries()) {
        const png = await randomPng(side);
        originals.set(`photo-${i}.png`, png);
        await importFile(store, 'BE-7', temp.writeFile(`photo-${i}.png`, png));
      }
    } finally {
      store.close();
    }
  }, 120_000);
  afterAll(() => temp?.remove());

  test('writes every stored file byte for byte while the disk is slow and writes come back short', async () => {
    let reused = 0;
    const take = ReadBufferPool.prototype.take;
    vi.spyOn(ReadBufferPool.prototype, 'take').mockImplementation(function (this: ReadBufferPool, bytes) {
      const buffer = take.call(this, bytes);
      if (buffer.buffer.byteLength !== buffer.byteLength) {
        reused++;
        buffer.fill(0xaa);
      }
      return buffer;
    });
    const write = fs.write;
    // The bundle file's writes: each late by a few milliseconds, one in four cut to a third.
    vi.spyOn(fs, 'write').mockImplementation(((...args: Parameters<typeof fs.write>) => {
      const [fd, buffer, offset, length, position, done] = args as unknown as [
        number,
        Buffer,
        number,
        number,
        number | null,
        (error: NodeJS.ErrnoException | null, written: number, buffer: Buffer) => void,
      ];
      if (typeof done !== 'function') return (write as (...a: unknown[]) => void)(...args);
      const short = length > 3 && Math.random() < 0.25 ? Math.floor(length / 3) : length;
      setTimeout(() => write(fd, buffer, offset, short, position, done), randomInt(0, 4));
    }) as typeof fs.write);
    const out = path.join(temp.base, 'BE-7.zip');
    const store = temp.open();
    try {
      await exportBundle(store, { caseRef: 'BE-7', out, printer: ONE_PAGE });
    } finally {
      store.close();
      vi.restoreAllMocks();
    }
    expect(reused).toBeGreaterThan(0);
    // Read back with Info-ZIP's unzip, as a recipient would.
    const names = execFileSync('unzip', ['-Z1', out], { encoding: 'utf8' }).split('\n');
    const photos = names.filter((name) => name.endsWith('.png'));
    expect(photos).toHaveLength(3);
    const written = new Set(
      photos.map((name) =>
        execFileSync('unzip', ['-p', out, name], { maxBuffer: 64 * 1024 * 1024 }).toString('base64'),
      ),
    );
    for (const png of originals.values()) expect(written.has(png.toString('base64'))).toBe(true);
    const report = await verifyBundle(out);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
  }, 120_000);
});
