/**
 * The central directory as `readZipDirectory` reads it (one synchronous pass, zip-reader.ts) must
 * be the directory yauzl's own walk reads: the same entries with the same fields, and for a damaged
 * directory the same entries before the damage and the same message, which verify's report quotes
 * ("the archive's central directory is damaged: …"). Real ZIPs written by yazl and by hand, then
 * damaged byte by byte as a hostile sender would.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import * as yauzl from 'yauzl';
import yazl from 'yazl';
import { entryName, readZipDirectory } from '../../../electron/core/bundle/zip-reader.js';
import { hideEntry, shadowDirectory, writeRawZip } from '../../support/raw-zip.js';
import { makeTempDir, removeTempDir } from '../../support/temp-store.js';

const CENTRAL_SIGNATURE = 0x02014b50;
const dir = makeTempDir();
afterAll(() => removeTempDir(dir));
let written = 0;

/** A ZIP by yazl: stored and deflated entries, a UTF-8 name, zip64 records when asked. */
async function yazlZip(zip64: boolean): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const options = { mtime: new Date('2026-01-01T00:00:00Z'), forceZip64Format: zip64 };
  zip.addBuffer(Buffer.alloc(3000, 0x41), 'manifest.json', { ...options, compress: false });
  zip.addBuffer(Buffer.alloc(5000, 0x42), 'items/a/original.txt', { ...options, compress: true });
  zip.addBuffer(Buffer.alloc(10, 0x43), 'items/b/évidence été.png', { ...options, compress: false });
  zip.addEmptyDirectory('items/c/', options);
  return finish(zip);
}

/**
 * A ZIP by yazl of `count` small entries, each with a comment of 60 to 250 bytes and its own
 * modification time: 2,500 of them make a directory of about 0.5 MB, read through more than one
 * 256 KiB window, with entries across each window's end.
 */
async function commentedZip(count: number): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (let i = 0; i < count; i++) {
    // yazl writes an entry's comment, which its types leave out of addBuffer's options.
    const options: Partial<yazl.FileOptions> = {
      mtime: new Date(Date.UTC(2020, i % 12, 1 + (i % 28), i % 24, i % 60, (i * 2) % 60)),
      compress: i % 2 === 0,
      fileComment: `comment ${i} `.padEnd(60 + ((i * 37) % 191), String.fromCharCode(97 + (i % 26))),
    };
    zip.addBuffer(Buffer.from(`evidence ${i}\n`), `items/${i}/original.txt`, options);
  }
  return finish(zip);
}

/** Ends a yazl ZIP and returns its bytes. */
async function finish(zip: yazl.ZipFile): Promise<Buffer> {
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A ZIP written by hand whose names are CP437, one with a Unicode-path field. */
function rawZip(): Buffer {
  const file = path.join(dir, `raw-${written++}.zip`);
  writeRawZip(file, [
    { raw: 'caf\x82.txt', data: Buffer.from('one') },
    { raw: 'na_ve.txt', unicodePath: 'naïve.txt', data: Buffer.from('two') },
  ]);
  return fs.readFileSync(file);
}

/** Where each central header starts. */
function centralHeaders(bytes: Buffer): number[] {
  const at: number[] = [];
  for (let i = bytes.indexOf(0x50); i >= 0; i = bytes.indexOf(0x50, i + 1))
    if (bytes.readUInt32LE(i) === CENTRAL_SIGNATURE) at.push(i);
  return at;
}

/** The entries and the error of yauzl's own walk (eachEntry) of a file. */
async function yauzlWalk(file: string): Promise<{ entries: yauzl.Entry[]; damage: string | null }> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, decodeStrings: false, autoClose: false });
  const entries: yauzl.Entry[] = [];
  try {
    for await (const entry of zip.eachEntry()) entries.push(entry);
  } catch (error) {
    return { entries, damage: (error as Error).message };
  } finally {
    zip.close();
  }
  return { entries, damage: null };
}

/** What a check reads of an entry. */
function fields(entry: yauzl.Entry) {
  return {
    versionMadeBy: entry.versionMadeBy,
    generalPurposeBitFlag: entry.generalPurposeBitFlag,
    compressionMethod: entry.compressionMethod,
    crc32: entry.crc32,
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
    externalFileAttributes: entry.externalFileAttributes,
    relativeOffsetOfLocalHeader: entry.relativeOffsetOfLocalHeader,
    versionNeededToExtract: entry.versionNeededToExtract,
    lastModFileTime: entry.lastModFileTime,
    lastModFileDate: entry.lastModFileDate,
    internalFileAttributes: entry.internalFileAttributes,
    fileNameRaw: entry.fileNameRaw.toString('hex'),
    extraFieldRaw: entry.extraFieldRaw.toString('hex'),
    fileCommentRaw: entry.fileCommentRaw.toString('hex'),
    extraFields: entry.extraFields.map((extra) => `${extra.id}:${extra.data.toString('hex')}`),
    encrypted: entry.isEncrypted(),
  };
}

