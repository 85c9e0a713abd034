/**
 * Reads a bundle's ZIP as hostile input. Before any content is decompressed, every entry of the
 * central directory is checked: safe relative names, no links or devices, no duplicates (also by
 * case), local and central headers that agree, no overlapping entries, and counts, sizes and
 * compression ratios under limits (zip bombs). Each problem is named by its entry.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import * as yauzl from 'yauzl';
import { badInput, type CustosError, errorCode, operationFailure } from '../errors.js';
import { isDeviceFailure } from '../system-errors.js';
import { hasControlCharacters, type ZipLimits } from './format.js';

/**
 * The `code` of the failure a later open gives when the path no longer holds the file first opened
 * (another file renamed over it, or the same file written to): verify's threads answer with it too.
 */
export const FILE_CHANGED = 'CUSTOS_FILE_CHANGED';

/**
 * Which file a descriptor reads, and in what state: device, inode, size and modification time
 * (bigint, so that no inode number is rounded). Every later open of a ZIP must find the key its
 * first open found (verify-threads.ts builds the same key in its threads).
 */
export function fileKey(stats: fs.BigIntStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}`;
}

/** The failure of a file that changed while it was being read: exit 3, nothing said of its integrity. */
export function fileChanged(file: string): CustosError {
  return Object.assign(
    operationFailure(
      `${file} changed while it was being verified; verify it again from a copy that nothing writes to`,
    ),
    { code: FILE_CHANGED },
  );
}

/**
 * Whether a failed read is the file's, not its content's: its disk failed (EIO, a stick pulled
 * out) or the path came to hold another file. Either says nothing about the bundle's integrity,
 * so it ends the check (exit 3) rather than being reported as a problem of an entry.
 */
export function isFileReadFailure(error: unknown): boolean {
  return isDeviceFailure(error) || errorCode(error) === FILE_CHANGED;
}

/** Each open ZIP's file key (`fileKey`), taken by `openZip` at its first open of the file. */
const zipKeys = new WeakMap<yauzl.ZipFile, string>();

/** Each open ZIP's reader, through which `readEntries` walks its central directory. */
const zipReaders = new WeakMap<yauzl.ZipFile, WindowedFileReader>();

/** Opens `file` again and checks that it is the file whose key is `key` (else `fileChanged`). */
function openSameFileSync(file: string, key: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') throw fileChanged(file);
    throw error;
  }
  let same: boolean;
  try {
    same = fileKey(fs.fstatSync(fd, { bigint: true })) === key;
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
  if (same) return fd;
  fs.closeSync(fd);
  throw fileChanged(file);
}

/** A difference in the bundle, named by the file (or `(zip)` for the archive itself). */
export interface BundleProblem {
  readonly path: string;
  readonly problem: string;
}

/** A file entry that passed the structural checks. */
export interface ZipFileEntry {
  readonly name: string;
  readonly size: number;
  readonly entry: yauzl.Entry;
  /** Where the entry's (compressed) bytes start in the ZIP file, read from its local header at inspection. */
  readonly dataStart: number;
}

/** An opened bundle ZIP: its safe file entries by name, and what was wrong with the others. */
export interface InspectedZip {
  readonly zip: yauzl.ZipFile;
  /** The ZIP file's path (entries are streamed from it directly). */
  readonly file: string;
  readonly files: ReadonlyMap<string, ZipFileEntry>;
  readonly problems: readonly BundleProblem[];
  /** True when the archive itself cannot be trusted (too many entries, bomb, damaged directory): read nothing. */
  readonly refused: boolean;
  /** Reads `target.length` bytes of the ZIP file from `position` (fewer at its end); returns how many. */
  readAt(target: Buffer, position: number): Promise<number>;
  /** Closes the archive; resolves once its descriptors are closed (a temp folder can then go). */
  close(): Promise<void>;
  /** The file's key at its first open (`fileKey`): every later open, the threads' too, must find it. */
  readonly key: string;
  /** Throws `fileChanged` when the path holds another file, or the file was written to, since the first open. */
  requireUnchanged(): void;
}

/**
 * Reads at positions of a file through one descriptor, opened at the first read and kept until
 * `close`: a bundle of a thousand tokens made an open and a close per token cost more than its read.
 */
function positionalReader(file: string, key: string): Pick<InspectedZip, 'readAt' | 'close'> {
  let fd: number | undefined;
  return {
    async readAt(target, position) {
      fd ??= openSameFileSync(file, key);
      const { bytesRead } = await readAsync(fd, target, 0, target.length, position);
      return bytesRead;
    },
    async close() {
      if (fd === undefined) return;
      const open = fd;
      fd = undefined;
      await new Promise<void>((resolve) => fs.close(open, () => resolve()));
    },
  };
}

const readAsync = promisify(fs.read);

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const MADE_BY_UNIX = 3;
const ZIP64_MARK = 0xffffffff;
const CHUNK = 1024 * 1024;
/** Entries up to this many compressed bytes are read whole, in one read. */
const READ_WHOLE = 1024 * 1024;

/** Bytes read ahead at a time while yauzl walks the central directory. */
const DIRECTORY_WINDOW = 256 * 1024;

/**
 * What yauzl reads the archive through: its central directory in windows of 256 KiB, each one
 * synchronous read from one descriptor. yauzl's own reader made two asynchronous reads (each a
 * stream) per entry: for two thousand entries, four thousand trips through the thread pool, which
 * cost a bundle's verification 0.1–0.3 s, more when the machine is busy.
 */
class WindowedFileReader extends yauzl.RandomAccessReader {
  private window = Buffer.alloc(0);
  private windowStart = 0;
  /** Where a stray zip64 locator signature lies (`strayLocatorAt`), hidden from yauzl's reads; -1 if none. */
  strayLocator = -1;

  constructor(
    private readonly file: string,
    private readonly fd: number,
    private readonly fileSize: number,
  ) {
    super();
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null, bytesRead?: number) => void,
  ): void {
    let bytesRead: number;
    try {
      bytesRead = this.bytesAt(position, length).copy(buffer, offset);
      const stray = this.strayLocator - position;
      if (stray >= 0 && stray < bytesRead)
        buffer.fill(0, offset + stray, offset + Math.min(stray + 4, bytesRead));
    } catch (error) {
      process.nextTick(callback, error as Error);
      return;
    }
    process.nextTick(callback, null, bytesRead);
  }

  /**
   * The `length` bytes at `position` (fewer at the end of the file), read now: a view of the
   * window, which is never written again (a refill is a new buffer), so a view stays valid; a
   * view kept past the walk (an entry's name) is copied to its exact size, not to keep the window.
   */
  bytesAt(position: number, length: number): Buffer {
    if (length === 0) return Buffer.alloc(0);
    const end = position + length;
    if (position < this.windowStart || end > this.windowStart + this.window.length) {
      const size = Math.max(length, Math.min(DIRECTORY_WINDOW, this.fileSize - position));
      const window = Buffer.allocUnsafe(size);
      this.window = window.subarray(0, readAtLeast(this.fd, window, length, position));
      this.windowStart = position;
    }
    const from = position - this.windowStart;
    return this.window.subarray(from, Math.min(from + length, this.window.length));
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return fs.createReadStream(this.file, { start, end: end - 1 });
  }

  override close(callback: (error: Error | null) => void): void {
    fs.close(this.fd, callback);
  }
}

/**
 * Opens a ZIP; a file that is not a ZIP at all is bad input (exit 2), with a message saying so and
 * naming what it should have been (`kind`).
 */
export async function openZip(file: string, kind = 'a Custos bundle'): Promise<yauzl.ZipFile> {
  try {
    const fd = fs.openSync(file, 'r');
    let stats: fs.BigIntStats;
    try {
      stats = fs.fstatSync(fd, { bigint: true });
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
    const size = Number(stats.size);
    const reader = new WindowedFileReader(file, fd, size);
    reader.strayLocator = strayLocatorAt(reader, size);
    return await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromRandomAccessReader(
        reader,
        size,
        { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true },
        (error, zip) => {
          if (!error) {
            zipKeys.set(zip, fileKey(stats));
            zipReaders.set(zip, reader);
            return resolve(zip);
          }
          reader.close(() => undefined);
          reject(error);
        },
      ),
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw badInput(`${file}: no such file; check the path`);
    if (code === 'EISDIR') throw badInput(`${file} is a folder, not ${kind}`);
    if (code) throw error;
    throw badInput(
      `${file} is not ${kind}: it is not a readable ZIP archive (${(error as Error).message}); it may be truncated, damaged or another kind of file`,
    );
  }
}

/**
 * An open ZIP and every entry of its central directory, read once: `custos verify` reads it to tell
 * a WACZ from a bundle and hands it to `inspectZip`, which then does not read it again.
 */
export interface ZipDirectory {
  readonly zip: yauzl.ZipFile;
  /** Every entry, in the directory's order (those before the damage, when it is damaged). */
  readonly entries: readonly yauzl.Entry[];
  /** What stopped the reading of a damaged directory, or null. */
  readonly damage: Error | null;
}

/**
 * Opens a ZIP (as `openZip`, which throws for a file that is no ZIP) and reads its central
 * directory; null (the ZIP closed) when it holds more than `maxEntries` entries, which
 * `inspectZip` refuses without reading them.
 */
export async function readZipDirectory(
  file: string,
  maxEntries: number,
  kind = 'a Custos bundle',
): Promise<ZipDirectory | null> {
  const zip = await openZip(file, kind);
  if (zip.entryCount > maxEntries) {
    zip.close();
    return null;
  }
  return { zip, ...readEntries(zip) };
}

const CENTRAL_HEADER_BYTES = 46;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;

/**
 * Every entry of an open ZIP's central directory, in one synchronous pass through its reader's
 * window, each name decoded once (`entryName` returns it). yauzl's own walk (`eachEntry`) made two
 * reads per entry, each answered on a later tick, then an event and a promise: for the bulk
 * bundle's 2,028 entries about 0.7 s of the main thread's samples in a profile at load 8, on the
 * path before any hashing can start. yauzl has no synchronous walk, so this one is written here:
 * the header fields, the checks and the messages are those of yauzl's `_readEntry` (3.x; a damaged
 * directory reads the same), and the extra fields and names are yauzl's own functions.
 */
function readEntries(zip: yauzl.ZipFile): { entries: yauzl.Entry[]; damage: Error | null } {
  const reader = zipReaders.get(zip)!;
  // Where yauzl's walk would start: the directory's offset, read from the (zip64) end record.
  let cursor = (zip as unknown as { readEntryCursor: number }).readEntryCursor;
  const entries: yauzl.Entry[] = [];
  try {
    for (let i = 0; i < zip.entryCount; i++) {
      const header = reader.bytesAt(cursor, CENTRAL_HEADER_BYTES);
      if (header.length < CENTRAL_HEADER_BYTES) throw new Error('unexpected EOF');
      const signature = header.readUInt32LE(0);
      if (signature !== CENTRAL_HEADER_SIGNATURE)
        throw new Error(`invalid central directory file header signature: 0x${signature.toString(16)}`);
      const entry = new yauzl.Entry();
      entry.versionMadeBy = header.readUInt16LE(4);
      entry.versionNeededToExtract = header.readUInt16LE(6);
      entry.generalPurposeBitFlag = header.readUInt16LE(8);
      entry.compressionMethod = header.readUInt16LE(10);
      entry.lastModFileTime = header.readUInt16LE(12);
      entry.lastModFileDate = header.readUInt16LE(14);
      entry.crc32 = header.readUInt32LE(16);
      entry.compressedSize = header.readUInt32LE(20);
      entry.uncompressedSize = header.readUInt32LE(24);
      entry.fileNameLength = header.readUInt16LE(28);
      entry.extraFieldLength = header.readUInt16LE(30);
      entry.fileCommentLength = header.readUInt16LE(32);
      entry.internalFileAttributes = header.readUInt16LE(36);
      entry.externalFileAttributes = header.readUInt32LE(38);
      entry.relativeOffsetOfLocalHeader = header.readUInt32LE(42);
      if (entry.generalPurposeBitFlag & 0x40) throw new Error('strong encryption is not supported');
      cursor += CENTRAL_HEADER_BYTES;
      const variableLength = entry.fileNameLength + entry.extraFieldLength + entry.fileCommentLength;
      // A copy of exactly the entry's bytes: a view would keep the whole 256 KiB window alive,
      // and a hostile directory of 65,535 entries many windows.
      const variable = Buffer.from(reader.bytesAt(cursor, variableLength));
      if (variable.length < variableLength) throw new Error('unexpected EOF');
      cursor += variableLength;
      entry.fileNameRaw = variable.subarray(0, entry.fileNameLength);
      const commentStart = entry.fileNameLength + entry.extraFieldLength;
      entry.extraFieldRaw = variable.subarray(entry.fileNameLength, commentStart);
      entry.fileCommentRaw = variable.subarray(commentStart, variableLength);
      entry.extraFields = yauzl.parseExtraFields(entry.extraFieldRaw);
      // yauzl's decodeStrings: false leaves the raw bytes here; the name is decoded below, once.
      entry.fileComment = entry.fileCommentRaw as unknown as string;
      entry.comment = entry.fileComment;
      readZip64Fields(entry);
      if (entry.compressionMethod === 0) {
        // yauzl's validateEntrySizes: a stored entry's sizes agree (plus the 12-byte header of the
        // traditional encryption).
        const expected = entry.uncompressedSize + (entry.isEncrypted() ? 12 : 0);
        if (entry.compressedSize !== expected)
          throw new Error(
            `compressed/uncompressed size mismatch for stored file: ${entry.compressedSize} != ${entry.uncompressedSize}`,
          );
      }
      entry.fileName = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true,
      );
      entries.push(entry);
    }
    requireDirectoryEnd(reader, zip, cursor);
  } catch (error) {
    return { entries, damage: error as Error };
  }
  return { entries, damage: null };
}

const END_SIGNATURE = 0x06054b50;
const ZIP64_END_SIGNATURE = 0x06064b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const DIGITAL_SIGNATURE = 0x05054b50;
const END_BYTES = 22;
const ZIP64_END_BYTES = 56;
const ZIP64_LOCATOR_BYTES = 20;

/** The little-endian unsigned integer of `bytes` bytes at `at` (up to 8; exact below 2^53). */
function readUInt(buffer: Buffer, at: number, bytes: 2 | 4 | 8): number {
  if (bytes === 2) return buffer.readUInt16LE(at);
  if (bytes === 4) return buffer.readUInt32LE(at);
  return buffer.readUInt32LE(at) + buffer.readUInt32LE(at + 4) * 0x100000000;
}

/**
 * Where the 20 bytes before a plain ZIP's end record hold the zip64 locator's signature by chance
 * (in the last entry's name, extra field or comment), or -1. yauzl takes that signature as a
 * locator and reads a zip64 end record where its next bytes point; Python takes it only when the
 * 56 bytes before it start with the zip64 end record's signature, and Go only when the end record
 * holds a 0xffff/0xffffffff marker. The signature is stray (and the archive read as plain ZIP, as
 * Python and Go read it) only when nothing makes it a locator to any of them: no marker in the end
 * record, no zip64 end record's signature where it points or 56 bytes before it. Otherwise the
 * archive is read as zip64 and `requireDirectoryEnd` refuses a locator that is not consistent.
 */
function strayLocatorAt(reader: WindowedFileReader, size: number): number {
  // yauzl's search: the last end record's signature within a comment's reach of the end.
  const from = Math.max(0, size - END_BYTES - 0xffff);
  const tail = reader.bytesAt(from, size - from);
  let endAt = -1;
  for (let i = tail.length - END_BYTES; i >= 0 && endAt < 0; i--)
    if (tail.readUInt32LE(i) === END_SIGNATURE) endAt = from + i;
  const locatorAt = endAt - ZIP64_LOCATOR_BYTES;
  if (endAt < 0 || locatorAt < 0) return -1;
  const signatureAt = (at: number) => {
    const bytes = at >= 0 && at + 4 <= size ? reader.bytesAt(at, 4) : Buffer.alloc(0);
    return bytes.length === 4 ? bytes.readUInt32LE(0) : -1;
  };
  if (signatureAt(locatorAt) !== ZIP64_LOCATOR_SIGNATURE) return -1;
  const record = Buffer.from(reader.bytesAt(endAt, END_BYTES));
  const marked =
    record.readUInt16LE(10) === 0xffff ||
    record.readUInt32LE(12) === ZIP64_MARK ||
    record.readUInt32LE(16) === ZIP64_MARK;
  const pointsAt = readUInt(Buffer.from(reader.bytesAt(locatorAt, ZIP64_LOCATOR_BYTES)), 8, 8);
  const zip64Somewhere =
    signatureAt(pointsAt) === ZIP64_END_SIGNATURE ||
    signatureAt(locatorAt - ZIP64_END_BYTES) === ZIP64_END_SIGNATURE;
  return marked || zip64Somewhere ? -1 : locatorAt;
}

/**
 * Throws unless the central directory ends where its end records say it does, as every ZIP writer
 * puts it (yazl, Info-ZIP, Python, zip-writer.ts): right after the entries the end record counts
 * (and a digital signature, if any) comes the zip64 end record, its locator and the end record, or
 * the end record alone; the directory's size is the bytes it takes; and where a zip64 record is
 * used, the end record's own count, size and offset are its values or the marker saying to read
 * them there. One more central header after the counted entries is an entry that unzip and Python
 * extract but a reader trusting the count never sees. A directory that ends anywhere else leaves
 * room for a second one: Python and unzip find the directory by its size, back from the end
 * record (taking the difference for bytes prepended to the archive), and Go reads the end record's
 * own offset unless it holds the marker, so each could list files this reader never checked.
 * `end` is where the counted entries end.
 */
function requireDirectoryEnd(reader: WindowedFileReader, zip: yauzl.ZipFile, end: number): void {
  const counted = zip.entryCount;
  const signatureAt = (at: number) => {
    const bytes = reader.bytesAt(at, 4);
    return bytes.length === 4 ? bytes.readUInt32LE(0) : -1;
  };
  let cursor = end;
  if (signatureAt(cursor) === DIGITAL_SIGNATURE) {
    const header = reader.bytesAt(cursor, 6);
    cursor += header.length === 6 ? 6 + header.readUInt16LE(4) : 6;
  }
  const signature = signatureAt(cursor);
  if (signature === CENTRAL_HEADER_SIGNATURE)
    throw new Error(
      `it holds more entries than the ${counted} its end record counts: a file may be hidden from tools that trust the count`,
    );
  // yauzl found the end record at the end of the file, before a comment of the length it gives.
  const endAt = zip.fileSize - END_BYTES - (zip.comment as unknown as Buffer).length;
  const record = reader.bytesAt(endAt, END_BYTES);
  const locatorAt = endAt - ZIP64_LOCATOR_BYTES;
  const zip64 =
    locatorAt >= 0 && locatorAt !== reader.strayLocator && signatureAt(locatorAt) === ZIP64_LOCATOR_SIGNATURE;
  const zip64At = zip64 ? readUInt(reader.bytesAt(locatorAt, ZIP64_LOCATOR_BYTES), 8, 8) : -1;
  const expectedAt = zip64 ? zip64At : endAt;
  if (cursor !== expectedAt || (signature !== END_SIGNATURE && signature !== ZIP64_END_SIGNATURE))
    throw new Error(
      signature === END_SIGNATURE || signature === ZIP64_END_SIGNATURE
        ? `it does not end where its end records say: the ${counted} entries they count end at byte ${cursor}, not at the ${zip64 ? 'zip64 end record' : 'end record'} (byte ${expectedAt}); a second directory may be hidden there from tools that find it by its size`
        : `it does not end after the ${counted} entries its end record counts (${signature < 0 ? 'the file ends there' : `0x${signature.toString(16)} follows them`})`,
    );
  const start = (zip as unknown as { readEntryCursor: number }).readEntryCursor;
  const fields = (buffer: Buffer, thisDisk: number, total: number, size: number, bytes: 2 | 4 | 8) => ({
    thisDisk: readUInt(buffer, thisDisk, bytes === 8 ? 8 : 2),
    total: readUInt(buffer, total, bytes === 8 ? 8 : 2),
    size: readUInt(buffer, size, bytes === 8 ? 8 : 4),
    offset: readUInt(buffer, size + (bytes === 8 ? 8 : 4), bytes === 8 ? 8 : 4),
  });
  const plain = fields(record, 8, 10, 12, 4);
  const problems: string[] = [];
  if (plain.thisDisk !== plain.total)
    problems.push(`its end record counts ${plain.total} entries in all but ${plain.thisDisk} on its disk`);
  if (zip64) {
    const zip64Record = Buffer.from(reader.bytesAt(zip64At, ZIP64_END_BYTES));
    const wide = fields(zip64Record, 24, 32, 40, 8);
    // Its size field counts the bytes after it (44, more with an extensible data sector, APPNOTE
    // 4.3.14); the record ends where the locator starts.
    const recordSize = readUInt(zip64Record, 4, 8);
    if (recordSize < ZIP64_END_BYTES - 12 || zip64At + 12 + recordSize !== locatorAt)
      problems.push('its zip64 end record does not end where its locator starts');
    // Python reads the zip64 record in the 56 bytes just before the locator, whatever the locator
    // says, and without one there, the directory as the end record's size places it back from the
    // end record: past an extensible data sector, it could read another record or directory.
    else if (recordSize > ZIP64_END_BYTES - 12) {
      if (signatureAt(locatorAt - ZIP64_END_BYTES) === ZIP64_END_SIGNATURE)
        problems.push('its zip64 end record holds another in its extensible data, which Python would read');
      else if (plain.size !== ZIP64_MARK)
        problems.push(
          "its zip64 end record has extensible data but its end record gives the directory's size, which Python would then read back from the end record",
        );
    }
    if (wide.thisDisk !== wide.total)
      problems.push(
        `its zip64 end record counts ${wide.total} entries in all but ${wide.thisDisk} on its disk`,
      );
    if (wide.size !== cursor - start)
      problems.push(
        `its zip64 end record gives its size as ${wide.size} bytes, not the ${cursor - start} it takes`,
      );
    const disagree = (value: number, marker: number, wideValue: number) =>
      value !== marker && value !== wideValue;
    if (
      disagree(plain.total, 0xffff, wide.total) ||
      disagree(plain.size, ZIP64_MARK, wide.size) ||
      disagree(plain.offset, ZIP64_MARK, wide.offset)
    )
      problems.push(
        `its end record (${plain.total} entries, ${plain.size} bytes at byte ${plain.offset}) and its zip64 end record (${wide.total} entries, ${wide.size} bytes at byte ${wide.offset}) disagree, so readers would list different entries`,
      );
  } else if (plain.size !== cursor - start)
    problems.push(`its end record gives its size as ${plain.size} bytes, not the ${cursor - start} it takes`);
  if (problems.length > 0) throw new Error(problems.join('; '));
}

/** The sizes and offset a zip64 extra field (0x0001) holds for the fields marked 0xffffffff, as yauzl reads them. */
function readZip64Fields(entry: yauzl.Entry): void {
  const field = entry.extraFields.find((extra) => extra.id === 0x0001);
  if (!field) return;
  let index = 0;
  const next = (what: string) => {
    if (index + 8 > field.data.length)
      throw new Error(`zip64 extended information extra field does not include ${what}`);
    const value = field.data.readUInt32LE(index) + field.data.readUInt32LE(index + 4) * 0x100000000;
    index += 8;
    return value;
  };
  if (entry.uncompressedSize === ZIP64_MARK) entry.uncompressedSize = next('uncompressed size');
  if (entry.compressedSize === ZIP64_MARK) entry.compressedSize = next('compressed size');
  if (entry.relativeOffsetOfLocalHeader === ZIP64_MARK)
    entry.relativeOffsetOfLocalHeader = next('relative header offset');
}

/**
 * An entry's name as every check reads it: its Unicode-path field (0x7075) when it has one that
 * matches its header's name, else the header's name (UTF-8 when flagged, else CP437).
 */
export function entryName(entry: yauzl.Entry): string {
  return entry.fileName; // decoded by readEntries, as above
}

/**
 * Opens a bundle ZIP (or a WACZ: `kind`) and checks every entry's structure before anything is
 * decompressed; `directory`, when given, is the file's directory already read (its ZIP is then
 * this one's, closed with it).
 */
export async function inspectZip(
  file: string,
  limits: ZipLimits,
  kind = 'a Custos bundle',
  directory?: ZipDirectory,
): Promise<InspectedZip> {
  const zip = directory?.zip ?? (await openZip(file, kind));
  const problems: BundleProblem[] = [];
  const files = new Map<string, ZipFileEntry>();
  const key = zipKeys.get(zip)!;
  const reader = positionalReader(file, key);
  const readAt = reader.readAt;
  const close = () => {
    zip.close();
    return reader.close();
  };
  // Through an open file, as every other open is compared: a stat by path may report the device
  // differently (libuv 1.49-1.50 on Windows gave the 64-bit volume serial by path, the 32-bit one
  // through a handle), which would call every bundle changed.
  const requireUnchanged = () => fs.closeSync(openSameFileSync(file, key));
  const opened = { zip, file, files, problems, readAt, close, key, requireUnchanged };
  if (zip.entryCount > limits.maxEntries) {
    problems.push({
      path: '(zip)',
      problem: `holds ${zip.entryCount} entries, more than the limit of ${limits.maxEntries}`,
    });
    return { ...opened, refused: true };
  }
  const folded = new Map<string, FoldedName>();
  const ranges: { start: number; end: number; name: string }[] = [];
  const dataStarts = new Map<yauzl.Entry, number>();
  let totalBytes = 0;
  let refused = false;
  let fd: number;
  try {
    fd = openSameFileSync(file, key);
  } catch (error) {
    await close(); // the file went, or changed, between yauzl's open and this one
    throw error;
  }
  const read = directory ?? readEntries(zip);
  const entries = read.entries;
  const directoryDamage = read.damage;
  try {
    const locals = readLocalHeaders(headerReader(fd), zip.fileSize, entries);
    for (const entry of entries) {
      const name = entryName(entry);
      const shown = JSON.stringify(name).slice(1, -1);
      const entryProblems = checkEntry(entry, name);
      entryProblems.push(...claimName(folded, name, entry, name, ''));
      // The name its header gives, which tools that ignore a Unicode-path field (Python's zipfile)
      // unpack it as: it must be as safe, and clash with no other entry's name, or such a tool would
      // write it outside the folder or over another file (a manifest.json of its own).
      const headerOwn = headerName(entry);
      if (headerOwn !== name) {
        const said = `its header's own name "${JSON.stringify(headerOwn).slice(1, -1)}" (what tools that ignore its Unicode-path field unpack it as)`;
        for (const problem of nameProblems(headerOwn)) entryProblems.push(`${said}: ${problem}`);
        entryProblems.push(...claimName(folded, headerOwn, entry, name, `${said}: `));
      }
      totalBytes += entry.uncompressedSize;
      if (
        entry.uncompressedSize > limits.ratioFloorBytes &&
        entry.uncompressedSize > entry.compressedSize * limits.maxRatio
      ) {
        entryProblems.push(
          `compression ratio ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))}:1 is over the limit of ${limits.maxRatio}:1 (a zip bomb?)`,
        );
        refused = true;
      }
      const local = locals.get(entry)!;
      if (typeof local === 'string') entryProblems.push(local);
      else {
        entryProblems.push(...compareLocalHeader(entry, local));
        dataStarts.set(entry, local.fileDataStart);
        ranges.push({
          start: entry.relativeOffsetOfLocalHeader,
          end: local.fileDataStart + entry.compressedSize,
          name: shown,
        });
      }
      for (const problem of entryProblems) problems.push({ path: shown, problem });
      if (entryProblems.length === 0 && !name.endsWith('/'))
        files.set(name, {
          name,
          size: entry.uncompressedSize,
          entry,
          dataStart: dataStarts.get(entry) ?? 0,
        });
    }
    if (directoryDamage) throw directoryDamage;
  } catch (error) {
    if (isFileReadFailure(error)) {
      fs.closeSync(fd);
      fd = -1;
      await close();
      throw error;
    }
    problems.push({
      path: '(zip)',
      problem: `the archive's central directory is damaged: ${(error as Error).message}`,
    });
    refused = true;
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
  if (totalBytes > limits.maxTotalBytes) {
    problems.push({
      path: '(zip)',
      problem: `unpacks to ${totalBytes} bytes, more than the limit of ${limits.maxTotalBytes}`,
    });
    refused = true;
  }
  ranges.sort((a, b) => a.start - b.start);
  for (let i = 1; i < ranges.length; i++) {
    const before = ranges[i - 1]!;
    const range = ranges[i]!;
    if (range.start < before.end) {
      problems.push({
        path: range.name,
        problem: `overlaps the data of ${before.name} (an overlapping-entry zip bomb?)`,
      });
      refused = true;
    }
  }
  return { ...opened, refused };
}

