import { replaceUnsafe } from '../../shared/untrusted-text.js';

/** A character as a visible escape: `\x1b` up to U+00FF, `\u202e` in the BMP, `\u{e0041}` beyond. */
export function visibleEscape(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  const hex = code.toString(16);
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
}

/**
 * Text from outside (file names, page titles, notes, a bundle's fields) made safe to print for a
 * person: each character on `shared/untrusted-text.ts`'s list (controls, bidi marks, characters
 * drawn as nothing, tag characters) becomes a visible escape (`\x1b`, `\u202e`, `\u{e0041}`),
 * everything else, right-to-left scripts and emoji included, is kept as it is.
 */
export function escapeUntrusted(text: string): string {
  return replaceUnsafe(text, visibleEscape);
}
