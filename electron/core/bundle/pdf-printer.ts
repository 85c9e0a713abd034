import fs from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { throwIfCancelled } from '../cancel.js';
import { findChromium, OFFLINE_CHROMIUM_SWITCHES } from '../capture/browser/browser-discovery.js';
import { operationFailure } from '../errors.js';
import { makeSystemTempDir } from '../system-temp.js';
import { PAGE_MARGINS_MM, type PageDecoration, pageTemplates } from './pdf-page-template.js';

/** One HTML file to print, and the PDF file to print it to. */
export interface PrintJob {
  readonly htmlFile: string;
  readonly pdfFile: string;
}

/**
 * Prints HTML files to PDF. The CLI prints with the system Chromium; the desktop app will print
 * with Electron's own `webContents.printToPDF` behind the same interface.
 */
export interface PdfPrinter {
  /**
   * Prints every job (the parts of one report: up to two at once, each in its own renderer process),
   * with `decoration` on every page; on `signal` it stops the printing browser and throws `Cancelled`.
   */
  print(jobs: readonly PrintJob[], signal?: AbortSignal, decoration?: PageDecoration): Promise<void>;
}

/** How many jobs print at once: two renderers keep both cores of a small machine busy; more only contend. */
export const PRINTS_AT_ONCE = Math.max(1, Math.min(2, os.availableParallelism()));

/** Runs `print` over `jobs`, `PRINTS_AT_ONCE` at a time; the first failure stops the rest from starting. */
export async function printEach(
  jobs: readonly PrintJob[],
  print: (job: PrintJob) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < jobs.length) {
      const job = jobs[next++]!;
      try {
        await print(job);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(PRINTS_AT_ONCE, jobs.length) }, worker),
  );
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}

/**
 * Prints with a headless Chromium through playwright-core (the one capture uses: `CUSTOS_CHROMIUM`,
 * else the first found), in a fresh profile removed afterwards.
 */
export class ChromiumPdfPrinter implements PdfPrinter {
  constructor(private readonly executablePath?: string) {}

  async print(jobs: readonly PrintJob[], signal?: AbortSignal, decoration?: PageDecoration): Promise<void> {
    throwIfCancelled(signal);
    const executablePath = this.executablePath ?? findChromiumToPrint();
    const profile = makeSystemTempDir('pdf-profile');
    try {
      // Loaded here, not at the top: playwright-core takes seconds to load and most commands never print.
      const { chromium } = await import('playwright-core');
      const context = await chromium.launchPersistentContext(profile, {
        executablePath,
        headless: true,
        args: [...OFFLINE_CHROMIUM_SWITCHES],
        offline: true,
        javaScriptEnabled: false,
      });
      // A cancel closes the browser: the page's load or print fails at once, and is reported as the cancel.
      const stop = () => void context.close().catch(() => undefined);
      signal?.addEventListener('abort', stop, { once: true });
      try {
        // A page each: Chromium gives every page opened this way its own renderer process.
        await printEach(jobs, async ({ htmlFile, pdfFile }) => {
          const page = await context.newPage();
          try {
            await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load', timeout: 120_000 });
            await page.pdf({
              path: pdfFile,
              format: 'A4',
              printBackground: true,
              margin: {
                top: `${PAGE_MARGINS_MM.top}mm`,
                bottom: `${PAGE_MARGINS_MM.bottom}mm`,
                left: `${PAGE_MARGINS_MM.left}mm`,
                right: `${PAGE_MARGINS_MM.right}mm`,
              },
              displayHeaderFooter: true,
              ...pageTemplates(decoration),
            });
          } finally {
            await page.close().catch(() => undefined);
          }
        });
      } catch (error) {
        throwIfCancelled(signal);
        throw error;
      } finally {
        signal?.removeEventListener('abort', stop);
        await context.close();
      }
      throwIfCancelled(signal);
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
  }
}

function findChromiumToPrint(): string {
  try {
    return findChromium();
  } catch (error) {
    throw operationFailure(`cannot print report.pdf: ${(error as Error).message}`, { cause: error });
  }
}
