/**
 * "page k of n" at the foot of every page of report.pdf, drawn after its parts are joined: the total
 * is known only then, and Chromium's footer template numbers the pages of one print and runs no script.
 * Drawn as Chromium draws the template's own (pdf-page-template.ts): DejaVu Sans Mono, the app's
 * font file embedded whole once, 7 px, #444, each run ("page ", k, " of ", n) as wide as Blink lays
 * it out (its width rounded up to 1/64 px) and the last ending where Chromium ends it. The place was
 * measured on Chromium's own footer; a test compares the pages with it pixel by pixel.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { operationFailure } from '../errors.js';
import { FOOTER_FONT } from './pdf-page-template.js';
import { reportFontFile } from './report-fonts.js';

/** Where Chromium ends the footer's "page k of n" on an A4 page, and its baseline, in CSS px from the top left. */
const FOOTER_END_PX = { x: 749.328125, baseline: 1102 } as const;
/** Points per CSS pixel (96 px to the inch, 72 points). */
const PT_PER_PX = 0.75;
/** The font's name in each page's resources. */
const FONT_RESOURCE = 'CustosPageNumber';
/** Every character the page numbers use. */
const CHARACTERS = 'page of0123456789';

/** The footer's font as the page numbers need it: its glyph id and advance for each character. */
interface FooterFont {
  readonly bytes: Buffer;
  readonly unitsPerEm: number;
  readonly glyphs: ReadonlyMap<string, { readonly id: number; readonly advance: number }>;
  readonly bbox: readonly [number, number, number, number];
  readonly ascent: number;
  readonly descent: number;
}

/** The object numbers the footer font's objects take in the joined PDF. */
export interface FooterFontNumbers {
  readonly font: number;
  readonly cidFont: number;
  readonly descriptor: number;
  readonly file: number;
  readonly toUnicode: number;
}

/** The footer font, read once; what a page's resources call it. */
export const PAGE_NUMBER_FONT = FONT_RESOURCE;

/**
 * The objects of the footer's font ("N 0 obj … endobj"), to be written once: the whole font as a CID
 * font whose CIDs are its glyph ids, with a ToUnicode map so that the numbers read as text.
 */
export function footerFontObjects(numbers: FooterFontNumbers): Buffer[] {
  const font = footerFont();
  const scale = (units: number) => Math.round((units * 1000 * 1000) / font.unitsPerEm) / 1000;
  const widths = [...font.glyphs.values()].map((g) => `${g.id} ${g.id} ${scale(g.advance)}`).join(' ');
  const pairs = [...font.glyphs].map(([c, g]) => `<${hex4(g.id)}> <${hex4(c.charCodeAt(0))}>`);
  const cmap = `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
${pairs.length} beginbfchar
${pairs.join('\n')}
endbfchar endcmap CMapName currentdict /CMap defineresource pop end end`;
  const object = (n: number, body: string) => Buffer.from(`${n} 0 obj\n${body}\nendobj\n`, 'latin1');
  return [
    object(
      numbers.font,
      `<</Type /Font /Subtype /Type0 /BaseFont /DejaVuSansMono /Encoding /Identity-H /DescendantFonts [${numbers.cidFont} 0 R] /ToUnicode ${numbers.toUnicode} 0 R>>`,
    ),
    object(
      numbers.cidFont,
      `<</Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSansMono /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor ${numbers.descriptor} 0 R /DW 0 /W [${widths}] /CIDToGIDMap /Identity>>`,
    ),
    // Flags 5: fixed pitch, symbolic, as Chromium describes the same font.
    object(
      numbers.descriptor,
      `<</Type /FontDescriptor /FontName /DejaVuSansMono /Flags 5 /FontBBox [${font.bbox.map(scale).join(' ')}] /ItalicAngle 0 /Ascent ${scale(font.ascent)} /Descent ${scale(font.descent)} /CapHeight ${scale(font.ascent)} /StemV 80 /FontFile2 ${numbers.file} 0 R>>`,
    ),
    streamObject(numbers.file, font.bytes, `/Length1 ${font.bytes.length}`),
    streamObject(numbers.toUnicode, Buffer.from(cmap, 'latin1')),
  ];
}

/** The content stream object that draws "page `page` of `total`" on a page `height` points high. */
export function pageNumberObject(n: number, page: number, total: number, height: number): Buffer {
  const font = footerFont();
  const runs = ['page ', String(page), ' of ', String(total)].map((text) => ({
    text,
    width: runWidth(font, text),
  }));
  let x = FOOTER_END_PX.x - runs.reduce((sum, run) => sum + run.width, 0);
  const shown = runs.map((run) => {
    const glyphs = [...run.text].map((c) => hex4(font.glyphs.get(c)!.id)).join('');
    const op = `BT /${FONT_RESOURCE} ${FOOTER_FONT.sizePx} Tf 1 0 0 -1 ${x.toFixed(6)} ${FOOTER_END_PX.baseline} Tm <${glyphs}> Tj ET`;
    x += run.width;
    return op;
  });
  const grey = (FOOTER_FONT.grey / 255).toFixed(4);
  // The page's own content was wrapped in q … (SAVE_STATE), so this starts from the page's coordinates.
  const content = `Q q ${PT_PER_PX} 0 0 -${PT_PER_PX} 0 ${height} cm ${grey} ${grey} ${grey} rg\n${shown.join('\n')}\nQ`;
  return streamObject(n, Buffer.from(content, 'latin1'));
}