/** A name an entry is unpacked as, by its name folded by letter case and Unicode form; and which entry. */
interface FoldedName {
  readonly name: string;
  readonly entry: yauzl.Entry;
  /** The entry's own name. */
  readonly entryName: string;
}

/**
 * Claims `name`, a name `entry` (named `entryName`) is unpacked as, among those claimed before (`folded`);
 * a clash is said after `prefix` (empty for the entry's own name). An entry may claim one name
 * twice (its header's name and its Unicode-path field's the same but for letter case); a header's
 * name may be another header's name (two stand-ins), never an entry's own name.
 */
function claimName(
  folded: Map<string, FoldedName>,
  name: string,
  entry: yauzl.Entry,
  entryName: string,
  prefix: string,
): string[] {
  const key = name.normalize('NFC').toLowerCase();
  const clash = folded.get(key);
  if (clash === undefined) {
    folded.set(key, { name, entry, entryName });
    return [];
  }
  if (clash.entry === entry) return [];
  // Two header names that are both stand-ins (an archiver's code page: Info-ZIP's UTF-8 bytes read
  // as CP437, WinZip's "_" for what its code page lacks) clash in a legitimate archive: what such a
  // tool unpacks them as is the name of no entry, nor is it a name that anything reads.
  if (prefix && clash.name !== clash.entryName) return [];
  if (!prefix && clash.name === clash.entryName)
    return [
      clash.name === name
        ? 'appears twice in the archive'
        : `differs from ${clash.name} only by letter case or Unicode form`,
    ];
  const other =
    clash.name === clash.entryName
      ? clash.entryName
      : `${clash.entryName} (by its header's own name ${clash.name})`;
  return [
    `${prefix}${clash.name === name ? `is also the name of ${other}` : `differs from the name of ${other} only by letter case or Unicode form`}`,
  ];
}

