import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/** Two images whose perceptual hashes differ in at most this many of 64 bits look the same. */
export const NEAR_DUPLICATE_DISTANCE = 10;

type PhashFunction = (image: Buffer) => Promise<string>;

let phash: PhashFunction | undefined;

/**
 * The 64-bit DCT perceptual hash (pHash, with sharp) of an image, as 16 hex digits. A re-encoded,
 * rescaled or slightly cropped copy of a picture (the same boat photo posted by another account)
 * lands within NEAR_DUPLICATE_DISTANCE bits of the original. Loaded with `require` on first use,
 * as the capture engine loads sharp, so commands that never hash an image do not pay for it.
 */
export async function perceptualHash(image: Buffer): Promise<string> {
  phash ??= requireFromHere('sharp-phash') as PhashFunction;
  const bits = await phash(image);
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) hex += Number.parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}

/** How many of the 64 bits two perceptual hashes (16 hex digits each) differ in. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) throw new Error('perceptual hashes of different lengths cannot be compared');
  let distance = 0;
  for (let i = 0; i < a.length; i++) {
    let x = Number.parseInt(a[i]!, 16) ^ Number.parseInt(b[i]!, 16);
    for (; x; x &= x - 1) distance++;
  }
  return distance;
}

/** Images larger than this many pixels are not decoded (a 1280 × 100,000 px page is 128 million). */
export const MAX_HASHED_PIXELS = 400_000_000;
/** The side of the small greyscale rendition that is hashed. */
const RENDITION_SIDE = 128;
/**
 * A picture is low-information when at least this share of its rendition's pixels lie within
 * `BACKGROUND_BAND` grey levels of its most common level (its background): a blank page, or a
 * near-blank one such as a page with a heading and two lines of text on white (measured 0.993 to
 * 0.999), whose pHashes all land within a few bits of each other whatever the text says. A page
 * of text (about 0.6) or a page with one photo in it (about 0.9) keeps its hash.
 */
export const LOW_INFORMATION_SHARE = 0.98;
/** How far (of 255 grey levels) from the background a pixel may be and still count as background. */
export const BACKGROUND_BAND = 16;

type SharpFactory = typeof import('sharp')['default'];
let sharpFactory: SharpFactory | undefined;

/**
 * The perceptual hash of an image (a file, or bytes such as a page image read from a WARC), or
 * null for a low-information picture (a blank or near-blank page, LOW_INFORMATION_SHARE: such
 * pictures hash alike, so each would be a "near-duplicate" of every other). A file is read by sharp sequentially and shrunk while it is decoded to a small greyscale rendition (upright, by its
 * EXIF orientation), so a 40,000 px screenshot never sits decoded in memory; images over
 * MAX_HASHED_PIXELS are refused rather than decoded.
 */
export async function perceptualHashOfImage(source: string | Buffer): Promise<string | null> {
  const { data, info } = await loadSharp()(source, {
    limitInputPixels: MAX_HASHED_PIXELS,
    sequentialRead: true,
    failOn: 'none',
  })
    .rotate()
    .resize(RENDITION_SIDE, RENDITION_SIDE, { fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (backgroundShare(data, info.channels) >= LOW_INFORMATION_SHARE) return null;
  const png = await loadSharp()(data, {
    raw: { width: info.width, height: info.height, channels: info.channels },
  })
    .png({ compressionLevel: 0 })
    .toBuffer();
  return perceptualHash(png);
}

function loadSharp(): SharpFactory {
  sharpFactory ??= requireFromHere('sharp') as SharpFactory;
  return sharpFactory;
}

/** Width and height (of one frame, for an animated GIF or WebP) from an image's header, without decoding it. */
export async function imageDimensions(image: Buffer): Promise<{ width: number; height: number }> {
  const meta = await loadSharp()(image, { failOn: 'none' }).metadata();
  return { width: meta.width ?? 0, height: meta.pageHeight ?? meta.height ?? 0 };
}

/** The share of pixels within BACKGROUND_BAND grey levels of the most common level. */
export function backgroundShare(pixels: Uint8Array, channels: number): number {
  const histogram = new Uint32Array(256);
  let n = 0;
  for (let i = 0; i < pixels.length; i += channels) {
    const level = pixels[i] ?? 0;
    histogram[level] = (histogram[level] ?? 0) + 1;
    n++;
  }
  let background = 0;
  for (let level = 1; level < 256; level++)
    if ((histogram[level] ?? 0) > (histogram[background] ?? 0)) background = level;
  let near = 0;
  for (
    let level = Math.max(0, background - BACKGROUND_BAND);
    level <= Math.min(255, background + BACKGROUND_BAND);
    level++
  )
    near += histogram[level] ?? 0;
  return n === 0 ? 1 : near / n;
}
