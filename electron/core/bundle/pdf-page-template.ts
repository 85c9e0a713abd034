/**
 * How report.pdf's pages are laid out, for both printers (the CLI's Chromium through playwright-core
 * and the app's Electron `printToPDF`), so the two print the same: A4, the margins, and a header and
 * footer on every page with the page number and a note (the evidence hash) tying the page to its
 * bundle. Chromium fills `pageNumber` and `totalPages` in these templates.
 */
import { htmlText } from './html-text.js';

/** What the printers put on every page besides the report itself. */
export interface PageDecoration {
  /** A line printed at the foot of every page (e.g. "Evidence SHA-256 …"). */
  readonly footerNote?: string;
  /** A line printed at the head of every page (e.g. "Case BE-2026-0142, exhibit report"). */
  readonly headerNote?: string;
}

/** Page margins in millimetres (the footer and header are drawn inside them). */
export const PAGE_MARGINS_MM = { top: 15, bottom: 18, left: 12, right: 12 } as const;

const TEMPLATE_STYLE =
  'font-family:"DejaVu Sans Mono",monospace;font-size:7px;color:#444;width:100%;margin:0 12mm;';

/** The header and footer templates of a page (Chromium's `headerTemplate`, `footerTemplate`). */
export function pageTemplates(decoration: PageDecoration = {}): {
  headerTemplate: string;
  footerTemplate: string;
} {
  const header = decoration.headerNote
    ? `<div style='${TEMPLATE_STYLE}text-align:left'>${htmlText(decoration.headerNote)}</div>`
    : '<span></span>';
  const note = decoration.footerNote ? `<span>${htmlText(decoration.footerNote)}</span>` : '<span></span>';
  const footer = `<div style='${TEMPLATE_STYLE}display:flex;justify-content:space-between'>${note}<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
  return { headerTemplate: header, footerTemplate: footer };
}
