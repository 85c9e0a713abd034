/**
 * decodeText, as the search index, the report and the item viewer read a text file: UTF-32 with its
 * byte-order mark (which TextDecoder does not offer) decoded by hand, its damage shown, not hidden.
 */
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../shared/decode-text.js';
import { utf32Bytes, utf32Units } from '../support/utf32.js';

describe('decodeText of UTF-32', () => {
  it('reads UTF-32LE and BE by their byte-order marks, astral characters included, and names the encoding', () => {
    const text = 'Karim: القارب 🚤 +218 91 234 5678';
    for (const le of [true, false]) {
      const decoded = decodeText(utf32Bytes(text, le));
      expect(decoded).toEqual({ text, encoding: le ? 'utf-32le' : 'utf-32be' });
    }
  });

  it('reads a text longer than one chunk of code points whole and in order', () => {
    const text = 'boat leaves Tuesday 03:00 — '.repeat(2_000);
    expect(decodeText(utf32Bytes(text, true)).text).toBe(text);
  });

  it('shows a surrogate unit, a unit above U+10FFFF and a unit cut short as U+FFFD instead of dropping them', () => {
    const bytes = Buffer.concat([
      utf32Units([0xfeff, 0x41, 0xd800, 0x42, 0x110000, 0x43], true),
      Buffer.from([0x44, 0]),
    ]);
    expect(decodeText(bytes).text).toBe('A\uFFFDB\uFFFDC\uFFFD');
  });

  it('reads a file whose media type says utf-32le without a byte-order mark by that charset', () => {
    expect(decodeText(utf32Bytes('sans marque', true, false), 'text/plain; charset=utf-32le')).toEqual({
      text: 'sans marque',
      encoding: 'utf-32le',
    });
  });

  it('reads a file whose media type says utf-32 (no byte order) without a byte-order mark as big-endian, as Unicode defines it', () => {
    expect(decodeText(utf32Bytes('sans marque', false, false), 'text/plain; charset=UTF-32')).toEqual({
      text: 'sans marque',
      encoding: 'utf-32be',
    });
  });

  it('still reads UTF-16LE (FF FE followed by text, no NUL pair) as UTF-16', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ok', 'utf16le')]);
    expect(decodeText(bytes)).toEqual({ text: 'ok', encoding: 'utf-16le' });
  });
});
