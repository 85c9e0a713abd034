/**
 * Text normalised for search, the same way for what is indexed and for what is asked: Unicode
 * NFKC, case folding, Latin (and Greek) diacritics removed, and the Arabic script folded so that
 * Arabic, Persian, Pashto, Kurdish (Sorani) and Urdu words match whatever their diacritics,
 * tatweel, letter variants or digits. Ethiopic (Tigrinya, Amharic) is kept as it is.
 *
 * The text is normalised one cluster (a character and the combining marks after it) at a time,
 * so each piece of the result knows where in the original it came from: snippets are cut and
 * marked on the original text, never on the folded one.
 */

import { DRAWN_AS_NOTHING } from '../../../shared/untrusted-text.js';

/** Arabic-script marks removed: harakat, tanwin, shadda, sukun, superscript alef, Quranic marks. */
const ARABIC_MARKS =
  /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u08d3-\u08e1\u08e3-\u08ff]/g;

/** Zero-width space separates words (it is how some scripts mark word breaks): it becomes a space. */
const ZERO_WIDTH_SPACE = /\u200b/g;

/**
 * Removed, so that a word with one of them inside is found by the word: the characters drawn as
 * nothing of the one list of `shared/untrusted-text.ts` (Cf and Default_Ignorable: soft hyphen, bidi
 * controls and marks, word joiner, BOM, invisible operators, tag characters, the combining grapheme
 * joiner, variation selectors, Hangul fillers), and tatweel (the Arabic justification stroke).
 * FTS5's tokenizer would otherwise split a word at a format character (`Sab` + tag A + `ratha`)
 * or keep a mark-like one inside it (U+034F), and the word would not be found.
 *
 * Unlike the window, search removes the joiners and the selectors everywhere: they change how a
 * word is drawn, never which word it is. The Persian non-joiner is a half-space inside one word
 * ("می‌خواهم" is found as "میخواهم"); the ZWJ joins emoji, which are not words; an ideograph's
 * variant selector names a glyph of the same character. The controls (Cc) and U+2028/2029 stay
 * word separators, as they are to the tokenizer; the zero-width space too, made a space above.
 */
const REMOVED = new RegExp(`[${DRAWN_AS_NOTHING}\\u0640]`, 'gu');

/** One letter for each group of Arabic-script variants that writers use for one another. */
const ARABIC_FOLDS: Readonly<Record<string, string>> = {
  // alef with hamza above or below, with madda, wasla, wavy hamza → bare alef
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ٲ: 'ا',
  ٳ: 'ا',
  // alef maksura, Persian/Urdu yeh, Pashto yehs, yeh with hamza, Kurdish yeh with v → Arabic yeh
  ى: 'ي',
  ی: 'ي',
  ې: 'ي',
  ۍ: 'ي',
  ئ: 'ي',
  ێ: 'ي',
  ۑ: 'ي',
  // Persian kaf (keheh) and swash kaf → Arabic kaf; Pashto gaf with ring → Persian gaf
  ک: 'ك',
  ڪ: 'ك',
  ګ: 'گ',
  // teh marbuta, heh with yeh above, Urdu heh goal (and with hamza), Kurdish ae → heh
  ة: 'ه',
  ۀ: 'ه',
  ہ: 'ه',
  ۂ: 'ه',
  ە: 'ه',
  // waw with hamza → waw
  ؤ: 'و',
};

/** Letters without a decomposition whose base letter readers expect to match. */
const LATIN_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ı: 'i',
  ħ: 'h',
  þ: 'th',
  ς: 'σ',
};

const FOLDED = new RegExp(`[${Object.keys({ ...ARABIC_FOLDS, ...LATIN_FOLDS }).join('')}]`, 'g');
const ALL_FOLDS: Readonly<Record<string, string>> = { ...ARABIC_FOLDS, ...LATIN_FOLDS };

/** Arabic-Indic (U+0660…) and Extended Arabic-Indic, Persian/Urdu (U+06F0…) digits. */
const ARABIC_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/g;

/** Combining marks that are diacritics on Latin and Greek letters (removed after NFD). */
const COMBINING_DIACRITICS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
const LATIN_OR_GREEK = /[\p{Script=Latin}\p{Script=Greek}]/u;

const cache = new Map<string, string>();
const CACHE_LIMIT = 50_000;

