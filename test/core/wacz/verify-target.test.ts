import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { verifyTargetOf } from '../../../electron/core/wacz/verify-target.js';
import { makeTempDir } from '../../support/temp-store.js';

const dir = makeTempDir('custos-verify-target-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A ZIP entry: the name its headers give (CP437, no UTF-8 flag), and the name its Unicode-path field (0x7075) gives, if any. */
interface RawEntry {
  readonly raw: string;
  readonly unicodePath?: string;
  readonly data: Buffer;
}

/**
 * Writes a ZIP of stored entries by hand: the ZIP writers here (yazl) cannot give an entry a
 * Unicode-path extra field, which an archiver adds when the header's name is a CP437 stand-in.
 */
function writeRawZip(file: string, entries: readonly RawEntry[]): void {
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
  const central = Buffer.concat(centrals);
  const end = Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(entries.length),
    u16(entries.length),
    u32(central.length),
    u32(offset),
    u16(0),
  ]);
  fs.writeFileSync(file, Buffer.concat([...locals, central, end]));
}

/**
 * `custos verify FILE.zip` checks a ZIP as a WACZ or as a Custos bundle by the names it holds; it
 * must read them as the check itself does (a Unicode-path field wins over the header's CP437
 * name), or a bundle would be checked as a WACZ, against rules it was never made to meet.
 */
describe('verify tells a bundle from a WACZ by the names the check reads', () => {
  test('a ZIP whose manifest.json is named only by its Unicode-path field is checked as a bundle', async () => {
    const file = path.join(dir, 'bundle.zip');
    writeRawZip(file, [
      { raw: 'MANIFEST.OLD', unicodePath: 'manifest.json', data: Buffer.from('{}') },
      { raw: 'datapackage.json', data: Buffer.from('{}') },
    ]);
    const { wacz, directory } = await verifyTargetOf(file);
    directory?.zip.close();
    expect(directory?.entries).toHaveLength(2);
    expect(wacz).toBe(false);
  });

  test('the same ZIP without the Unicode-path field holds no manifest.json and is checked as a WACZ', async () => {
    const file = path.join(dir, 'wacz.zip');
    writeRawZip(file, [
      { raw: 'MANIFEST.OLD', data: Buffer.from('{}') },
      { raw: 'datapackage.json', data: Buffer.from('{}') },
    ]);
    const { wacz, directory } = await verifyTargetOf(file);
    directory?.zip.close();
    expect(wacz).toBe(true);
  });
});
