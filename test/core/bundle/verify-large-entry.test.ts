import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ExportResult, exportBundle } from '../../../electron/core/bundle/export-bundle.js';
import { DEFAULT_ZIP_LIMITS } from '../../../electron/core/bundle/format.js';
import { verifyBundle } from '../../../electron/core/bundle/verify-bundle.js';
import { inspectZip } from '../../../electron/core/bundle/zip-reader.js';
import { importFile } from '../../../electron/core/import/import-file.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

/** The worker threads read entries in chunks of this size (verify-threads.ts). */
const CHUNK = 4 * 1024 * 1024;

/** Adds an item holding `data` as a video (export stores video uncompressed). */
async function addVideo(store: EvidenceStore, data: Buffer): Promise<{ id: string }> {
  const blob = await store.blobs.putBuffer(data);
  const caseRow = store.getCase('BE-9');
  return store.addItem({
    caseId: caseRow.id,
    kind: 'import',
    source: 'cctv.mp4',
    metadata: { originalName: 'cctv.mp4' },
    artifacts: [
      { role: 'original', name: 'cctv.mp4', mediaType: 'video/mp4', size: blob.size, sha256: blob.sha256 },
    ],
  });
}

/**
 * Verify hashes entries on worker threads, in 4 MiB reads straight from the ZIP: a byte changed
 * in the first or last chunk of a large entry, or on either side of a chunk boundary, must still be
 * found, in a stored entry and in a deflated one inflated as it streams.
 */
describe('verify finds one flipped byte anywhere in a large entry', () => {
  let temp: TempStore;
  let bundle: ExportResult;
  let video: string;
  let log: string;
  let counter = 0;
  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'BE-9' });
    const store = temp.open();
    try {
      // 9 MiB and a little, typed as video so that it is stored: three reads, the last one short.
      const v = await addVideo(store, randomBytes(2 * CHUNK + 1_000_003));
      // Random hex text deflates to about half: over 1 MiB compressed, so it is inflated as a stream.
      const l = await importFile(
        store,
        'BE-9',
        temp.writeFile('chat.txt', randomBytes(1_500_000).toString('hex')),
      );
      bundle = await exportBundle(store, { caseRef: 'BE-9', out: path.join(temp.base, 'BE-9.zip') });
      const zip = await inspectZip(bundle.file, DEFAULT_ZIP_LIMITS);
      const entries = [...zip.files.values()];
      zip.close();
      const videoEntry = entries.find((e) => e.name.startsWith(`items/${v.id}/`))!;
      const logEntry = entries.find((e) => e.name.startsWith(`items/${l.id}/`))!;
      // The paths under test: a stored entry over several reads, a deflated one inflated as a stream.
      expect([videoEntry.entry.compressionMethod, logEntry.entry.compressionMethod]).toEqual([0, 8]);
      expect(logEntry.entry.compressedSize).toBeGreaterThan(1024 * 1024);
      video = videoEntry.name;
      log = logEntry.name;
    } finally {
      store.close();
    }
  }, 120_000);
  afterAll(() => temp.remove());

  /** A copy of the bundle with one byte of `name`'s data in the ZIP inverted, `offset` bytes in. */
  async function flipped(name: string, offset: (size: number) => number): Promise<string> {
    const zip = await inspectZip(bundle.file, DEFAULT_ZIP_LIMITS);
    const entry = zip.files.get(name)!;
    zip.close();
    const data = fs.readFileSync(bundle.file);
    const at = entry.dataStart + offset(entry.entry.compressedSize);
    data[at] = data[at]! ^ 0xff;
    const copy = path.join(temp.base, `flipped-${++counter}.zip`);
    fs.writeFileSync(copy, data);
    return copy;
  }

  test('the untouched bundle verifies, with the evidence hash export computed', async () => {
    const report = await verifyBundle(bundle.file);
    expect(report.problems).toEqual([]);
    expect(report.evidenceSha256).toBe(bundle.evidenceSha256);
  });

  test.each([
    ['the first byte', () => 0],
    ['the last byte of the first chunk', () => CHUNK - 1],
    ['the first byte of the second chunk', () => CHUNK],
    ['the first byte of the last chunk', () => 2 * CHUNK],
    ['the last byte', (size: number) => size - 1],
  ])('a stored entry with %s changed is named as differing from the manifest', async (_, offset) => {
    const report = await verifyBundle(await flipped(video, offset));
    expect(report.valid).toBe(false);
    expect(
      report.problems
        .filter((p) => p.path === video)
        .map((p) => p.problem)
        .join('\n'),
    ).toMatch(/differs from the signed manifest/);
    expect(report.problems.every((p) => p.path === video)).toBe(true);
  });

  test.each([
    ['the first byte', () => 0],
    ['its middle', (size: number) => Math.floor(size / 2)],
    ['the last byte', (size: number) => size - 1],
  ])('a deflated entry with %s of its compressed data changed is named', async (_, offset) => {
    const report = await verifyBundle(await flipped(log, offset));
    expect(report.valid).toBe(false);
    expect(
      report.problems
        .filter((p) => p.path === log)
        .map((p) => p.problem)
        .join('\n'),
    ).toMatch(/differs from the signed manifest|cannot be read/);
  });
});
