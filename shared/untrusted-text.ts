/**
 * Characters that change how text is shown rather than being shown: C0 controls (ESC starts a
 * terminal's colour, cursor and title sequences; CR overwrites a line) except tab and newline, DEL,
 * C1 controls, and the bidirectional controls (U+202E makes `invoice‮fdp.exe` read as
 * `invoiceexe.pdf`), and the characters drawn as nothing at all: the zero-width space U+200B,
 * the word joiner U+2060 and the byte order mark U+FEFF (`invoice\u200b.pdf` and `invoice.pdf`
 * are two files that look like one; a court must see that they differ), and the line and
 * paragraph separators U+2028, U+2029 (a line break in some terminals and editors, nothing in
 * others). A character class's body, as regular-expression escapes. The one list the command line,
 * the report and the window show as visible escapes, so that all three flag the same characters in
 * the same text; the joiners (U+200C, U+200D), which Persian and emoji need, are not among them.
 */
export const UNSAFE_CHARACTERS =
  '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200b\\u200e\\u200f\\u2028-\\u202e\\u2060\\u2066-\\u2069\\ufeff';

/** One unsafe character, kept as a piece of its own by `String.split`. */
const UNSAFE_PIECE = new RegExp(`([${UNSAFE_CHARACTERS}])`, 'u');

/** Whether a piece of `unsafePieces`'s result is an unsafe character. */
export const isUnsafePiece = (piece: string): boolean => piece.length === 1 && UNSAFE_PIECE.test(piece);

/** Text cut into the runs between unsafe characters and each unsafe character alone, in order. */
export function unsafePieces(text: string): string[] {
  return text.split(UNSAFE_PIECE).filter((piece) => piece !== '');
}

/** A character's code point as Unicode writes it (U+202E). */
export function codePoint(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
