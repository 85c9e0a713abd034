import { UNSAFE_CHARACTERS } from '../../shared/untrusted-text.js';

/** The characters `shared/untrusted-text.ts` names as unsafe (controls and bidi marks). */
const UNSAFE = new RegExp(`[${UNSAFE_CHARACTERS}]`, 'g');

/**
 * Text from outside (file names, page titles, notes, a bundle's fields) made safe to print for a
 * person: each unsafe character becomes a visible escape (`\x1b`, `\u202e`), everything else,
 * right-to-left scripts included, is kept as it is.
 */
export function escapeUntrusted(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
