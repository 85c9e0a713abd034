/**
 * How a text file's bytes are read, for every reader alike (the search index, the report's text of
 * an item, the app's text viewer): so that a UTF-16 file (Notepad's "Unicode", with its byte-order
 * mark) or a UTF-32 one reads as text everywhere, not as UTF-8 with NULs between letters.
 */

/**
 * The WHATWG TextDecoder, a global in Node and in the window alike; the shared code's type
 * libraries (neither Node's nor the DOM's) do not declare it.
 */
declare const TextDecoder: new (
  label?: string,
) => { readonly encoding: string; decode(bytes?: Uint8Array): string };
type TextDecoder = InstanceType<typeof TextDecoder>;

/**
 * Decodes text by its byte-order mark (UTF-16LE or BE), else the media type's charset, else UTF-8
 * (also for a charset label TextDecoder does not know); never throws. `encoding` is the one used.
 */
export function decodeText(bytes: Uint8Array, mediaType = ''): { text: string; encoding: string } {
  const { label, skip } = textEncoding(bytes, mediaType);
  if (label === 'utf-32le' || label === 'utf-32be')
    return { text: decodeUtf32(bytes.subarray(skip), label === 'utf-32le'), encoding: label };
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('utf-8'); // a charset label TextDecoder does not know
  }
  return { text: decoder.decode(bytes.subarray(skip)), encoding: decoder.encoding };
}

/** Its byte-order mark (`skip` the mark's bytes), else the media type's charset, else UTF-8. */
function textEncoding(bytes: Uint8Array, mediaType: string): { label: string; skip: number } {
  const utf32 = utf32Order(bytes);
  if (utf32) return { label: `utf-32${utf32}`, skip: 4 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: 'utf-16le', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: 'utf-16be', skip: 2 };
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(mediaType)?.[1]?.toLowerCase();
  // UTF-32 without a mark and without a byte order in its name is big-endian (Unicode, D99)
  if (charset === 'utf-32') return { label: 'utf-32be', skip: 0 };
  return { label: charset ?? 'utf-8', skip: 0 };
}

/**
 * The byte order a UTF-32 byte-order mark gives (FF FE 00 00, 00 00 FE FF), else null. Checked
 * before UTF-16's FF FE, which begins UTF-32LE's mark (UTF-16 text holds no NUL character).
 */
export function utf32Order(bytes: Uint8Array): 'le' | 'be' | null {
  if (bytes.length < 4) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) return 'le';
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff) return 'be';
  return null;
}

/**
 * UTF-32 decoded by hand: the WHATWG TextDecoder (Node's and the window's) does not offer it, and
 * no npm decoder is worth a dependency for four bytes a character. A unit that is no Unicode scalar
 * value (a surrogate, above U+10FFFF) and a unit cut short at the end read as U+FFFD, as
 * TextDecoder reads bad UTF-8; with `fatal` they throw instead.
 */
export function decodeUtf32(bytes: Uint8Array, littleEndian: boolean, fatal = false): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const whole = bytes.byteLength - (bytes.byteLength % 4);
  const chunks: string[] = [];
  const points: number[] = [];
  const bad = (what: string) => {
    if (fatal) throw new TypeError(`not UTF-32: ${what}`);
    return 0xfffd;
  };
  for (let at = 0; at < whole; at += 4) {
    const unit = view.getUint32(at, littleEndian);
    const scalar = unit > 0x10ffff || (unit >= 0xd800 && unit <= 0xdfff);
    points.push(scalar ? bad(`U+${unit.toString(16).toUpperCase()} at byte ${at}`) : unit);
    if (points.length === 8192) chunks.push(String.fromCodePoint(...points.splice(0)));
  }
  if (whole < bytes.byteLength) points.push(bad(`the last unit is cut short`));
  chunks.push(String.fromCodePoint(...points));
  return chunks.join('');
}
