/**
 * The one list of characters in text from outside (page titles, handles, file names, notes) that
 * the command line, the report and the window show as visible escapes rather than as they are,
 * so that all three flag the same characters in the same text. Built from Unicode's own classes
 * (as the regular expressions of Node and Chromium know them) rather than a hand list:
 *
 * - the controls (Cc) but tab and newline: ESC starts a terminal's colour, cursor and title
 *   sequences, CR overwrites a line; tab and newline lay out a note and stay (a path shows them
 *   too: `UNSAFE_IN_PATHS`);
 * - the line and paragraph separators U+2028, U+2029 (a line break in some terminals and editors,
 *   nothing in others);
 * - every format character (Cf) and every Default_Ignorable_Code_Point (DI), the characters a
 *   renderer draws as nothing: the bidi controls and marks (U+202E makes `invoice‮fdp.exe` read as
 *   `invoiceexe.pdf`), the zero-width space U+200B, the word joiner U+2060 and the BOM U+FEFF
 *   (`invoice\u200b.pdf` and `invoice.pdf` are two files that look like one; a court must see
 *   that they differ), the soft hyphen U+00AD (drawn only where a line breaks), the invisible
 *   operators U+2061–U+2064, the deprecated format characters U+206A–U+206F, the interlinear
 *   annotation characters U+FFF9–U+FFFB (meant for agreeing programs only; what they enclose
 *   may be hidden), the combining grapheme joiner U+034F, the Hangul fillers U+115F, U+1160,
 *   U+3164, U+FFA0 (drawn blank: a "name" made of them looks empty), the Khmer inherent vowels
 *   U+17B4, U+17B5, the Mongolian vowel separator U+180E, the Duployan and musical format
 *   controls, the Egyptian hieroglyph format controls U+13430–U+1343F (drawn as nothing without
 *   hieroglyphic layout), and the tag characters U+E0000–U+E007F, with which "ASCII smuggling"
 *   writes text no one sees (U+E0041 is an invisible `A`); DI also holds the code points Unicode
 *   keeps for future such characters, so those are shown too.
 *
 * Not shown, because a script or emoji needs them and they are drawn as part of what they join:
 * - the joiners U+200C, U+200D (Join_Control), always: Persian `می‌خواهم` needs the non-joiner,
 *   emoji such as 👩‍💻 the joiner;
 * - the prepended concatenation marks (Arabic number sign U+0600–U+0605, end of ayah U+06DD,
 *   Syriac abbreviation mark U+070F, U+0890, U+0891, U+08E2, Kaithi U+110BD, U+110CD): format
 *   characters that are drawn, as a sign over the digits that follow;
 * - a variation selector (U+FE00–U+FE0F, U+E0100–U+E01EF, Mongolian U+180B–U+180F) only as the
 *   one selector right after a character that takes it: U+FE0E or U+FE0F after an emoji
 *   character (❤️, the keycap 1️⃣: text or emoji presentation), any after an ideograph (the
 *   registered variants of a Japanese name's kanji), the Mongolian ones after a Mongolian letter.
 *   Anywhere else (after a Latin letter, a second one in a row: "emoji smuggling" hides bytes as
 *   runs of selectors after one emoji) a selector is shown;
 * - the tag characters of the three subdivision flags emoji draw (🏴 + gbeng, gbsct or gbwls +
 *   cancel tag: England, Scotland, Wales); any other tag sequence is drawn as a black flag alone,
 *   hiding its tags, so it is shown.
 *
 * Spaces (U+00A0, U+2000–U+200A, U+3000, the braille blank U+2800) are drawn with a width and are
 * not on the list.
 */

/**
 * The characters drawn as nothing: every format character (Cf) and every Default_Ignorable_Code_Point
 * (DI), as the body of a regular expression's class (flag `u`). The list below starts from them;
 * search matching (`electron/core/search/normalize.ts`) removes them from inside a word.
 */
export const DRAWN_AS_NOTHING = '\\p{Cf}\\p{DI}';

/**
 * The characters on the list, each alone and whatever stands around it: one class, then what it
 * must not be (looked back at only where the class matched).
 */
const LISTED =
  `[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029${DRAWN_AS_NOTHING}]` +
  '(?<![\\p{Join_Control}\\u0600-\\u0605\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u{110bd}\\u{110cd}])';

/** Tab and newline: layout in a note or a title, but in a file's path a character that hides. */
const LINE_LAYOUT = '[\\t\\n]';

/** A variation selector with the character before it, when that character takes it (see above). */
const SELECTED =
  /^(?:\p{Emoji}[\ufe0e\ufe0f]|\p{Ideographic}[\ufe00-\ufe0f\u{e0100}-\u{e01ef}]|(?![\u180b-\u180f])\p{sc=Mongolian}[\u180b-\u180f])$/u;

