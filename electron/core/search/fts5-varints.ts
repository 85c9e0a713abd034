/**
 * FTS5's numbers as it stores them: SQLite varints, one after another (a document's sizes, a
 * column each, in `search_index_docsize`; the index's row count then token totals in its
 * averages record).
 */

/** An SQLite varint at `at`: its value and where the next begins. */
export function readVarint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const byte = bytes[at + i] ?? 0;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [value, at + i + 1];
  }
  return [value * 256 + (bytes[at + 8] ?? 0), at + 9];
}

/** The sum of the varints from `at` to the end of `bytes`. */
export function sumVarints(bytes: Uint8Array, at = 0): number {
  let total = 0;
  for (let next = at; next < bytes.length; ) {
    const [value, after] = readVarint(bytes, next);
    total += value;
    next = after;
  }
  return total;
}
