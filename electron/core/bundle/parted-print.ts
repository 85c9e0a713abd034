/**
 * report.pdf printed in parts, for both printers (the CLI's Chromium, the app's Electron): Chromium's
 * print costs more per page the longer the document (each page's paint walks the whole document:
 * 4,000 pages cost 12 times 1,000, and the renderer of a 4,020-page report peaked at 2.6 GB), so
 * report.html is cut at item boundaries (report-parts.ts), each part printed as a document of its
 * own, and the parts' PDFs joined (pdf-join.ts): time grows with the report, memory does not.
 *
 * Every page's footer says "page k of n" as a single print's would. The total is known only once
 * every part is printed, so the parts print without it (report-parts.ts) and the join draws it on
 * every page, each part's pages numbered after the pages before it (pdf-join.ts). Each part is
 * printed once. All temporary files are in one folder next to report.pdf, removed whatever happens.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { throwIfCancelled } from '../cancel.js';
import { badInput } from '../errors.js';
import { joinPdfsOnThread } from './pdf-join-thread.js';
import { cutReport, type PartLimits } from './report-parts.js';

/** Prints one HTML document (a part) to one PDF file: what each printer brings. */
export type PrintDocument = (htmlFile: string, pdfFile: string) => Promise<void>;

/** How the report is cut, and how many parts are printed at once. */
export interface PartedPrintOptions extends PartLimits {
  /** Parts printed at the same time, each in a renderer process of its own. */
  readonly concurrency: number;
}

/**
 * 250 items (about 500 pages of the bench's case: its renderer peaked under 500 MiB), 64 MiB of
 * HTML (screenshots), two at a time (two renderers keep both cores busy while one waits).
 */
export const DEFAULT_PARTED_PRINT: PartedPrintOptions = {
  maxItems: 250,
  maxBytes: 64 * 1024 * 1024,
  concurrency: 2,
};

/**
 * The options the printers use: the defaults, with `CUSTOS_REPORT_PART_ITEMS` (docs/CLI.md) as the
 * most items in a part when it is set (a smaller number bounds the printing browser's memory further).
 */
export function partedPrintOptions(env: NodeJS.ProcessEnv = process.env): PartedPrintOptions {
  const items = env.CUSTOS_REPORT_PART_ITEMS;
  if (items === undefined || items === '') return DEFAULT_PARTED_PRINT;
  if (!/^[1-9]\d{0,8}$/.test(items))
    throw badInput(
      `CUSTOS_REPORT_PART_ITEMS is "${items}": give a whole number of items from 1 up, or unset it for ${DEFAULT_PARTED_PRINT.maxItems}`,
    );
  return { ...DEFAULT_PARTED_PRINT, maxItems: Number(items) };
}

/**
 * Prints `htmlFile` (report.html) to `pdfFile` in parts with `printDocument`. On `signal` the
 * caller stops its browser, which fails the print under way; this then throws `Cancelled`.
 */
export async function printInParts(
  htmlFile: string,
  pdfFile: string,
  printDocument: PrintDocument,
  signal: AbortSignal | undefined,
  options: PartedPrintOptions = DEFAULT_PARTED_PRINT,
): Promise<void> {
  const dir = await fs.mkdtemp(path.join(path.dirname(pdfFile), '.report-parts-'));
  try {
    const parts = await cutReport(htmlFile, dir, options, signal);
    throwIfCancelled(signal);
    const pdfOf = (index: number) => path.join(dir, `part-${index}.pdf`);
    await eachAtOnce(parts, options.concurrency, signal, async (part, index) => {
      await printDocument(part.html, pdfOf(index));
      throwIfCancelled(signal);
      await fs.rm(part.html);
    });
    await joinPdfsOnThread(
      parts.map((_, index) => pdfOf(index)),
      pdfFile,
    );
  } catch (error) {
    throwIfCancelled(signal);
    throw error;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `job` on every element, at most `limit` at once; results in order. The first failure stops
 * new jobs from starting, and is thrown once the running ones have ended.
 */
async function eachAtOnce<T, R>(
  elements: readonly T[],
  limit: number,
  signal: AbortSignal | undefined,
  job: (element: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(elements.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < elements.length) {
      throwIfCancelled(signal);
      const index = next++;
      try {
        results[index] = await job(elements[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, elements.length)) }, worker);
  const settled = await Promise.allSettled(workers);
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
  return results;
}
