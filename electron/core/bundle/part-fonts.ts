/**
 * The fonts of each part report.pdf is printed in (report-parts.ts) cut down to the characters of
 * that part. Chromium decodes and checks every web font of a document before it lays the document
 * out: for report.html's whole DejaVu fonts (1.1 MB) that cost 0.4-0.5 s of each part's print (a
 * 20-page report: 1.19 s against 1.67 s a print, median of 6, load 5-7). The pages come out the
 * same, pixel for pixel (test/core/bundle/part-fonts.test.ts); report.html in the bundle keeps the
 * whole fonts, for whatever text a reader's browser meets.
 *
 * The subset is HarfBuzz's (hb-subset, harfbuzzjs's WebAssembly build, called directly: the
 * wrappers around it empty .notdef): it keeps every glyph the characters reach through the fonts'
 * substitutions (Arabic's joining forms, ligatures, marks) with the layout tables that choose
 * them, so that shaping is unchanged.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { operationFailure } from '../errors.js';
import { FONT_FACE_RULE, fontFaceRule } from './report-fonts.js';

const requireFromHere = createRequire(import.meta.url);

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
  const harfbuzz = await loadHarfBuzz();
  const rules = head.fonts.map(({ family, data }) => {
    try {
      return fontFaceRule(family, subsetTrueType(harfbuzz, data, characters));
    } catch (error) {
      throw operationFailure(
        `cannot print report.pdf: cannot cut the font ${family} down to the report's characters: ${(error as Error).message}`,
        { cause: error },
      );
    }
  });
  return head.pieces.map((piece, i) => piece + (rules[i] ?? '')).join('');
}

/** The exports of HarfBuzz's subsetter (harfbuzzjs's WebAssembly build of hb-subset) called here. */
interface HarfBuzzSubset {
  readonly memory: { readonly buffer: ArrayBuffer };
  _initialize(): void;
  malloc(size: number): number;
  free(pointer: number): void;
  hb_blob_create(data: number, length: number, mode: number, userData: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, value: number): void;
  hb_set_clear(set: number): void;
  hb_set_invert(set: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_get_flags(input: number): number;
  hb_subset_input_set_flags(input: number, flags: number): void;
  hb_subset_input_set(input: number, which: number): number;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_or_fail(face: number, input: number): number;
}

const HB_MEMORY_MODE_WRITABLE = 2;
const HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6;
/** Keeps the outline of glyph 0, .notdef, which hb-subset empties unless told. */
const HB_SUBSET_FLAGS_NOTDEF_OUTLINE = 0x40;

/** Node's WebAssembly, which the project's type libraries (no DOM) leave undeclared. */
const webAssembly = (
  globalThis as unknown as {
    WebAssembly: { instantiate(module: Uint8Array): Promise<{ instance: { exports: unknown } }> };
  }
).WebAssembly;

let harfbuzzLoaded: Promise<HarfBuzzSubset> | undefined;

/** HarfBuzz's subsetter, compiled on first use (0.1-0.2 s): only a print needs it. */
function loadHarfBuzz(): Promise<HarfBuzzSubset> {
  harfbuzzLoaded ??= (async () => {
    const wasm = await fs.readFile(requireFromHere.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'));
    const { instance } = await webAssembly.instantiate(wasm);
    const harfbuzz = instance.exports as HarfBuzzSubset;
    harfbuzz._initialize();
    return harfbuzz;
  })().catch((error: unknown) => {
    harfbuzzLoaded = undefined;
    throw operationFailure(`cannot print report.pdf: cannot load HarfBuzz: ${(error as Error).message}`, {
      cause: error,
    });
  });
  return harfbuzzLoaded;
}

/**
 * `font` (TrueType) cut down by hb-subset to the glyphs of `text` and those they reach through the
 * font's substitutions, with every layout feature kept (hb-subset keeps a default list only) and
 * the outline of .notdef: a character neither the font nor the system has is drawn as the font's
 * empty box, as with the whole font, never as nothing.
 */
function subsetTrueType(harfbuzz: HarfBuzzSubset, font: Uint8Array, text: string): Buffer {
  const input = harfbuzz.hb_subset_input_create_or_fail();
  if (!input) throw new Error('hb_subset_input_create_or_fail failed');
  const fontAt = harfbuzz.malloc(font.byteLength);
  let face = 0;
  let subset = 0;
  try {
    // The memory may grow at any call: a fresh view for each use.
    new Uint8Array(harfbuzz.memory.buffer).set(font, fontAt);
    const blob = harfbuzz.hb_blob_create(fontAt, font.byteLength, HB_MEMORY_MODE_WRITABLE, 0, 0);
    face = harfbuzz.hb_face_create(blob, 0);
    harfbuzz.hb_blob_destroy(blob);
    const features = harfbuzz.hb_subset_input_set(input, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
    harfbuzz.hb_set_clear(features);
    harfbuzz.hb_set_invert(features);
    harfbuzz.hb_subset_input_set_flags(
      input,
      harfbuzz.hb_subset_input_get_flags(input) | HB_SUBSET_FLAGS_NOTDEF_OUTLINE,
    );
    const unicodes = harfbuzz.hb_subset_input_unicode_set(input);
    for (const character of text) harfbuzz.hb_set_add(unicodes, character.codePointAt(0)!);
    subset = harfbuzz.hb_subset_or_fail(face, input);
    if (!subset) throw new Error('hb_subset_or_fail failed');
    const result = harfbuzz.hb_face_reference_blob(subset);
    try {
      const at = harfbuzz.hb_blob_get_data(result, 0);
      const length = harfbuzz.hb_blob_get_length(result);
      if (!length) throw new Error('hb-subset gave an empty font');
      return Buffer.from(new Uint8Array(harfbuzz.memory.buffer, at, length));
    } finally {
      harfbuzz.hb_blob_destroy(result);
    }
  } finally {
    if (subset) harfbuzz.hb_face_destroy(subset);
    if (face) harfbuzz.hb_face_destroy(face);
    harfbuzz.free(fontAt);
    harfbuzz.hb_subset_input_destroy(input);
  }
}
