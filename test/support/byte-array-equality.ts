// Loaded before every test file (vitest.config.ts, setupFiles).
import { expect } from 'vitest';

/**
 * `toEqual` and `toStrictEqual` of two byte arrays of the same type (Buffers, Uint8Arrays) compare
 * their bytes with `Buffer.compare`: vitest's own deep equality walks them key by key, which took
 * 3.7 s for the 400 KB database of one store snapshot at load 8 (against 1 ms), and the suites
 * compare such snapshots dozens of times. The answer is the one vitest gives: equal when the
 * lengths and bytes are. Anything else, a Buffer against a Uint8Array included, is left to vitest.
 */
export function byteArraysEqual(a: unknown, b: unknown): boolean | undefined {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) return undefined;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return undefined;
  return Buffer.compare(a, b) === 0;
}

expect.addEqualityTesters([byteArraysEqual]);