const cases: [string, () => Promise<Buffer>, ((bytes: Buffer) => void) | null, string[] | null][] = [
  ['a sound ZIP', () => yazlZip(false), null, null],
  ['a sound zip64 ZIP', () => yazlZip(true), null, null],
  [
    'a ZIP of CP437 names, one with a Unicode-path field',
    async () => rawZip(),
    null,
    ['café.txt', 'naïve.txt'],
  ],
  ['entries with comments', () => commentedZip(3), null, null],
  [
    'a directory of 2,500 commented entries, larger than the 256 KiB read at a time',
    () => commentedZip(2500),
    null,
    null,
  ],
  [
    'a directory whose offset is 20 bytes before the end of the file',
    () => yazlZip(false),
    (bytes) => bytes.writeUInt32LE(bytes.length - 20, bytes.length - 22 + 16),
    null,
  ],
  [
    'a central header whose signature is overwritten',
    () => yazlZip(false),
    (bytes) => bytes.writeUInt32LE(0x12345678, centralHeaders(bytes)[2]!),
    null,
  ],
  [
    'a stored entry whose sizes disagree',
    () => yazlZip(false),
    (bytes) => bytes.writeUInt32LE(2999, centralHeaders(bytes)[0]! + 20),
    null,
  ],
  [
    'an entry flagged with strong encryption',
    () => yazlZip(false),
    (bytes) =>
      bytes.writeUInt16LE(
        bytes.readUInt16LE(centralHeaders(bytes)[1]! + 8) | 0x40,
        centralHeaders(bytes)[1]! + 8,
      ),
    null,
  ],
  [
    'an extra field longer than the room for it',
    () => yazlZip(true),
    (bytes) => {
      const at = centralHeaders(bytes)[1]!;
      bytes.writeUInt16LE(0xfff0, at + 46 + bytes.readUInt16LE(at + 28) + 2);
    },
    null,
  ],
  [
    'a zip64 extra field too short for the sizes it stands for',
    () => yazlZip(true),
    (bytes) => {
      // Its extra fields: yazl's timestamp (0x5455), then the zip64 field (0x0001), 24 bytes, cut to 8.
      const at = centralHeaders(bytes)[0]!;
      let field = at + 46 + bytes.readUInt16LE(at + 28);
      while (bytes.readUInt16LE(field) !== 0x0001) field += 4 + bytes.readUInt16LE(field + 2);
      bytes.writeUInt16LE(8, field + 2);
      bytes.writeUInt16LE(0xcafe, field + 12); // what followed becomes a field of its own
      bytes.writeUInt16LE(12, field + 14);
    },
    null,
  ],
  [
    'a last entry whose name runs past the end of the file',
    () => yazlZip(false),
    (bytes) => bytes.writeUInt16LE(0xffff, centralHeaders(bytes)[3]! + 28),
    null,
  ],
];

describe('the central directory is read as yauzl reads it', () => {
  for (const [what, make, damage, names] of cases) {
    test(`${what}: the same entries${damage ? ', and the same message for its damage' : ''}`, async () => {
      const bytes = await make();
      damage?.(bytes);
      const file = path.join(dir, `case-${written++}.zip`);
      fs.writeFileSync(file, bytes);
      const expected = await yauzlWalk(file);
      const directory = await readZipDirectory(file, 10_000);
      directory!.zip.close();
      expect(directory!.damage?.message ?? null).toBe(expected.damage);
      if (damage) expect(expected.damage).not.toBeNull();
      expect(directory!.entries.map(fields)).toEqual(expected.entries.map(fields));
      expect(directory!.entries.map(entryName)).toEqual(
        expected.entries.map((entry) =>
          yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true),
        ),
      );
      if (names) expect(directory!.entries.map(entryName)).toEqual(names);
    });
  }
});

test("a central header after those the end record counts (a file hidden from readers that trust the count, which unzip and Python extract) is the directory's damage, which yauzl's walk does not see", async () => {
  const sound = path.join(dir, `sound-${written++}.zip`);
  fs.writeFileSync(sound, await yazlZip(false));
  const file = path.join(dir, `hidden-${written++}.zip`);
  hideEntry(sound, file, 'items/hidden/payload.txt', Buffer.from('planted'));
  expect((await yauzlWalk(file)).damage).toBeNull();
  const directory = await readZipDirectory(file, 100);
  directory!.zip.close();
  expect(directory!.entries.map(entryName)).toEqual([
    'manifest.json',
    'items/a/original.txt',
    'items/b/évidence été.png',
    'items/c/',
  ]);
  expect(directory!.damage?.message).toBe(
    'it holds more entries than the 4 its end record counts: a file may be hidden from tools that trust the count',
  );
});