/** What is wrong with an entry's name as a path to unpack it at. */
function nameProblems(name: string): string[] {
  const problems: string[] = [];
  const unsafe = yauzl.validateFileName(name);
  if (name === '') problems.push('has an empty name');
  else if (unsafe)
    problems.push(`unsafe path (${unsafe}): it would be written outside the folder it is unpacked in`);
  if (hasControlCharacters(name)) problems.push('its name contains control characters');
  if (name.split('/').some((part, i, all) => (part === '' && i < all.length - 1) || part === '.')) {
    problems.push('its name has an empty or "." path segment');
  }
  return problems;
}

/** An entry's name as its header gives it, its Unicode-path field (0x7075) ignored (UTF-8 when flagged, else CP437). */
function headerName(entry: yauzl.Entry): string {
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, [], true);
}

/** Structural problems of one central-directory entry. */
function checkEntry(entry: yauzl.Entry, name: string): string[] {
  const problems = nameProblems(name);
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (entry.versionMadeBy >> 8 === MADE_BY_UNIX && type !== 0) {
    if (type === S_IFLNK) problems.push('is a symbolic link: bundles hold regular files only');
    else if (type !== S_IFREG && type !== S_IFDIR)
      problems.push('is not a regular file (a device, pipe or socket)');
    else if (type === S_IFDIR && !name.endsWith('/'))
      problems.push('is marked as a folder but named like a file');
  }
  if (entry.isEncrypted()) problems.push('is encrypted inside the ZIP, which bundles never are');
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    problems.push(
      `uses compression method ${entry.compressionMethod}; bundles use only stored (0) or deflate (8)`,
    );
  }
  return problems;
}

