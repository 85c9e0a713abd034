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