/** A ZIP by yazl of the two first entries of yazlZip, with zip64 end records (which yazl writes when asked). */
async function zip64EndZip(): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.alloc(3000, 0x41), 'manifest.json', { compress: false });
  zip.addBuffer(Buffer.alloc(5000, 0x42), 'items/a/original.txt', { compress: true });
  (zip.end as (options: { forceZip64Format: boolean }) => void)({ forceZip64Format: true });
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("a directory that does not end where its end records say is damaged (a second directory, which Python, unzip or Go would read, may hide there); yauzl's walk sees none of it", () => {
  test('a stray end record after the counted entries, then a second directory with one more file, found by its size back from the end record (Python lists and extracts the file)', async () => {
    const sound = path.join(dir, `sound-${written++}.zip`);
    fs.writeFileSync(sound, await yazlZip(false));
    const file = path.join(dir, `shadow-${written++}.zip`);
    shadowDirectory(sound, file, 'items/hidden/payload.txt', Buffer.from('planted'));
    expect((await yauzlWalk(file)).damage).toBeNull();
    const directory = await readZipDirectory(file, 100);
    directory!.zip.close();
    expect(directory!.entries.map(entryName)).toHaveLength(4);
    expect(directory!.damage?.message).toMatch(
      /^it does not end where its end records say: the 4 entries they count end at byte \d+, not at the end record \(byte \d+\); a second directory may be hidden there/,
    );
  });

  test('an end record whose directory size is not the bytes its entries take', async () => {
    const bytes = await yazlZip(false);
    bytes.writeUInt32LE(bytes.readUInt32LE(bytes.length - 22 + 12) + 46, bytes.length - 22 + 12);
    const file = path.join(dir, `size-${written++}.zip`);
    fs.writeFileSync(file, bytes);
    expect((await yauzlWalk(file)).damage).toBeNull();
    const directory = await readZipDirectory(file, 100);
    directory!.zip.close();
    expect(directory!.damage?.message).toMatch(
      /^its end record gives its size as \d+ bytes, not the \d+ it takes$/,
    );
  });

  test('an end record whose own count or offset disagrees with the zip64 end record (Go reads the end record unless it holds the marker)', async () => {
    const sound = await zip64EndZip();
    const endAt = sound.length - 22;
    expect(sound.readUInt32LE(endAt - 20)).toBe(0x07064b50);
    for (const [field, value] of [
      [10, 1], // entries in all: 1, not 2 (nor the marker 0xffff)
      [16, 0], // the directory at byte 0
    ] as const) {
      const bytes = Buffer.from(sound);
      if (field === 10) bytes.writeUInt16LE(value, endAt + 10);
      else bytes.writeUInt32LE(value, endAt + field);
      const file = path.join(dir, `zip64-${written++}.zip`);
      fs.writeFileSync(file, bytes);
      expect((await yauzlWalk(file)).damage).toBeNull();
      const directory = await readZipDirectory(file, 100);
      directory!.zip.close();
      expect(directory!.entries.map(entryName)).toEqual(['manifest.json', 'items/a/original.txt']);
      expect(directory!.damage?.message, `field at ${field}`).toMatch(
        /its end record \(\d+ entries, \d+ bytes at byte \d+\) and its zip64 end record \(2 entries, \d+ bytes at byte \d+\) disagree/,
      );
    }
    // Sound, with the markers yazl writes: no damage.
    const file = path.join(dir, `zip64-${written++}.zip`);
    fs.writeFileSync(file, sound);
    const directory = await readZipDirectory(file, 100);
    directory!.zip.close();
    expect(directory!.damage).toBeNull();
  });
});

/** `sound` (yazl's zip64 ZIP) with `data` as its zip64 end record's extensible data sector (APPNOTE 4.3.14), its size field counting it. */
function withExtensibleData(sound: Buffer, data: Buffer): Buffer {
  const locatorAt = sound.length - 22 - 20;
  const recordAt = locatorAt - 56;
  const record = Buffer.from(sound.subarray(recordAt, locatorAt));
  record.writeUInt32LE(44 + data.length, 4);
  return Buffer.concat([sound.subarray(0, recordAt), record, data, sound.subarray(locatorAt)]);
}