/** The search form of one cluster. */
function foldCluster(cluster: string): string {
  const known = cache.get(cluster);
  if (known !== undefined) return known;
  let text = cluster.normalize('NFKC').toLowerCase();
  text = text.replace(ZERO_WIDTH_SPACE, ' ').replace(REMOVED, '').replace(ARABIC_MARKS, '');
  if (LATIN_OR_GREEK.test(text)) text = text.normalize('NFD').replace(COMBINING_DIACRITICS, '');
  text = text
    .replace(FOLDED, (c) => ALL_FOLDS[c] ?? c)
    .replace(ARABIC_DIGITS, (d) => String(d.charCodeAt(0) - (d >= '\u06f0' ? 0x6f0 : 0x660)))
    .normalize('NFC');
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(cluster, text);
  return text;
}

/** Normalised text plus, for each of its UTF-16 units, where it came from in the original. */
export interface MappedText {
  readonly text: string;
  /** `start[i]`: the original index of the cluster that produced unit i of `text`. */
  readonly start: Int32Array;
  /** `end[i]`: the original index just after that cluster. */
  readonly end: Int32Array;
}

/** The search form of a text (what is indexed, and what a query is turned into). */
export function normalizeForSearch(text: string): string {
  return normalize(text, false).text;
}

/** The search form of a text with the map back to the original (for snippets). */
export function normalizeWithMap(text: string): MappedText {
  return normalize(text, true);
}

/** Per UTF-16 unit: 1 a combining mark, 2 not one, 0 not yet known. */
const markTable = new Uint8Array(0x10000);
function isMark(code: number): boolean {
  let known = markTable[code];
  if (!known) {
    known = /\p{M}/u.test(String.fromCharCode(code)) ? 1 : 2;
    markTable[code] = known;
  }
  return known === 1;
}

/** Per BMP character that stands alone (no marks after it): its search form, once computed. */
const singleFolds: (string | undefined)[] = new Array(0x10000);

/** A growable list of offsets. */
class Offsets {
  values = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  done(): Int32Array {
    return this.values.slice(0, this.length);
  }
}

function normalize(text: string, withMap: boolean): MappedText {
  const parts: string[] = [];
  const starts = new Offsets();
  const ends = new Offsets();
  const n = text.length;
  let i = 0;
  while (i < n) {
    // ASCII runs are most of a Latin page (URLs, numbers, words): lowercased as a whole.
    let j = i;
    while (j < n && text.charCodeAt(j) < 0x80) j++;
    // An ASCII letter followed by a combining mark belongs to that mark's cluster.
    if (j < n && j > i && isMark(text.charCodeAt(j))) j--;
    if (j > i) {
      parts.push(text.slice(i, j).toLowerCase());
      if (withMap) {
        for (let k = i; k < j; k++) {
          starts.push(k);
          ends.push(k + 1);
        }
      }
      i = j;
      continue;
    }
    // One cluster: a character (both halves of a surrogate pair) and the marks after it.
    const code = text.charCodeAt(i);
    let end = i + (code >= 0xd800 && code <= 0xdbff && i + 1 < n ? 2 : 1);
    while (end < n && isMark(text.charCodeAt(end))) end++;
    let folded: string;
    if (end === i + 1) {
      folded = singleFolds[code] ?? foldCluster(text[i] ?? '');
      singleFolds[code] = folded;
    } else folded = foldCluster(text.slice(i, end));
    parts.push(folded);
    if (withMap) {
      for (let k = 0; k < folded.length; k++) {
        starts.push(i);
        ends.push(end);
      }
    }
    i = end;
  }
  return {
    text: parts.join(''),
    start: withMap ? starts.done() : new Int32Array(0),
    end: withMap ? ends.done() : new Int32Array(0),
  };
}

/**
 * The characters a token is made of, as the index's tokenizer sees them (FTS5 unicode61 with
 * categories L*, N*, Co and M*): letters, digits, private-use characters and combining marks.
 * Everything else (spaces, punctuation, symbols, Ethiopic word separators ፡ ።) separates tokens.
 */
export const TOKEN_CHARS = /[\p{L}\p{N}\p{Co}\p{M}]+/gu;

/** The tokens of an already normalised text, with their positions in it. */
export function tokenize(normalised: string): { text: string; start: number; end: number }[] {
  const tokens: { text: string; start: number; end: number }[] = [];
  for (const match of normalised.matchAll(TOKEN_CHARS)) {
    tokens.push({ text: match[0], start: match.index, end: match.index + match[0].length });
  }
  return tokens;
}
