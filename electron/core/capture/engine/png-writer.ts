import { once } from 'node:events';
import zlib from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One PNG chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.byteLength, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(data, zlib.crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Raw pixel rows handed to the encoder: 8-bit RGB, `rows` rows of `width * 3` bytes. */
export interface RgbBand {
  readonly pixels: Uint8Array;
  readonly rows: number;
}

/**
 * Encodes an RGB image of known size, arriving as bands of rows, into a PNG stream. Only one band
 * and the previous row are held at a time, which keeps a 100,000-pixel-tall page within a small,
 * fixed amount of memory (sharp/libvips would hold the whole canvas to compose tiles).
 */
export async function* encodePng(
  width: number,
  height: number,
  bands: AsyncIterable<RgbBand>,
): AsyncGenerator<Buffer> {
  const stride = width * 3;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  yield Buffer.concat([SIGNATURE, chunk('IHDR', header)]);

  const deflate = zlib.createDeflate({ level: 6 });
  const compressed: Buffer[] = [];
  deflate.on('data', (data: Buffer) => compressed.push(data));
  let previous: Uint8Array = new Uint8Array(stride);
  let rowsDone = 0;
  for await (const band of bands) {
    if (band.pixels.byteLength !== band.rows * stride)
      throw new Error('a band of the screenshot has the wrong size');
    const rows = Math.min(band.rows, height - rowsDone);
    const filtered = Buffer.allocUnsafe(rows * (stride + 1));
    for (let r = 0; r < rows; r++) {
      const row = band.pixels.subarray(r * stride, (r + 1) * stride);
      const out = r * (stride + 1);
      // Filter "Up" (PNG type 2): each byte minus the byte above; flat screen areas become zeros.
      filtered[out] = 2;
      for (let i = 0; i < stride; i++) filtered[out + 1 + i] = (row[i]! - previous[i]!) & 0xff;
      previous = row;
    }
    previous = Uint8Array.from(previous);
    rowsDone += rows;
    if (!deflate.write(filtered)) await once(deflate, 'drain');
    while (compressed.length > 0) yield chunk('IDAT', compressed.shift()!);
  }
  if (rowsDone !== height) throw new Error(`the screenshot has ${rowsDone} rows instead of ${height}`);
  const ended = once(deflate, 'end');
  deflate.end();
  await ended;
  while (compressed.length > 0) yield chunk('IDAT', compressed.shift()!);
  yield chunk('IEND', new Uint8Array(0));
}