/** The fields of a local file header that inspection compares with the central directory. */
interface LocalHeader {
  readonly fileName: Buffer;
  readonly generalPurposeBitFlag: number;
  readonly compressionMethod: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Where the entry's data starts: after the header, its name and its extra field. */
  readonly fileDataStart: number;
}

const LOCAL_HEADER_BYTES = 30;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;

/** Reads `length` bytes at `position` (fewer at the end of the file): a view, valid until the next read. */
type HeaderReader = (position: number, length: number) => Buffer;

/** The bytes a window read takes at once: the local headers of dozens of small entries. */
const HEADER_WINDOW_BYTES = 256 * 1024;

/**
 * A reader of local headers through one window of the file: the headers of a bundle's thousands
 * of small entries lie close together, so one read serves dozens of them (one system call each
 * was a tenth of inspecting a bundle of 2,000 files). A range outside the window refills it there.
 */
function headerReader(fd: number): HeaderReader {
  let window = Buffer.allocUnsafe(HEADER_WINDOW_BYTES);
  let start = 0;
  let got = 0;
  return (position, length) => {
    if (position < start || position + length > start + got) {
      if (length > window.length) window = Buffer.allocUnsafe(length);
      got = 0; // a read that throws leaves no window, never the old bytes under the new position
      const read = readAtLeast(fd, window, length, position);
      start = position;
      got = read;
    }
    const from = position - start;
    return window.subarray(from, Math.min(from + length, got));
  };
}

