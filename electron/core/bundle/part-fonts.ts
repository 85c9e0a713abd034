/**
 * The fonts of each part report.pdf is printed in (report-parts.ts) cut down to the characters of
 * that part. Chromium decodes and checks every web font of a document before it lays the document
 * out: for report.html's whole DejaVu fonts (1.1 MB) that cost 0.4-0.5 s of each part's print (a
 * 20-page report: 1.19 s against 1.67 s a print, median of 6, load 5-7). The pages come out the
 * same, pixel for pixel (test/core/bundle/part-fonts.test.ts); report.html in the bundle keeps the
 * whole fonts, for whatever text a reader's browser meets.
 *
 * The subset is HarfBuzz's (hb-subset, through subset-font): it keeps every glyph the characters
 * reach through the fonts' substitutions (Arabic's joining forms, ligatures, marks) with the
 * layout tables that choose them, so that shaping is unchanged.
 */
import { createRequire } from 'node:module';
import { operationFailure } from '../errors.js';
import { FONT_FACE_RULE, fontFaceRule } from './report-fonts.js';

const requireFromHere = createRequire(import.meta.url);

/** subset-font's one function (the package ships no types): `font` cut down to the glyphs of `text`. */
type SubsetFont = (font: Buffer, text: string, options: { targetFormat: 'truetype' }) => Promise<Buffer>;
let subsetFont: SubsetFont | undefined;

/**
 * Kept whatever the part holds: printable ASCII (every character reference and CSS escape the report
 * writes stands for one of them: html-text.ts, pdf-page-template.ts) and what Chromium may draw
 * of its own: list bullets, the hyphen of a broken word, an ellipsis, quotation marks.
 */
const ALWAYS_KEPT =
  Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('') +
  '\u00a0\u00ad\u2010\u2011\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u25aa\u25e6\u00ab\u00bb';

/** The characters met in a part's bytes (UTF-8, read in chunks): ASCII's are always kept, the others gathered. */
export class PartCharacters {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly seen = new Set<string>();

  add(bytes: Uint8Array): void {
    const text = this.decoder.decode(bytes, { stream: true });
    for (const [character] of text.matchAll(/[\u0080-\u{10ffff}]/gu)) this.seen.add(character);
  }

  /**
   * Every character met, with those always kept, and those HarfBuzz may draw for them through
   * Unicode's canonical equivalence: it draws a letter the font lacks as its decomposition (a base
   * and marks), and a base followed by marks as the precomposed letter when the font holds one
   * ("e" + U+0301 as "é", as text from macOS file names is written).
   */
  text(): string {
    const kept = new Set([...ALWAYS_KEPT, ...this.seen]);
    for (const character of this.seen) for (const part of character.normalize('NFD')) kept.add(part);
    // Each kept character followed by each kept mark, and so on with what they compose to.
    const marks = [...kept].filter((character) => COMBINING.test(character));
    for (let bases = marks.length ? [...kept] : []; bases.length > 0; ) {
      const composed: string[] = [];
      for (const base of bases)
        for (const mark of marks) {
          const character = (base + mark).normalize('NFC');
          if ([...character].length === 1 && !kept.has(character)) {
            kept.add(character);
            composed.push(character);
          }
        }
      bases = composed;
    }
    return [...kept].join('');
  }
}

/** What composes with the character before it: combining marks, and Hangul's vowel and final jamo. */
const COMBINING = /^[\p{M}\u1160-\u11ff]$/u;

/** A document head's embedded fonts: the head with the rules taken out, and each font's bytes. */
export interface HeadFonts {
  /** The head cut at each font rule: the fonts go between its pieces. */
  readonly pieces: readonly string[];
  readonly fonts: readonly { readonly family: string; readonly data: Buffer }[];
}

/** Finds the fonts `fontFaceRule` embedded in `head`. */
export function headFonts(head: string): HeadFonts {
  const pieces: string[] = [];
  const fonts: { family: string; data: Buffer }[] = [];
  let from = 0;
  for (const match of head.matchAll(FONT_FACE_RULE)) {
    pieces.push(head.slice(from, match.index));
    fonts.push({ family: match[1]!, data: Buffer.from(match[2]!, 'base64') });
    from = match.index + match[0].length;
  }
  pieces.push(head.slice(from));
  return { pieces, fonts };
}

/** The head again, each font cut down to `characters` (and to what they reach through substitutions). */
export async function headWithFontsFor(head: HeadFonts, characters: string): Promise<string> {
  // Loaded on first use: only a print needs it (its HarfBuzz is compiled when first called, 0.1-0.2 s).
  subsetFont ??= requireFromHere('subset-font') as SubsetFont;
  const subset = subsetFont;
  const rules = await Promise.all(
    head.fonts.map(async ({ family, data }) => {
      try {
        return fontFaceRule(family, await subset(data, characters, { targetFormat: 'truetype' }));
      } catch (error) {
        throw operationFailure(
          `cannot print report.pdf: cannot cut the font ${family} down to the report's characters: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }),
  );
  return head.pieces.map((piece, i) => piece + (rules[i] ?? '')).join('');
}
