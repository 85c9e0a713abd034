import fs from 'node:fs/promises';
import path from 'node:path';
import type { ItemSummary } from '../../../shared/domain.js';
import { badInput } from '../errors.js';
import { requireRegularFile } from '../regular-file.js';
import type { BlobBatch, BlobStore, ByteProgress } from '../store/blob-store.js';
import type { EvidenceStore, NewItem } from '../store/evidence-store.js';
import { readMediaMetadata } from './media-metadata.js';
import { SNIFF_BYTES, sniffMediaType } from './media-type.js';

/** A file to import: a path as text, or as raw bytes when the name is not valid UTF-8. */
export type FilePath = string | Buffer;

/**
 * Imports one file as one item (role `original`), preserving its bytes exactly and recording its
 * original name, size, modification time, the media type sniffed from its content and, for a
 * photo, its EXIF, GPS, XMP and IPTC metadata (`media`, see media-metadata.ts).
 * Anything that is not a readable regular file is refused before anything is written.
 */
export async function importFile(
  store: EvidenceStore,
  caseRef: string,
  file: FilePath,
  onProgress?: ByteProgress,
): Promise<ItemSummary> {
  return store.addItem(await stageImport(store, caseRef, file, onProgress));
}

/**
 * The first half of `importFile`: checks the file, stores its bytes as a blob and describes it,
 * without committing anything. Several files can be staged at once (their reads and writes
 * overlap) and then committed in order with `store.addItem`. With a `BlobBatch` the blob is only
 * written: the batch must be persisted before the item is committed (see importFiles). A staged
 * file that is never committed leaves at most an unreferenced blob, which `audit` reports and
 * never counts as evidence.
 */
export async function stageImport(
  store: EvidenceStore,
  caseRef: string,
  file: FilePath,
  onProgress?: ByteProgress,
  blobs: BlobStore | BlobBatch = store.blobs,
): Promise<NewItem> {
  const caseRow = store.getCase(caseRef);
  const shown = displayName(file);
  const stat = await checkImportable(file, shown);

  const handle = await fs.open(file, 'r');
  let head: Buffer;
  let opened: Awaited<ReturnType<typeof handle.stat>>;
  try {
    opened = await handle.stat();
    if (opened.ino !== stat.ino || opened.dev !== stat.dev) {
      throw badInput(`${shown} was replaced while it was being imported; import it again`);
    }
    head = Buffer.alloc(Math.min(SNIFF_BYTES, opened.size));
    await handle.read(head, 0, head.byteLength, 0);
  } finally {
    await handle.close();
  }
  const sniffed = await sniffMediaType(head);
  const blob = await blobs.putFile(file, onProgress);

  const baseName = path.basename(typeof file === 'string' ? file : file.toString('utf8'));
  const metadata: Record<string, unknown> = {
    originalName: baseName,
    originalPath: path.resolve(shown),
    size: blob.size,
    modifiedAt: opened.mtime.toISOString(),
    mediaType: sniffed.mediaType,
  };
  if (typeof file !== 'string' && !isValidUtf8(pathBaseBytes(file))) {
    // The name is not valid UTF-8 (possible on Linux): keep its exact bytes beside the readable form.
    metadata.originalNameBytesBase64 = pathBaseBytes(file).toString('base64');
  }
  // Read from the stored blob: the metadata describes exactly the bytes that are kept.
  const media = await readMediaMetadata(blobs.pathOf(blob.sha256), sniffed.mediaType);
  if (media?.media) metadata.media = media.media;
  if (media?.note) metadata.mediaNote = media.note;
  if (blob.size !== opened.size) {
    metadata.note = `the file was ${opened.size} bytes when opened and ${blob.size} bytes were read: it changed during import`;
  }
  return {
    caseId: caseRow.id,
    kind: 'import',
    source: baseName,
    title: baseName,
    metadata,
    artifacts: [
      {
        role: 'original',
        name: `original${sniffed.extension ? `.${sniffed.extension}` : ''}`,
        mediaType: sniffed.mediaType,
        size: blob.size,
        sha256: blob.sha256,
      },
    ],
  };
}

/** Refuses, with a message that says why, anything but an existing regular file. */
export async function checkImportable(file: FilePath, shown = displayName(file)) {
  return requireRegularFile(file, shown, 'nothing was imported', 'import the files inside it');
}

/** A path as a person reads it (invalid UTF-8 bytes shown as U+FFFD). */
export function displayName(file: FilePath): string {
  return typeof file === 'string' ? file : file.toString('utf8');
}

function pathBaseBytes(file: Buffer): Buffer {
  const slash = file.lastIndexOf(0x2f);
  return slash === -1 ? file : file.subarray(slash + 1);
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
