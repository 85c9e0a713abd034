import { describe, expect, it } from 'vitest';
import { byteArraysEqual } from './byte-array-equality.js';

// The suites' "nothing was written" checks compare whole files as Buffers: the quick comparison
// must still tell any changed byte, and a Buffer from a plain Uint8Array where vitest does.
describe('byte arrays in toEqual and toStrictEqual', () => {
  const database = Buffer.alloc(400 * 1024, 7);

  it('are equal when their bytes are, and the comparison is the quick one', () => {
    expect({ database }).toEqual({ database: Buffer.from(database) });
    expect(byteArraysEqual(database, Buffer.from(database))).toBe(true);
  });

  it('differ when one byte differs, or one is a byte shorter', () => {
    const changed = Buffer.from(database);
    changed[changed.length - 1] = 8;
    expect({ database }).not.toEqual({ database: changed });
    expect(database).not.toStrictEqual(changed);
    expect(database).not.toEqual(database.subarray(0, -1));
  });

  it('of different types are left to vitest: a Buffer is not strictly equal to a Uint8Array of the same bytes', () => {
    expect(byteArraysEqual(Buffer.from([1, 2]), new Uint8Array([1, 2]))).toBeUndefined();
    expect(Buffer.from([1, 2])).not.toStrictEqual(new Uint8Array([1, 2]));
    expect(Buffer.from([1, 2])).not.toEqual(new Uint8Array([1, 2]));
  });
});