/**
 * Each entry's local header, read in the order of the file, so that the window only moves forward
 * and reads each byte about once: in the directory's order, headers out of file order (or far
 * apart) refilled all 256 KiB of it at nearly every entry, and a crafted ZIP of 60,000 entries
 * made inspection read 15 GB.
 */
function readLocalHeaders(
  read: HeaderReader,
  fileSize: number,
  entries: readonly yauzl.Entry[],
): Map<yauzl.Entry, LocalHeader | string> {
  const inFileOrder = [...entries].sort(
    (a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader,
  );
  return new Map(inFileOrder.map((entry) => [entry, readLocalHeader(read, fileSize, entry)]));
}

/**
 * Reads into `buffer` from `position` until `atLeast` bytes are in or the file ends (a read gives
 * 0), asking each time for the rest of the buffer: FUSE and network mounts may give fewer bytes
 * than asked before the end, which one read alone would take for the end of the file.
 */
function readAtLeast(fd: number, buffer: Buffer, atLeast: number, position: number): number {
  let got = 0;
  while (got < atLeast) {
    const read = fs.readSync(fd, buffer, got, buffer.length - got, position + got);
    if (read === 0) break;
    got += read;
  }
  return got;
}

/**
 * Reads an entry's local header, as yauzl's `readLocalFileHeader` does and with its messages, but
 * in one synchronous read from an open descriptor: two asynchronous reads per entry cost a bundle
 * of two thousand small files a fifth of a second of its verification.
 */
function readLocalHeader(read: HeaderReader, fileSize: number, entry: yauzl.Entry): LocalHeader | string {
  const at = entry.relativeOffsetOfLocalHeader;
  const fail = (message: string) => `its local header cannot be read: ${message}`;
  try {
    let buffer = read(at, LOCAL_HEADER_BYTES + entry.fileNameRaw.length + 64);
    const got = buffer.length;
    if (got < LOCAL_HEADER_BYTES) return fail('unexpected EOF');
    const signature = buffer.readUInt32LE(0);
    if (signature !== LOCAL_HEADER_SIGNATURE)
      return fail(`invalid local file header signature: 0x${signature.toString(16)}`);
    const nameLength = buffer.readUInt16LE(26);
    const extraLength = buffer.readUInt16LE(28);
    const fileDataStart = at + LOCAL_HEADER_BYTES + nameLength + extraLength;
    if (fileDataStart + entry.compressedSize > fileSize)
      return fail(
        `file data overflows file bounds: ${fileDataStart} + ${entry.compressedSize} > ${fileSize}`,
      );
    if (got < LOCAL_HEADER_BYTES + nameLength) {
      buffer = read(at, LOCAL_HEADER_BYTES + nameLength);
      if (buffer.length < LOCAL_HEADER_BYTES + nameLength) return fail('unexpected EOF');
    }
    return {
      generalPurposeBitFlag: buffer.readUInt16LE(6),
      compressionMethod: buffer.readUInt16LE(8),
      crc32: buffer.readUInt32LE(14),
      compressedSize: buffer.readUInt32LE(18),
      uncompressedSize: buffer.readUInt32LE(22),
      fileName: Buffer.from(buffer.subarray(LOCAL_HEADER_BYTES, LOCAL_HEADER_BYTES + nameLength)),
      fileDataStart,
    };
  } catch (error) {
    if (isFileReadFailure(error)) throw error; // the disk's failure, not the header's
    return fail((error as Error).message);
  }
}

/** Where the local header (read by streaming unzippers) tells another story than the central directory. */
function compareLocalHeader(entry: yauzl.Entry, local: LocalHeader): string[] {
  const differences: string[] = [];
  if (!local.fileName.equals(entry.fileNameRaw)) differences.push('name');
  // The same bytes read by another flag are another name (CP437 against UTF-8), which a streaming
  // unzipper, reading the local header, would unpack the entry as.
  else if (
    (local.generalPurposeBitFlag ^ entry.generalPurposeBitFlag) & 0x800 &&
    yauzl.getFileNameLowLevel(local.generalPurposeBitFlag, local.fileName, [], true) !== headerName(entry)
  )
    differences.push('name encoding (UTF-8 flag)');
  if (local.compressionMethod !== entry.compressionMethod) differences.push('compression method');
  if ((local.generalPurposeBitFlag & 0x1) !== (entry.generalPurposeBitFlag & 0x1))
    differences.push('encryption flag');
  // With bit 3 set, the sizes and CRC follow the data and the local header holds zeros.
  if ((local.generalPurposeBitFlag & 0x8) === 0) {
    if (local.crc32 !== entry.crc32) differences.push('CRC-32');
    if (local.compressedSize !== ZIP64_MARK && local.compressedSize !== entry.compressedSize)
      differences.push('compressed size');
    if (local.uncompressedSize !== ZIP64_MARK && local.uncompressedSize !== entry.uncompressedSize)
      differences.push('size');
  }
  return differences.length
    ? [`its local header and the central directory disagree (${differences.join(', ')})`]
    : [];
}

/**
 * Streams an entry's uncompressed bytes, read from the file in 1 MiB chunks (yauzl's own streams
 * read 16 KiB at a time, which made hashing several times slower than openssl). The size is checked
 * against the central directory as the bytes flow: a stream that inflates beyond it is cut off.
 */
export async function openEntry(zip: InspectedZip, entry: ZipFileEntry): Promise<Readable> {
  const fileDataStart = entry.dataStart;
  const compressed = entry.entry.compressedSize;
  const raw =
    compressed === 0
      ? Readable.from([])
      : fs.createReadStream(zip.file, {
          start: fileDataStart,
          end: fileDataStart + compressed - 1,
          highWaterMark: CHUNK,
        });
  // Opened by path: the descriptor must read the file first opened, else the bytes are another's.
  raw.on('open', (fd: number) => {
    try {
      if (fileKey(fs.fstatSync(fd, { bigint: true })) !== zip.key) raw.destroy(fileChanged(zip.file));
    } catch (error) {
      raw.destroy(error as Error);
    }
  });
  const data =
    entry.entry.compressionMethod === 8 ? raw.pipe(zlib.createInflateRaw({ chunkSize: CHUNK })) : raw;
  raw.on('error', (error: Error) => data.destroy(error));
  const expected = entry.size;
  let seen = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > expected)
        return done(new Error(`${entry.name} inflates beyond its declared ${expected} bytes`));
      done(null, chunk);
    },
    flush(done) {
      done(
        seen === expected
          ? null
          : new Error(`${entry.name} holds ${seen} bytes, not the ${expected} its header declares`),
      );
    },
  });
  data.on('error', (error: Error) => counted.destroy(error));
  // A consumer that stops early (a store write failed, or the entry inflated beyond its size)
  // destroys `counted` only: the file's stream would keep its descriptor on the bundle open (a
  // USB stick kept busy in the app's long-lived process), and the inflater its memory.
  counted.on('close', () => {
    data.destroy();
    raw.destroy();
  });
  return data.pipe(counted);
}

