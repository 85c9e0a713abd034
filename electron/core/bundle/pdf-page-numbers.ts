/**
 * "page k of n" at the foot of every page of report.pdf, drawn after its parts are joined: the total
 * is known only then, and Chromium's footer template numbers the pages of one print and runs no script.
 * Drawn as Chromium draws the template's own (pdf-page-template.ts): DejaVu Sans Mono, the app's
 * font file embedded whole once, 7 px, #444, each run ("page ", k, " of ", n) as wide as Blink lays
 * it out (its width rounded up to 1/64 px) and the last ending where Chromium ends it. The place was
 * measured on Chromium's own footer; a test compares the pages with it pixel by pixel.
 */
import fs from 'node:fs';
import type { PDFDocument, PDFRef, PDFString } from 'pdf-lib';
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

/** Draws "page k of n" on every page of `doc`, where the footer template would have. */
export async function numberPages(doc: PDFDocument): Promise<void> {
  const { PDFName, PDFString } = await import('pdf-lib');
  const font = readFooterFont();
  const fontRef = embedFont(doc, font, PDFString.of);
  const context = doc.context;
  // Each page's content is wrapped (q … Q) so that the numbers start from the page's own coordinates.
  const save = context.register(context.stream('q'));
  const pages = doc.getPages();
  const total = String(pages.length);
  pages.forEach((page, index) => {
    const runs = ['page ', String(index + 1), ' of ', total].map((text) => ({
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
    const numbers = context.register(
      context.flateStream(
        `Q q ${PT_PER_PX} 0 0 -${PT_PER_PX} 0 ${page.getHeight()} cm ${grey} ${grey} ${grey} rg\n${shown.join('\n')}\nQ`,
      ),
    );
    const contents = page.node.Contents();
    const streams = contents
      ? 'asArray' in contents
        ? contents.asArray()
        : [page.node.get(PDFName.of('Contents'))!]
      : [];
    page.node.set(PDFName.of('Contents'), context.obj([save, ...streams, numbers]));
    page.node.normalizedEntries().Font.set(PDFName.of(FONT_RESOURCE), fontRef);
  });
}

/** The width Blink gives a run of text in the footer's font: its advances, rounded up to 1/64 px. */
function runWidth(font: FooterFont, text: string): number {
  const units = [...text].reduce((sum, c) => sum + font.glyphs.get(c)!.advance, 0);
  return Math.ceil(((units * FOOTER_FONT.sizePx) / font.unitsPerEm) * 64) / 64;
}

/** Embeds the whole font once, as a CID font whose CIDs are its glyph ids, with a ToUnicode map so that the numbers read as text. */
function embedFont(doc: PDFDocument, font: FooterFont, string: (text: string) => PDFString): PDFRef {
  const context = doc.context;
  const scale = (units: number) => Math.round((units * 1000 * 1000) / font.unitsPerEm) / 1000;
  const file = context.register(context.flateStream(font.bytes, { Length1: font.bytes.length }));
  const descriptor = context.register(
    context.obj({
      Type: 'FontDescriptor',
      FontName: 'DejaVuSansMono',
      Flags: 5, // fixed pitch, symbolic: as Chromium describes it
      FontBBox: font.bbox.map(scale),
      ItalicAngle: 0,
      Ascent: scale(font.ascent),
      Descent: scale(font.descent),
      CapHeight: scale(font.ascent),
      StemV: 80,
      FontFile2: file,
    }),
  );
  const widths = [...font.glyphs.values()].flatMap((g) => [g.id, g.id, scale(g.advance)]);
  const cidFont = context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: 'DejaVuSansMono',
      CIDSystemInfo: { Registry: string('Adobe'), Ordering: string('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      DW: 0,
      W: widths,
      CIDToGIDMap: 'Identity',
    }),
  );
  const pairs = [...font.glyphs].map(([c, g]) => `<${hex4(g.id)}> <${hex4(c.charCodeAt(0))}>`);
  const toUnicode = context.register(
    context.flateStream(
      `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
${pairs.length} beginbfchar
${pairs.join('\n')}
endbfchar endcmap CMapName currentdict /CMap defineresource pop end end`,
    ),
  );
  return context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: 'DejaVuSansMono',
      Encoding: 'Identity-H',
      DescendantFonts: [cidFont],
      ToUnicode: toUnicode,
    }),
  );
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
