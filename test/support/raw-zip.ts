/** ZIPs written byte by byte, for what the ZIP writers the tests use cannot write. */
import fs from 'node:fs';
import zlib from 'node:zlib';

/** A ZIP entry: the name its headers give (CP437, no UTF-8 flag), and the name its Unicode-path field (0x7075) gives, if any. */
export interface RawEntry {
  readonly raw: string;
  readonly unicodePath?: string;
  readonly data: Buffer;
}

/**
 * Writes a ZIP of stored entries by hand: the ZIP writers here (yazl) cannot give an entry a
 * Unicode-path extra field, which an archiver adds when the header's name is a CP437 stand-in, nor
 * list the entries in the central directory in another order than their data's (`directoryOrder`:
 * the entries' indexes in the order the directory lists them; by default the data's).
 */
export function writeRawZip(
  file: string,
  entries: readonly RawEntry[],
  directoryOrder: readonly number[] = entries.map((_, i) => i),
): void {
  const u16 = (n: number) => Buffer.from([n & 0xff, n >>> 8]);
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    return b;
  };
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.raw, 'latin1');
    const extra = entry.unicodePath
      ? (() => {
          const utf8 = Buffer.from(entry.unicodePath, 'utf8');
          return Buffer.concat([
            u16(0x7075),
            u16(5 + utf8.length),
            Buffer.from([1]),
            u32(zlib.crc32(name)),
            utf8,
          ]);
        })()
      : Buffer.alloc(0);
    // version needed, flags (no UTF-8 bit), method 0 (stored), DOS time and date (2026-01-01), CRC, sizes, name and extra lengths.
    const common = Buffer.concat([
      u16(20),
      u16(0),
      u16(0),
      u16(0),
      u16(((2026 - 1980) << 9) | (1 << 5) | 1),
      u32(zlib.crc32(entry.data)),
      u32(entry.data.length),
      u32(entry.data.length),
      u16(name.length),
      u16(extra.length),
    ]);
    const local = Buffer.concat([u32(0x04034b50), common, name, extra, entry.data]);
    centrals.push(
      Buffer.concat([
        u32(0x02014b50),
        u16(20),
        common,
        u16(0),
        u16(0),
        u16(0),
        u32(0),
        u32(offset),
        name,
        extra,
      ]),
    );
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(directoryOrder.map((i) => centrals[i]!));
  const end = Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(directoryOrder.length),
    u16(directoryOrder.length),
    u32(central.length),
    u32(offset),
    u16(0),
  ]);
  fs.writeFileSync(file, Buffer.concat([...locals, central, end]));
}

/** A Custos ZIP's central directory as its end record places it (no zip64 end records, as Custos writes them). */
function plainDirectory(from: string) {
  const bytes = fs.readFileSync(from);
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const directorySize = bytes.readUInt32LE(end + 12);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  if (directoryOffset === 0xffffffff || bytes.readUInt32LE(end - 20) === 0x07064b50)
    throw new Error(`${from} has zip64 end records`);
  return { bytes, end, directorySize, directoryOffset };
}

/**
 * A planted stored entry `name`: its local header with its data, and its central header (name
 * included) saying the local header is at `offset`.
 */
function plantedEntry(name: string, data: Buffer, offset: number): { local: Buffer; central: Buffer } {
  const nameBytes = Buffer.from(name);
  const fields = Buffer.alloc(26);
  fields.writeUInt16LE(20, 0); // version needed
  fields.writeUInt16LE(0x800, 2); // UTF-8 name; method 0 (stored), time and date 0
  fields.writeUInt32LE(zlib.crc32(data), 10);
  fields.writeUInt32LE(data.length, 14);
  fields.writeUInt32LE(data.length, 18);
  fields.writeUInt16LE(nameBytes.length, 22);
  const local = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), fields, nameBytes, data]);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4); // made by MS-DOS, version 2.0
  fields.copy(central, 6, 0, 26);
  central.writeUInt32LE(offset, 42);
  return { local, central: Buffer.concat([central, nameBytes]) };
}

/**
 * Writes `to`: the ZIP `from` with one more stored entry `name`, its local header before the
 * central directory and its central header after the others, which the end record does not count
 * (its size and offset are moved to include it). unzip and Python extract the entry; a reader that
 * trusts the count never sees it. Only for ZIPs without zip64 end records (Custos's own).
 */
export function hideEntry(from: string, to: string, name: string, data: Buffer): void {
  const { bytes, end, directorySize, directoryOffset } = plainDirectory(from);
  const { local, central } = plantedEntry(name, data, directoryOffset);
  const record = Buffer.from(bytes.subarray(end));
  record.writeUInt32LE(directorySize + central.length, 12);
  record.writeUInt32LE(directoryOffset + local.length, 16);
  fs.writeFileSync(
    to,
    Buffer.concat([
      bytes.subarray(0, directoryOffset),
      local,
      bytes.subarray(directoryOffset, directoryOffset + directorySize),
      central,
      bytes.subarray(directoryOffset + directorySize, end),
      record,
    ]),
  );
}

/**
 * Writes `to`: the ZIP `from` (no zip64 end records) behind `P` bytes of padding, with its central
 * directory twice: the copy the end record's offset points to (counting the entries `from` has),
 * then a stray end record's 22 bytes, then a copy with one more stored entry `name` (its local
 * header after the others), which the end record's size covers. Python and unzip find the
 * directory by its size back from the end record, take the difference from its offset for bytes
 * prepended to the archive, and so list and extract `name`; a reader of the end record's offset
 * sees only `from`'s entries, each at its place.
 */
export function shadowDirectory(from: string, to: string, name: string, data: Buffer): void {
  const { bytes, end, directorySize, directoryOffset } = plainDirectory(from);
  const directory = bytes.subarray(directoryOffset, directoryOffset + directorySize);
  // Python's shift for "prepended" bytes is the first copy and the stray record: that much padding
  // leaves the second copy's offsets those of `from`.
  const padding = directory.length + 22;
  const moved = Buffer.from(directory);
  for (let at = 0; at < moved.length; ) {
    moved.writeUInt32LE(moved.readUInt32LE(at + 42) + padding, at + 42);
    at += 46 + moved.readUInt16LE(at + 28) + moved.readUInt16LE(at + 30) + moved.readUInt16LE(at + 32);
  }
  // Its local header after `from`'s entries: in the second copy, less the shift, where they end.
  const { local, central } = plantedEntry(name, data, directoryOffset);
  const stray = Buffer.alloc(22);
  stray.writeUInt32LE(0x06054b50, 0);
  const shadow = Buffer.concat([directory, central]);
  const record = Buffer.from(bytes.subarray(end));
  record.writeUInt32LE(shadow.length, 12);
  record.writeUInt32LE(padding + directoryOffset + local.length, 16);
  fs.writeFileSync(
    to,
    Buffer.concat([
      Buffer.alloc(padding),
      bytes.subarray(0, directoryOffset),
      local,
      moved,
      stray,
      shadow,
      record,
    ]),
  );
}