/** The stream that saves the graphics state before a page's own content, shared by every page. */
export function saveStateObject(n: number): Buffer {
  return streamObject(n, Buffer.from('q', 'latin1'));
}

/** A stream object, deflated. */
function streamObject(n: number, data: Buffer, extra = ''): Buffer {
  const deflated = zlib.deflateSync(data);
  return Buffer.concat([
    Buffer.from(
      `${n} 0 obj\n<</Filter /FlateDecode /Length ${deflated.length}${extra ? ` ${extra}` : ''}>> stream\n`,
      'latin1',
    ),
    deflated,
    Buffer.from('\nendstream\nendobj\n', 'latin1'),
  ]);
}

/** The width Blink gives a run of text in the footer's font: its advances, rounded up to 1/64 px. */
function runWidth(font: FooterFont, text: string): number {
  const units = [...text].reduce((sum, c) => sum + font.glyphs.get(c)!.advance, 0);
  return Math.ceil(((units * FOOTER_FONT.sizePx) / font.unitsPerEm) * 64) / 64;
}

let cachedFont: FooterFont | undefined;

function footerFont(): FooterFont {
  cachedFont ??= readFooterFont();
  return cachedFont;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/** Reads DejaVu Sans Mono's tables the numbers need: head, hhea, hmtx and the Unicode cmap (format 4). */
function readFooterFont(): FooterFont {
  const file = reportFontFile('DejaVuSansMono');
  if (!file)
    throw operationFailure('cannot number the pages of report.pdf: the font DejaVuSansMono.ttf is missing');
  const bytes = fs.readFileSync(file);
  const tables = new Map<string, number>();
  for (let i = 0; i < bytes.readUInt16BE(4); i++) {
    const at = 12 + 16 * i;
    tables.set(bytes.toString('latin1', at, at + 4), bytes.readUInt32BE(at + 8));
  }
  const table = (tag: string) => {
    const at = tables.get(tag);
    if (at === undefined)
      throw operationFailure(`cannot number the pages of report.pdf: ${file} has no ${tag} table`);
    return at;
  };
  const head = table('head');
  const hhea = table('hhea');
  const hmtx = table('hmtx');
  const metrics = bytes.readUInt16BE(hhea + 34);
  const advance = (id: number) => bytes.readUInt16BE(hmtx + 4 * Math.min(id, metrics - 1));
  const glyphs = new Map<string, { id: number; advance: number }>();
  for (const c of new Set(CHARACTERS)) {
    const id = glyphId(bytes, table('cmap'), c.charCodeAt(0));
    if (id === 0)
      throw operationFailure(`cannot number the pages of report.pdf: ${file} has no glyph for "${c}"`);
    glyphs.set(c, { id, advance: advance(id) });
  }
  return {
    bytes,
    unitsPerEm: bytes.readUInt16BE(head + 18),
    glyphs,
    bbox: [
      bytes.readInt16BE(head + 36),
      bytes.readInt16BE(head + 38),
      bytes.readInt16BE(head + 40),
      bytes.readInt16BE(head + 42),
    ],
    ascent: bytes.readInt16BE(hhea + 4),
    descent: bytes.readInt16BE(hhea + 6),
  };
}

/** The glyph id of a BMP character from the font's Unicode cmap subtable of format 4 (0: none). */
function glyphId(bytes: Buffer, cmap: number, code: number): number {
  for (let i = 0; i < bytes.readUInt16BE(cmap + 2); i++) {
    const platform = bytes.readUInt16BE(cmap + 4 + 8 * i);
    const encoding = bytes.readUInt16BE(cmap + 6 + 8 * i);
    const sub = cmap + bytes.readUInt32BE(cmap + 8 + 8 * i);
    if (!((platform === 3 && encoding === 1) || platform === 0) || bytes.readUInt16BE(sub) !== 4) continue;
    const segments = bytes.readUInt16BE(sub + 6) / 2;
    const ends = sub + 14;
    const starts = ends + 2 * segments + 2;
    const deltas = starts + 2 * segments;
    const offsets = deltas + 2 * segments;
    for (let s = 0; s < segments; s++) {
      if (code > bytes.readUInt16BE(ends + 2 * s)) continue;
      const start = bytes.readUInt16BE(starts + 2 * s);
      if (code < start) return 0;
      const delta = bytes.readInt16BE(deltas + 2 * s);
      const offset = bytes.readUInt16BE(offsets + 2 * s);
      if (offset === 0) return (code + delta) & 0xffff;
      const id = bytes.readUInt16BE(offsets + 2 * s + offset + 2 * (code - start));
      return id === 0 ? 0 : (id + delta) & 0xffff;
    }
    return 0;
  }
  return 0;
}
