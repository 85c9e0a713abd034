import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  hammingDistance,
  NEAR_DUPLICATE_DISTANCE,
  perceptualHash,
} from '../../../electron/core/media/perceptual-hash.js';

/** A picture with structure (a dark hull on water under a sky), drawn as SVG and rendered by sharp. */
function boatPhoto(width: number, height: number, hue = '#3a6ea5'): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400" viewBox="0 0 600 400">
    <rect width="600" height="220" fill="#cfe3f5"/><rect y="220" width="600" height="180" fill="${hue}"/>
    <polygon points="120,250 480,250 430,310 170,310" fill="#3b2a1a"/>
    <rect x="280" y="150" width="12" height="100" fill="#222"/>
    <circle cx="500" cy="80" r="40" fill="#f5d142"/></svg>`;
  return sharp(Buffer.from(svg)).resize(width, height, { fit: 'fill' }).png().toBuffer();
}

function chartImage(): Promise<Buffer> {
  const bars = Array.from(
    { length: 12 },
    (_, i) =>
      `<rect x="${20 + i * 48}" y="${380 - ((i * 97) % 300)}" width="30" height="${(i * 97) % 300}" fill="#000"/>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><rect width="600" height="400" fill="#fff"/>${bars}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe('perceptual hash of images', () => {
  it('gives 16 hex digits, the same for the same picture', async () => {
    const photo = await boatPhoto(600, 400);
    const hash = await perceptualHash(photo);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(await perceptualHash(photo)).toBe(hash);
  });

  it('finds a rescaled JPEG re-post of a photo near-identical, and an unrelated image far', async () => {
    const original = await perceptualHash(await boatPhoto(600, 400));
    const repost = await perceptualHash(
      await sharp(await boatPhoto(600, 400))
        .resize(300, 200)
        .jpeg({ quality: 55 })
        .toBuffer(),
    );
    const unrelated = await perceptualHash(await chartImage());
    expect(hammingDistance(original, repost)).toBeLessThanOrEqual(NEAR_DUPLICATE_DISTANCE);
    expect(hammingDistance(original, unrelated)).toBeGreaterThan(NEAR_DUPLICATE_DISTANCE);
  });

  it('counts differing bits and refuses hashes of different lengths', () => {
    expect(hammingDistance('0000000000000000', '000000000000000f')).toBe(4);
    expect(hammingDistance('ffffffffffffffff', '0000000000000000')).toBe(64);
    expect(() => hammingDistance('00', '000')).toThrow(/different lengths/);
  });
});