describe('zip64 end records as APPNOTE allows them, and a «PK\\x06\\x07» that is no locator', () => {
  test('a zip64 end record with an extensible data sector (its size above 44, the locator pointing at its start) is read with no damage', async () => {
    const file = path.join(dir, `zip64-ext-${written++}.zip`);
    fs.writeFileSync(file, withExtensibleData(await zip64EndZip(), Buffer.alloc(32, 0x33)));
    expect((await yauzlWalk(file)).damage).toBeNull();
    const directory = await readZipDirectory(file, 100);
    directory!.zip.close();
    expect(directory!.entries.map(entryName)).toEqual(['manifest.json', 'items/a/original.txt']);
    expect(directory!.damage).toBeNull();
  });

  test('an extensible data sector that ends with a second zip64 end record (which Python reads, just before the locator) is damage', async () => {
    const sound = await zip64EndZip();
    const second = Buffer.from(sound.subarray(sound.length - 22 - 20 - 56, sound.length - 22 - 20));
    second.writeUInt32LE(0, 48); // its directory at byte 0
    const file = path.join(dir, `zip64-ext-${written++}.zip`);
    fs.writeFileSync(file, withExtensibleData(sound, second));
    const directory = await readZipDirectory(file, 100);
    directory!.zip.close();
    expect(directory!.damage?.message).toBe(
      'its zip64 end record holds another in its extensible data, which Python would read',
    );
  });

  test("an extensible data sector with the end record's own directory size (Python, assuming a 56-byte record, would read the directory that far back from the end record) is damage", async () => {
    const bytes = withExtensibleData(await zip64EndZip(), Buffer.alloc(32, 0x33));
    const recordAt = bytes.length - 22 - 20 - 56 - 32;
    bytes.writeUInt32LE(Number(bytes.readBigUInt64LE(recordAt + 40)), bytes.length - 22 + 12);
    const file = path.join(dir, `zip64-ext-${written++}.zip`);
    fs.writeFileSync(file, bytes);
    const directory = await readZipDirectory(file, 100);
    directory!.zip.close();
    expect(directory!.damage?.message).toMatch(
      /^its zip64 end record has extensible data but its end record gives the directory's size/,
    );
  });

  test('a plain ZIP whose last name holds the locator signature just before the end record is read as plain ZIP, its entries all there (as unzip and Go list it; Python 3.11 refuses it, taking the next bytes for a disk number)', async () => {
    // The directory's last 20 bytes (before the end record) are the last name's: "PK\x06\x07" first.
    const last = `z/PK\x06\x07${'x'.repeat(16)}`;
    const file = path.join(dir, `stray-locator-${written++}.zip`);
    writeRawZip(file, [
      { raw: 'a.txt', data: Buffer.from('first') },
      { raw: last, data: Buffer.from('last') },
    ]);
    const bytes = fs.readFileSync(file);
    expect(bytes.readUInt32LE(bytes.length - 22 - 20)).toBe(0x07064b50);
    const directory = await readZipDirectory(file, 100);
    directory!.zip.close();
    // CP437 reads the control bytes \x06\x07 as ♠•.
    expect(directory!.entries.map(entryName)).toEqual(['a.txt', `z/PK♠•${'x'.repeat(16)}`]);
    expect(directory!.damage).toBeNull();
  });

  test('a plain ZIP with the locator signature before its end record and a zip64 end record where it points is refused (yauzl and unzip would read that record)', async () => {
    const sound = await zip64EndZip();
    // The end record's markers replaced by its real values: only the locator and record make it zip64.
    const plain = Buffer.from(sound);
    const endAt = plain.length - 22;
    const recordAt = endAt - 20 - 56;
    plain.writeUInt16LE(Number(plain.readBigUInt64LE(recordAt + 24)), endAt + 8);
    plain.writeUInt16LE(Number(plain.readBigUInt64LE(recordAt + 32)), endAt + 10);
    plain.writeUInt32LE(Number(plain.readBigUInt64LE(recordAt + 40)), endAt + 12);
    plain.writeUInt32LE(Number(plain.readBigUInt64LE(recordAt + 48)), endAt + 16);
    plain.writeUInt32LE(0, recordAt + 48); // the zip64 record's directory at byte 0
    const file = path.join(dir, `stray-locator-${written++}.zip`);
    fs.writeFileSync(file, plain);
    const directory = await readZipDirectory(file, 100).catch((error: Error) => error);
    if (!(directory instanceof Error)) directory?.zip.close();
    // yauzl reads the directory where the zip64 record says (byte 0): damaged there.
    expect(directory instanceof Error ? directory.message : directory?.damage?.message).toMatch(
      /invalid central directory file header signature|disagree|not a readable ZIP/,
    );
  });
});
