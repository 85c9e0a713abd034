/**
 * report.pdf from report.html's parts (report.ts cuts them): Chromium's print costs more per item the
 * larger the document (for 2,016 items, about twice the CPU of the same items printed 250 at a time),
 * so the parts are printed, two at once, then joined with pdf-lib into one PDF with the first part's
 * document information (title, creator, producer, dates), and numbered "page k of n" across the whole
 * (pdf-page-numbers.ts). Every page reads and looks as a single print's did.
 */
import fs from 'node:fs/promises';
import { throwIfCancelled } from '../cancel.js';
import { numberPages } from './pdf-page-numbers.js';
import type { PageDecoration } from './pdf-page-template.js';
import type { PdfPrinter } from './pdf-printer.js';

/** How report.html is cut for printing: parts of at most this many items or bytes of HTML (see `ReportParts`). */
export const REPORT_PART_LIMITS = { maxItems: 250, maxBytes: 4 * 1024 * 1024 } as const;

/** Prints the parts (`partFiles`, in order) and writes them joined and numbered to `pdfFile`. */
export async function printReportPdf(
  printer: PdfPrinter,
  partFiles: readonly string[],
  pdfFile: string,
  signal: AbortSignal | undefined,
  decoration: PageDecoration,
): Promise<void> {
  const jobs = partFiles.map((htmlFile) => ({ htmlFile, pdfFile: htmlFile.replace(/\.html$/, '.pdf') }));
  await printer.print(jobs, signal, { ...decoration, pageNumbers: false });
  throwIfCancelled(signal);
  const { document, header } = await joinPdfs(jobs.map((job) => job.pdfFile));
  throwIfCancelled(signal);
  await numberPages(document);
  const bytes = await document.save({ useObjectStreams: false });
  // pdf-lib always writes "%PDF-1.7"; the file uses nothing newer than the parts' version (no object
  // or cross-reference streams), so it keeps the header Chromium gave them, as a single print had.
  if (Buffer.from(bytes.subarray(0, 8)).toString('latin1') === '%PDF-1.7') bytes.set(header, 0);
  await fs.writeFile(pdfFile, bytes, { flag: 'wx', mode: 0o600 });
}

/** The pages of `files` in one document, with the first file's document information; and the first file's header ("%PDF-1.4"). */
async function joinPdfs(files: readonly string[]) {
  // Loaded here: only an export needs pdf-lib.
  const { PDFDocument, PDFDict } = await import('pdf-lib');
  const document = await PDFDocument.create({ updateMetadata: false });
  let header = Buffer.from('%PDF-1.7');
  for (const [index, file] of files.entries()) {
    const bytes = await fs.readFile(file);
    const part = await PDFDocument.load(bytes, { updateMetadata: false });
    if (index === 0) {
      if (/^%PDF-\d\.\d$/.test(bytes.toString('latin1', 0, 8))) header = Buffer.from(bytes.subarray(0, 8));
      const info = part.context.lookup(part.context.trailerInfo.Info);
      if (info instanceof PDFDict)
        document.context.trailerInfo.Info = document.context.register(info.clone(document.context));
    }
    for (const page of await document.copyPages(part, part.getPageIndices())) document.addPage(page);
  }
  return { document, header };
}
