/**
 * Which encoding a text file's bytes are read in, for every reader alike (the search index, the
 * report's text of an item, the app's text viewer): so that a UTF-16 file (Notepad's "Unicode",
 * with its byte-order mark) reads as text everywhere, not as UTF-8 with a NUL between letters.
 */

/**
 * Its byte-order mark (UTF-16LE or BE; `skip` the mark's bytes), else the media type's charset,
 * else UTF-8. A charset label TextDecoder does not know is the caller's to replace by UTF-8.
 */
export function textEncoding(bytes: Uint8Array, mediaType = ''): { label: string; skip: number } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: 'utf-16le', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: 'utf-16be', skip: 2 };
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(mediaType)?.[1];
  return { label: charset?.toLowerCase() ?? 'utf-8', skip: 0 };
}
