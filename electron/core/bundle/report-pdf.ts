/**
 * report.pdf from report.html's parts (report.ts cuts them): Chromium's print costs more per item the
 * larger the document (for 2,016 items, about a third more CPU than the same items printed 250 at a
 * time, and twice the wall time when two parts print at once), so the parts are printed, two at
 * once, with the footer's "page k of n" left out (Chromium's template counts the pages of one print
 * and runs no script), then joined by a streaming writer (pdf-concat.ts) that numbers every page
 * across the whole and keeps the first part's catalog, document information (title, creator,
 * producer, dates) and header. Every page reads and looks as a single print's did.
 */
import fs from 'node:fs/promises';
import { throwIfCancelled } from '../cancel.js';
import { concatPdfs, pageCountOf } from './pdf-concat.js';
import type { PageDecoration } from './pdf-page-template.js';
import type { PdfPrinter } from './pdf-printer.js';

/** How report.html is cut for printing: parts of at most this many items or bytes of HTML (see `ReportParts`). */
export const REPORT_PART_LIMITS = { maxItems: 250, maxBytes: 4 * 1024 * 1024 } as const;

/** Prints the parts (`partFiles`, in order) and writes them numbered and joined to `pdfFile`. */
export async function printReportPdf(
  printer: PdfPrinter,
  partFiles: readonly string[],
  pdfFile: string,
  signal: AbortSignal | undefined,
  decoration: PageDecoration,
): Promise<void> {
  const parts = partFiles.map((htmlFile) => htmlFile.replace(/\.html$/, '.pdf'));
  await printer.print(
    partFiles.map((htmlFile, i) => ({ htmlFile, pdfFile: parts[i]! })),
    signal,
    { ...decoration, pageNumbers: false },
  );
  throwIfCancelled(signal);
  let total = 0;
  for (const part of parts) total += pageCountOf(await fs.readFile(part));
  const header = Buffer.alloc(8);
  const first = await fs.open(parts[0]!, 'r');
  try {
    await first.read(header, 0, 8, 0);
  } finally {
    await first.close();
  }
  await concatPdfs(
    parts.map((part) => async () => {
      throwIfCancelled(signal);
      return fs.readFile(part);
    }),
    pdfFile,
    header,
    total,
  );
}