/** The subdivision flags emoji draw, each a black flag, tags and a cancel tag (see above). */
const TAG_FLAGS = ['gbeng', 'gbsct', 'gbwls'].map(
  (code) =>
    `\u{1f3f4}${[...code].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('')}\u{e007f}`,
);

/** Which characters a text shows as code points: `text` (a title, a note) or `path` (a file's path). */
export type UnsafeSet = 'text' | 'path';

/** Every character that may be unsafe, without its context: text with none is safe as it is. */
const CANDIDATE: Readonly<Record<UnsafeSet, RegExp>> = {
  text: new RegExp(LISTED, 'u'),
  path: new RegExp(`${LISTED}|${LINE_LAYOUT}`, 'u'),
};

/** Whether a code point is a variation selector (Variation_Selector) or U+180E, which are kept after some characters. */
function isSelector(code: number): boolean {
  return (
    (code >= 0xfe00 && code <= 0xfe0f) ||
    (code >= 0xe0100 && code <= 0xe01ef) ||
    (code >= 0x180b && code <= 0x180f)
  );
}

/** Whether a base takes a selector, by `base * 0x110000 + selector` (one regular expression test a pair). */
const TAKES = new Map<number, boolean>();

/** Whether the selector `selector` is one that the code point `base` before it takes (see above). */
function takes(base: number, selector: number): boolean {
  const key = base * 0x110000 + selector;
  let known = TAKES.get(key);
  if (known === undefined) {
    known = SELECTED.test(String.fromCodePoint(base, selector));
    // Text of thousands of different pairs is rare; a bound keeps a crafted one from growing it.
    if (TAKES.size >= 4096) TAKES.clear();
    TAKES.set(key, known);
  }
  return known;
}

/**
 * How many UTF-16 units from `index` (where `character`, a candidate, stands) are kept as they
 * are: the selector a character before it takes, an emoji flag's tags; 0 when it is unsafe.
 */
function keptFrom(text: string, index: number, character: string): number {
  const code = character.codePointAt(0) ?? 0;
  if (code >= 0xe0020 && code <= 0xe007f) {
    // The flag's first tag stands after U+1F3F4, two UTF-16 units.
    const flag = index >= 2 && TAG_FLAGS.find((sequence) => text.startsWith(sequence, index - 2));
    return flag ? flag.length - 2 : 0;
  }
  if (index === 0 || !isSelector(code)) return 0;
  const unit = text.charCodeAt(index - 1);
  const base = unit >= 0xdc00 && unit <= 0xdfff && index >= 2 ? (text.codePointAt(index - 2) ?? unit) : unit;
  return takes(base, code) ? character.length : 0;
}

/** Calls `unsafe` with each unsafe character of the text and its index, in order. */
function forEachUnsafe(
  text: string,
  set: UnsafeSet,
  unsafe: (character: string, index: number) => void,
): void {
  if (!CANDIDATE[set].test(text)) return;
  const scan = new RegExp(CANDIDATE[set].source, 'gu');
  for (let match = scan.exec(text); match !== null; match = scan.exec(text)) {
    const kept = keptFrom(text, match.index, match[0]);
    if (kept > 0) scan.lastIndex = match.index + kept;
    else unsafe(match[0], match.index);
  }
}

/** A piece of text from outside: a run shown as it is, or one unsafe character (one code point). */
export interface TextPiece {
  readonly text: string;
  readonly unsafe: boolean;
}

/** Text cut into the runs between unsafe characters and each unsafe character alone, in order. */
export function unsafePieces(text: string, set: UnsafeSet = 'text'): TextPiece[] {
  const pieces: TextPiece[] = [];
  let start = 0;
  forEachUnsafe(text, set, (character, index) => {
    if (index > start) pieces.push({ text: text.slice(start, index), unsafe: false });
    pieces.push({ text: character, unsafe: true });
    start = index + character.length;
  });
  if (start < text.length) pieces.push({ text: text.slice(start), unsafe: false });
  return pieces;
}

/** Whether the text holds any unsafe character. */
export function hasUnsafe(text: string, set: UnsafeSet = 'text'): boolean {
  let found = false;
  forEachUnsafe(text, set, () => {
    found = true;
  });
  return found;
}

/** The text with each unsafe character replaced by `shown(character)`, the rest as it is. */
export function replaceUnsafe(
  text: string,
  shown: (character: string) => string,
  set: UnsafeSet = 'text',
): string {
  let out = '';
  let start = 0;
  forEachUnsafe(text, set, (character, index) => {
    out += text.slice(start, index) + shown(character);
    start = index + character.length;
  });
  return start === 0 ? text : out + text.slice(start);
}

/** A character's code point as Unicode writes it (U+202E, U+E0041). */
export function codePoint(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
