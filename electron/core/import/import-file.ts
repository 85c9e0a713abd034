import type { Stats } from 'node:fs';
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ItemSummary } from '../../../shared/domain.js';
import { badInput, type CustosError } from '../errors.js';
import { requireRegularFile, requireRegularFileSync, unreadable } from '../regular-file.js';
import { type BlobBatch, type BlobStore, type ByteProgress, SourceReadError } from '../store/blob-store.js';
import type { EvidenceStore, NewItem } from '../store/evidence-store.js';
import { describeSourceReadFailure, describeSystemError } from '../system-errors.js';
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
 * without committing anything (see stageCheckedFile).
 */
export async function stageImport(
  store: EvidenceStore,
  caseRef: string,
  file: FilePath,
  onProgress?: ByteProgress,
): Promise<NewItem> {
  return stageFile(store.blobs, store.getCase(caseRef).id, file, onProgress);
}

/**
 * With `blockingReads`, a file no larger than this is read whole in one read, with synchronous
 * calls, and its blob written from memory (BlobBatch.putBytes): for a 4 KiB photo thumbnail the
 * round trips through libuv's thread pool (open, stat, read, close, copy, reopen to hash) cost far
 * more of this thread's time than the system calls themselves. Larger files are copied as before.
 */
export const SMALL_FILE_BYTES = SNIFF_BYTES;

/**
 * Checks a file (`checkImportable`, again: it may have changed since a batch checked it), stores
 * its bytes as a blob and describes it as an item of case `caseId`, without committing anything.
 * Several files can be staged at once (their reads and writes overlap) and then committed in
 * order with `store.addItem`. With a `BlobBatch` the blob is only written (a small file from
 * memory, see SMALL_FILE_BYTES): the batch must be persisted before the item is committed (see
 * importFiles). A staged file that is never committed leaves at most an unreferenced blob, which
 * `audit` reports and never counts as evidence.
 */
export async function stageFile(
  blobs: BlobStore | BlobBatch,
  caseId: string,
  file: FilePath,
  onProgress?: ByteProgress,
  options: StageOptions = {},
): Promise<NewItem> {
  const shown = displayName(file);
  // Checked again (it may have changed since a batch checked it), but not for readability: the
  // open just below says that too (openSource), one `access` less per file.
  const checked = options.blockingReads
    ? checkImportableSync(file, shown, { checkReadable: false })
    : await checkImportable(file, shown);
  const small = options.blockingReads && 'putBytes' in blobs ? readSmallFile(file, shown, checked) : null;
  let opened: Stats;
  let head: Uint8Array;
  let blob: { readonly sha256: string; readonly size: number };
  if (small && 'putBytes' in blobs) {
    opened = small.opened;
    head = small.bytes.subarray(0, SNIFF_BYTES);
    blob = blobs.putBytes(small.bytes);
    onProgress?.(blob.size);
  } else {
    ({ opened, head } = await readHead(file, shown, checked));
    blob = await blobs.putFile(file, onProgress).catch((error: unknown) => {
      // The source's own disk failing part way (a phone, a stick) is worded as the source's; the
      // store's write failures come through as the blob store words them.
      throw error instanceof SourceReadError ? sourceReadFailure(error.cause, shown) : error;
    });
  }
  const sniffed = await sniffMediaType(head);
  const link = options.blockingReads
    ? symbolicLinkSync(file, opened, shown)
    : await symbolicLink(file, opened, shown);

  const baseName = path.basename(typeof file === 'string' ? file : file.toString('utf8'));
  const metadata: Record<string, unknown> = {
    originalName: baseName,
    originalPath: path.resolve(shown),
    size: blob.size,
    modifiedAt: opened.mtime.toISOString(),
    mediaType: sniffed.mediaType,
  };
  if (link) metadata.symbolicLink = link;
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
    caseId,
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

/**
 * Read-only, and never waiting: a file swapped for a FIFO since its check would otherwise block
 * the open until some writer came (the swap is then refused below).
 */
const READ_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

/** The file opened is the one checked: a file swapped for another in between is refused. */
function requireSameFile(opened: Stats, checked: Stats, shown: string): void {
  if (opened.ino !== checked.ino || opened.dev !== checked.dev) {
    throw replacedMeanwhile(shown);
  }
}

/** The error of a file (or a link) changed between its check and its import. */
function replacedMeanwhile(shown: string): CustosError {
  return badInput(`${shown} was replaced while it was being imported; import it again`);
}

/** The stat of the file as opened and its first SNIFF_BYTES, read through the thread pool. */
async function readHead(
  file: FilePath,
  shown: string,
  checked: Stats,
): Promise<{ opened: Stats; head: Buffer }> {
  const handle = await fs.open(file, READ_FLAGS).catch((error: unknown) => {
    throw sourceReadFailure(error, shown);
  });
  try {
    const opened = await handle.stat();
    requireSameFile(opened, checked, shown);
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, opened.size));
    await handle.read(head, 0, head.byteLength, 0).catch((error: unknown) => {
      throw sourceReadFailure(error, shown);
    });
    return { opened, head };
  } finally {
    await handle.close();
  }
}

