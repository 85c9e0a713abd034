/**
 * The ICO (Windows) and ICNS (macOS) containers of the app icon, written from PNG images. Written
 * here because no installed library writes them: electron-builder converts icons with a toolset it
 * downloads while packaging (app-builder-lib/out/toolsets/icons.js), which needs the network, and
 * sharp writes neither format. Both containers simply hold PNG images, which every supported
 * Windows (Vista and later) and macOS (10.7 and later) reads.
 */

/** One PNG of a given size. */
export interface SizedPng {
  readonly size: number;
  readonly png: Buffer;
}

/** An ICO file: a 6-byte header, a 16-byte directory entry per image, then the PNGs. */
export function icoFile(images: readonly SizedPng[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1: an icon (2 would be a cursor)
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    if (size > 256) throw new Error(`an ICO image is at most 256 pixels wide, not ${size}`);
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size === 256 ? 0 : size, 0); // 0 stands for 256
    entry.writeUInt8(size === 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((image) => image.png)]);
}

/**
 * The ICNS element type of each PNG size: the 1x type, and the 2x (Retina) type that shows the
 * same pixels at half the size. From Apple's icon family format.
 */
export const ICNS_TYPES: Readonly<Record<number, readonly string[]>> = {
  16: ['icp4'],
  32: ['icp5', 'ic11'],
  64: ['icp6', 'ic12'],
  128: ['ic07'],
  256: ['ic08', 'ic13'],
  512: ['ic09', 'ic14'],
  1024: ['ic10'],
};

/** An ICNS file: `icns` and its length, then each element's type, length (header included) and PNG. */
export function icnsFile(images: readonly SizedPng[]): Buffer {
  const elements = images.flatMap(({ size, png }) =>
    (ICNS_TYPES[size] ?? []).map((type) => {
      const header = Buffer.alloc(8);
      header.write(type, 0, 'ascii');
      header.writeUInt32BE(png.length + 8, 4);
      return Buffer.concat([header, png]);
    }),
  );
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(8 + elements.reduce((sum, element) => sum + element.length, 0), 4);
  return Buffer.concat([header, ...elements]);
}
