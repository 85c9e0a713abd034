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
