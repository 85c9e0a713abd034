/**
 * How report.pdf's pages are laid out, for both printers (the CLI's Chromium through playwright-core
 * and the app's Electron `printToPDF`), so the two print the same: A4, the margins, and a header and
 * footer on every page with the page number and a note (the evidence hash) tying the page to its
 * bundle. The page lives in report.html's own style, as CSS paged-media margin boxes (`@page`
 * with `@bottom-left`, `counter(page)`): Chromium lays them out with the page itself, where its
 * `headerTemplate`/`footerTemplate` are a separate document laid out and painted for every page (a
 * third of the print time of a 4,000-page report). The printers print with `PRINT_SETTINGS`.
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

/** The footer's "page k of n", `total` a CSS value (the document's own `counter(pages)`, or a number). */
function pageNumberContent(total: string): string {
  return `"page " counter(page) " of " ${total}`;
}

/**
 * The page numbering of one part of a report printed in parts (report-parts.ts), added after the
 * report's own style: its first page is numbered `firstPage` and the page counter carries on from
 * there (`@page :first { counter-increment: page K }`; a `counter-reset` there would not carry on),
 * and "of n" says `totalPages` (the rest of the margin box, its place and type, stays the
 * report's). Without a total the print only counts the part's pages: everything is hidden, which
 * moves no box (CSS 2 `visibility`), so the pages are the same, with next to nothing to paint.
 */
export function partPageStyle(firstPage: number, totalPages: number | null): string {
  const numbering =
    totalPages === null
      ? '* { visibility: hidden !important; }'
      : `@page { @bottom-right { content: ${pageNumberContent(`"${totalPages}"`)}; } }`;
  return `${numbering}\n@page :first { counter-increment: page ${firstPage}; }`;
}

/**
 * `text` as a CSS string literal, shown verbatim: quotes and backslashes escaped, line breaks and
 * every `<` written as escapes so that no note can end the `<style>` element it sits in.
 */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"<>\n\r\f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}
