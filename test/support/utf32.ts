/** Text encoded as UTF-32 in either byte order (Node's Buffer has no such encoding), its byte-order mark first unless `bom` is false. */
export function utf32Bytes(text: string, littleEndian: boolean, bom = true): Buffer {
  return utf32Units([...(bom ? [0xfeff] : []), ...Array.from(text, (c) => c.codePointAt(0)!)], littleEndian);
}

/** Any 32-bit units (a surrogate, a value above U+10FFFF) in either byte order. */
export function utf32Units(units: readonly number[], littleEndian: boolean): Buffer {
  const bytes = Buffer.alloc(units.length * 4);
  for (const [i, unit] of units.entries()) {
    if (littleEndian) bytes.writeUInt32LE(unit, i * 4);
    else bytes.writeUInt32BE(unit, i * 4);
  }
  return bytes;
}
