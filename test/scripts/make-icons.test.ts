/**
 * The app icon's files (assets/), made by `npm run icons` (scripts/make-icons.ts) from
 * assets/icon.svg with sharp: checked to be what the script makes now, and read back as Windows
 * and macOS read them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ICNS_TYPES } from '../../scripts/icon-containers.js';
import { ICO_SIZES, ICON_SIZES, makeIcons } from '../../scripts/make-icons.js';
import { makeTempDir, removeTempDir } from '../support/temp-store.js';

const assets = path.resolve(import.meta.dirname, '..', '..', 'assets');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG's width and height, from its IHDR chunk; throws on anything that is not a PNG. */
function pngSize(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the app icon (assets/)', () => {
  let fresh: string;

  beforeAll(async () => {
    fresh = makeTempDir('custos-icons-');
    await makeIcons(path.join(assets, 'icon.svg'), fresh);
  });

  afterAll(() => removeTempDir(fresh));

  it('is exactly what npm run icons makes from assets/icon.svg (the committed files are up to date)', () => {
    const files = ['icon.ico', 'icon.icns', ...ICON_SIZES.map((n) => path.join('icons', `${n}x${n}.png`))];
    for (const file of files) {
      expect(fs.readFileSync(path.join(assets, file)), file).toEqual(fs.readFileSync(path.join(fresh, file)));
    }
    expect(fs.readdirSync(path.join(assets, 'icons')).sort()).toEqual(
      ICON_SIZES.map((n) => `${n}x${n}.png`).sort(),
    );
  });

  it('has a PNG of each size from 16 to 1024 pixels for the Linux icon set', () => {
    for (const size of ICON_SIZES) {
      const png = fs.readFileSync(path.join(assets, 'icons', `${size}x${size}.png`));
      expect(pngSize(png)).toEqual({ width: size, height: size });
    }
  });

  it('has an ICO whose directory lists 16 to 256 pixels, each entry a PNG of its size (as Windows reads it)', () => {
    const ico = fs.readFileSync(path.join(assets, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, ICO_SIZES.length]);
    const sizes = ICO_SIZES.map((_, i) => {
      const entry = 6 + 16 * i;
      const width = ico.readUInt8(entry) || 256;
      const png = ico.subarray(
        ico.readUInt32LE(entry + 12),
        ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8),
      );
      expect(pngSize(png)).toEqual({ width, height: width });
      return width;
    });
    expect(sizes).toEqual([...ICO_SIZES]);
  });

  it('has an ICNS whose elements cover 16 to 1024 pixels at 1x and 2x, each a PNG of its size (as macOS reads it)', () => {
    const icns = fs.readFileSync(path.join(assets, 'icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: Record<string, number> = {};
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      const png = icns.subarray(at + 8, at + icns.readUInt32BE(at + 4));
      found[icns.toString('ascii', at, at + 4)] = pngSize(png).width;
    }
    const expected = Object.fromEntries(
      Object.entries(ICNS_TYPES).flatMap(([size, types]) => types.map((type) => [type, Number(size)])),
    );
    expect(found).toEqual(expected);
    expect(found).toMatchObject({ icp4: 16, ic11: 32, ic07: 128, ic10: 1024 });
  });
});