/** Reads a small entry whole, refusing one larger than `max` bytes. */
export async function readEntryBytes(zip: InspectedZip, entry: ZipFileEntry, max: number): Promise<Buffer> {
  if (entry.size > max)
    throw new Error(
      `${entry.name} is ${entry.size} bytes, more than the ${max} a bundle's ${entry.name} may hold`,
    );
  if (entry.entry.compressedSize > READ_WHOLE) {
    const chunks: Buffer[] = [];
    for await (const chunk of await openEntry(zip, entry)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  // A small entry (a token, its chain, a control file) in one read: a stream per entry cost more
  // than the read itself when a bundle carries thousands of tokens.
  const compressed = Buffer.alloc(entry.entry.compressedSize);
  if ((await zip.readAt(compressed, entry.dataStart)) !== compressed.length)
    throw new Error(`${entry.name}: the archive ends inside this entry`);
  let data: Buffer;
  try {
    data =
      entry.entry.compressionMethod === 8
        ? zlib.inflateRawSync(compressed, { maxOutputLength: entry.size + 1 })
        : compressed;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Error(`${entry.name} inflates beyond its declared ${entry.size} bytes`);
    throw error;
  }
  if (data.length > entry.size)
    throw new Error(`${entry.name} inflates beyond its declared ${entry.size} bytes`);
  if (data.length < entry.size)
    throw new Error(`${entry.name} holds ${data.length} bytes, not the ${entry.size} its header declares`);
  return data;
}

/** The SHA-256 of an entry's uncompressed bytes, streamed; `onChunk` sees each chunk (e.g. to parse lines). */
export async function hashEntry(
  zip: InspectedZip,
  entry: ZipFileEntry,
  onChunk?: (chunk: Buffer) => void,
): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await openEntry(zip, entry)) {
    hash.update(chunk as Buffer);
    onChunk?.(chunk as Buffer);
  }
  return hash.digest('hex');
}
