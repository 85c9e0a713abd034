/**
 * How a text file's bytes are read, for every reader alike (the search index, the report's text of
 * an item, the app's text viewer): so that a UTF-16 file (Notepad's "Unicode", with its byte-order
 * mark) reads as text everywhere, not as UTF-8 with a NUL between letters.
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
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: 'utf-16le', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: 'utf-16be', skip: 2 };
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(mediaType)?.[1];
  return { label: charset?.toLowerCase() ?? 'utf-8', skip: 0 };
}
