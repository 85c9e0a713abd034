import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodePng, type RgbBand } from '../../../../electron/core/capture/engine/png-writer.js';

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function* bandsOf(pixels: Buffer, width: number, rowsPerBand: number): AsyncGenerator<RgbBand> {
  const stride = width * 3;
  for (let row = 0; row * stride < pixels.length; row += rowsPerBand) {
    const rows = Math.min(rowsPerBand, pixels.length / stride - row);
    yield { pixels: pixels.subarray(row * stride, (row + rows) * stride), rows };
  }
}

describe('encodePng', () => {
  it('stitches bands of rows into one PNG that another decoder reads back pixel for pixel', async () => {
    const width = 37;
    const height = 101;
    const pixels = randomBytes(width * height * 3);
    const png = await collect(encodePng(width, height, bandsOf(pixels, width, 17)));
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width, height, channels: 3, format: 'raw' });
    expect(Buffer.compare(data, pixels)).toBe(0);
  });

  it('refuses bands that do not add up to the announced height', async () => {
    const pixels = Buffer.alloc(4 * 3 * 3);
    await expect(collect(encodePng(4, 5, bandsOf(pixels, 4, 2)))).rejects.toThrow('3 rows instead of 5');
  });
});