/**
 * A file of at most SMALL_FILE_BYTES read whole, synchronously, with its stat as opened; null
 * when it is larger (or grew past its size while read: it is then copied as a large one, which
 * reads to its end).
 */
function readSmallFile(
  file: FilePath,
  shown: string,
  checked: Stats,
): { opened: Stats; bytes: Buffer } | null {
  if (checked.size > SMALL_FILE_BYTES) return null;
  let fd: number;
  try {
    fd = openSync(file, READ_FLAGS);
  } catch (error) {
    throw sourceReadFailure(error, shown);
  }
  try {
    const opened = fstatSync(fd);
    requireSameFile(opened, checked, shown);
    if (opened.size > SMALL_FILE_BYTES) return null;
    // One byte more than its size: a file read whole needs no second read to see its end.
    const buffer = Buffer.allocUnsafe(opened.size + 1);
    let length = 0;
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, buffer, length, buffer.byteLength - length, null);
      } catch (error) {
        throw sourceReadFailure(error, shown);
      }
      if (read === 0) break;
      length += read;
      if (length === buffer.byteLength) return null; // it grew while being read
    }
    return { opened, bytes: buffer.subarray(0, length) };
  } finally {
    closeSync(fd);
  }
}

/**
 * A failed open or read of a source: a refused permission as the check would have refused it, a
 * failing disk or device as the source's (not the store's), else the system error worded as a read.
 */
export function sourceReadFailure(error: unknown, shown: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return unreadable(shown, IMPORT_REFUSED);
  return (
    describeSourceReadFailure(error, shown, IMPORT_REFUSED) ??
    describeSystemError(error, undefined, { access: 'read' }) ??
    error
  );
}

/** How a file is read when it is staged. */
export interface StageOptions {
  /**
   * Check and read small files with synchronous calls (see SMALL_FILE_BYTES). Only for a process
   * that does nothing else meanwhile (the CLI): the app leaves it off, since a source on a slow or
   * hung mount (a phone over MTP, a network share) must never freeze its window.
   */
  readonly blockingReads?: boolean;
}

/** Refuses, with a message that says why, anything but an existing regular file. */
export function checkImportable(file: FilePath, shown = displayName(file)): Promise<Stats> {
  return requireRegularFile(file, shown, IMPORT_REFUSED, IMPORT_FOLDER_HINT);
}

/** `checkImportable` with synchronous calls (see StageOptions.blockingReads): a batch checks thousands of files, each twice. */
export function checkImportableSync(
  file: FilePath,
  shown = displayName(file),
  { checkReadable = true }: { readonly checkReadable?: boolean } = {},
): Stats {
  return requireRegularFileSync(file, shown, IMPORT_REFUSED, IMPORT_FOLDER_HINT, checkReadable);
}

const IMPORT_REFUSED = 'nothing was imported';
const IMPORT_FOLDER_HINT = 'import the files inside it';

/**
 * What the record says of a path given that is a symbolic link: the bytes imported are those of the
 * file it leads to (`importedPath`), not of a file at the path given, and a court asks which file
 * was preserved. `target` is the link as written (it may be relative, or lead through other links).
 */
export interface SymbolicLinkRecord {
  readonly target: string;
  readonly importedPath: string;
}

async function symbolicLink(
  file: FilePath,
  opened: Stats,
  shown: string,
): Promise<SymbolicLinkRecord | null> {
  if (!(await fs.lstat(file)).isSymbolicLink()) return null;
  const target = await fs.readlink(file, 'utf8');
  const importedPath = await fs.realpath(file);
  requireSameLink(target, await fs.readlink(file, 'utf8'), await fs.stat(importedPath), opened, shown);
  return { target, importedPath };
}

/** `symbolicLink` with synchronous calls (see StageOptions.blockingReads): one lstat for a plain file. */
function symbolicLinkSync(file: FilePath, opened: Stats, shown: string): SymbolicLinkRecord | null {
  if (!lstatSync(file).isSymbolicLink()) return null;
  const target = readlinkSync(file, 'utf8');
  const importedPath = realpathSync(file);
  requireSameLink(target, readlinkSync(file, 'utf8'), statSync(importedPath), opened, shown);
  return { target, importedPath };
}

/**
 * The link is read after its file was: changed in between, it would name a file whose bytes were
 * not the ones imported. Refused as a file replaced while it was imported.
 */
function requireSameLink(
  target: string,
  targetAfter: string,
  resolved: Stats,
  opened: Stats,
  shown: string,
): void {
  requireSameFile(resolved, opened, shown);
  if (target !== targetAfter) throw replacedMeanwhile(shown);
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
