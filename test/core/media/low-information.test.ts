import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  backgroundShare,
  LOW_INFORMATION_SHARE,
  perceptualHashOfImage,
} from '../../../electron/core/media/perceptual-hash.js';
import { makePhoto, nearBlankPage, photoPixels } from '../../support/photos.js';

/** The share of background in the 128 × 128 grey rendition the hash is computed on. */
async function shareOf(image: Buffer): Promise<number> {
  const { data, info } = await sharp(image)
    .resize(128, 128, { fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return backgroundShare(data, info.channels);
}

describe('low-information pictures get no perceptual hash (they would group with each other)', () => {
  it('a blank page and near-blank pages (a heading, two lines of text, a tall page) get none', async () => {
    const pages = [
      await nearBlankPage([]),
      await nearBlankPage(['Slow page, loaded after three seconds']),
      await nearBlankPage([
        'Café à la crème — a Latin-1 page',
        'Ceci est une page en ISO-8859-1.',
        'Deuxième ligne',
      ]),
      await nearBlankPage(['This page tries to open windows', 'Nothing else here']),
      await nearBlankPage(['A very tall page', 'Lorem ipsum dolor sit amet'], 8000),
    ];
    for (const page of pages) {
      expect(await shareOf(page)).toBeGreaterThanOrEqual(LOW_INFORMATION_SHARE);
      expect(await perceptualHashOfImage(page)).toBeNull();
    }
  });

  it('a page full of text, a page with one photo in it, and a photo keep their hashes', async () => {
    const textPage = await nearBlankPage(
      Array.from(
        { length: 80 },
        () => 'Boat every Thursday from Zuwara to Lampedusa, ask on WhatsApp for the price',
      ),
    );
    const photo = await sharp(photoPixels(5), { raw: { width: 640, height: 480, channels: 3 } })
      .png()
      .toBuffer();
    const pageWithPhoto = await sharp({
      create: { width: 1280, height: 2400, channels: 3, background: 'white' },
    })
      .composite([{ input: photo, top: 200, left: 100 }])
      .png()
      .toBuffer();
    for (const image of [textPage, pageWithPhoto, await makePhoto(3)]) {
      expect(await shareOf(image)).toBeLessThan(LOW_INFORMATION_SHARE);
      expect(await perceptualHashOfImage(image)).toMatch(/^[0-9a-f]{16}$/);
    }
  });
});
