/**
 * How report.pdf's pages are laid out, for both printers (the CLI's Chromium through playwright-core
 * and the app's Electron `printToPDF`), so the two print the same: A4, the margins, and a header and
 * footer on every page with the page number and a note (the evidence hash) tying the page to its
 * bundle. The page lives in report.html's own style, as CSS paged-media margin boxes (`@page`
 * with `@bottom-left`, `counter(page)`): Chromium lays them out with the page itself, where its
 * `headerTemplate`/`footerTemplate` are a separate document laid out and painted for every page (a
 * third of the print time of a 4,000-page report). The printers print with `PRINT_SETTINGS`.
 * report.pdf is printed in parts (parted-print.ts) without the page number box, which the join
 * draws instead where Chromium draws it (`PART_PAGE_STYLE`, `pageNumberStamp`): a reader who
 * prints report.html from a browser still gets the CSS footer.
 */

/** What the printers put on every page besides the report itself. */
export interface PageDecoration {
  /** A line printed at the foot of every page (e.g. "Evidence SHA-256 …"). */
  readonly footerNote?: string;
  /** A line printed at the head of every page (e.g. "Case BE-2026-0142, exhibit report"). */
  readonly headerNote?: string;
}

/** A4, in millimetres. */
export const PAGE_SIZE_MM = { width: 210, height: 297 } as const;

/** Page margins in millimetres (the footer and header are drawn inside them). */
export const PAGE_MARGINS_MM = { top: 15, bottom: 18, left: 12, right: 12 } as const;

/** Millimetres in inches, the unit both printers' options take. */
export function inches(mm: number): number {
  return mm / 25.4;
}

/**
 * What both printers are told, in the option names CDP's `Page.printToPDF` and Electron's
 * `printToPDF` share: the page size and margins come from the report's `@page` rule, the header
 * and footer are its margin boxes (Chromium's own templates stay off). The PDF is untagged and has
 * no outline, said outright since CDP's default changed: tagging a 4,000-page report made it 3.7
 * times the size and slower to print.
 */
export const PRINT_SETTINGS = {
  printBackground: true,
  displayHeaderFooter: false,
  preferCSSPageSize: true,
  generateTaggedPDF: false,
  generateDocumentOutline: false,
} as const;

/** The note's type, small and grey as a page furniture should be. */
const NOTE_STYLE = 'font: 7px "DejaVu Sans Mono", monospace; color: #444;';
/** The footer sits 5 mm above the paper's edge, as Chromium's footer template placed it. */
const FOOTER_STYLE = `${NOTE_STYLE} vertical-align: bottom; padding-bottom: 5mm;`;
const HEADER_STYLE = `${NOTE_STYLE} vertical-align: top; padding-top: 5mm;`;

/** The `@page` rule of the report: A4, the margins, and the decoration in its margin boxes. */
export function pageStyle(decoration: PageDecoration = {}): string {
  const m = PAGE_MARGINS_MM;
  const boxes = [
    decoration.headerNote
      ? `@top-left { content: ${cssString(decoration.headerNote)}; ${HEADER_STYLE} }`
      : '',
    decoration.footerNote
      ? `@bottom-left { content: ${cssString(decoration.footerNote)}; ${FOOTER_STYLE} }`
      : '',
    `@bottom-right { content: ${pageNumberContent('counter(pages)')}; ${FOOTER_STYLE} }`,
  ].filter(Boolean);
  return `@page { size: A4; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm;\n  ${boxes.join('\n  ')}\n}`;
}

/** The footer's "page k of n", `total` a CSS value (the document's own `counter(pages)`). */
function pageNumberContent(total: string): string {
  return `"page " counter(page) " of " ${total}`;
}

/**
 * The style added after the report's own in each part of a report printed in parts
 * (report-parts.ts): no "page k of n" box, since a part does not know its pages' numbers in the
 * report; the join draws it on every page instead (`pageNumberStamp`). The rest of the page, the
 * evidence hash in `@bottom-left` included, is the report's own.
 */
export const PART_PAGE_STYLE = '@page { @bottom-right { content: none; } }';

/** The words of the page number, as the report's CSS footer writes them. */
export function pageNumberText(page: number, pages: number): string {
  return `page ${page} of ${pages}`;
}

/**
 * Where and how the joined report.pdf's "page k of n" is drawn, as Chromium draws report.html's
 * `@bottom-right` box (measured with `pdftotext -bbox` on its print of the bench report): 7 CSS
 * px (5.25 pt) of a monospaced type, #444, right-aligned 33.2 pt from the page's right edge, the
 * baseline 15.4 pt above its bottom (5 mm of padding and the type's descent). Courier is the
 * monospaced font of PDF's standard 14 (never embedded: every reader has it) with DejaVu Sans
 * Mono's advance to within 0.3 %, 600/1000 of the size for every glyph, so the text's width is
 * known without a metrics table.
 */
const STAMP = { size: 5.25, grey: 0.267, fromRight: 33.2, baseline: 15.4, advance: 0.6 } as const;

/** The name the stamp's font has in the pages' /Font resources. */
export const STAMP_FONT_NAME = 'CustosPageNumber';

/** The stamp's font: Courier, a standard-14 Type 1 font, WinAnsiEncoding (it draws ASCII only). */
export const STAMP_FONT = '<</Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding>>';

/**
 * The content stream that draws "page k of n" on a page whose /MediaBox is `box` ([x1 y1 x2 y2]),
 * drawn after the page's own content, which is wrapped in `q`/`Q` so that the stamp starts from
 * the default graphics state (if the page's own `q` and `Q` balance, as Chromium's do: the join
 * does not read the page's content to check).
 */
export function pageNumberStamp(page: number, pages: number, box: readonly number[]): string {
  const text = pageNumberText(page, pages);
  const x = box[2]! - STAMP.fromRight - text.length * STAMP.advance * STAMP.size;
  const y = box[1]! + STAMP.baseline;
  return `${STAMP.grey} g\nBT\n/${STAMP_FONT_NAME} ${STAMP.size} Tf\n${x.toFixed(3)} ${y.toFixed(3)} Td\n(${text}) Tj\nET\n`;
}

/**
 * `text` as a CSS string literal, shown verbatim: quotes and backslashes escaped, line breaks and
 * every `<` written as escapes so that no note can end the `<style>` element it sits in.
 */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"<>\n\r\f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}
