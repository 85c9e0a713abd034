/**
 * Characters that change how a terminal shows text rather than being shown: C0 controls (ESC
 * starts colour, cursor and title sequences; CR overwrites a line) except tab and newline, DEL, C1
 * controls, and the bidirectional controls (U+202E makes `invoice‮txt.exe` print as
 * `invoiceexe.txt`). A character class's body, as regular-expression escapes.
 */
export const UNSAFE_CHARACTERS =
  '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
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
