import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { throwIfCancelled } from '../cancel.js';
import { findChromium, OFFLINE_CHROMIUM_SWITCHES } from '../capture/browser/browser-discovery.js';
import { operationFailure } from '../errors.js';
import { makeSystemTempDir } from '../system-temp.js';
import { PAGE_MARGINS_MM, type PageDecoration, pageTemplates } from './pdf-page-template.js';

/**
 * Prints an HTML file to PDF. The CLI prints with the system Chromium; the desktop app will print
 * with Electron's own `webContents.printToPDF` behind the same interface.
 */
export interface PdfPrinter {
  /** Prints, with `decoration` on every page; on `signal` it stops the printing browser and throws `Cancelled`. */
  print(htmlFile: string, pdfFile: string, signal?: AbortSignal, decoration?: PageDecoration): Promise<void>;
}

/**
 * Prints with a headless Chromium through playwright-core (the one capture uses: `CUSTOS_CHROMIUM`,
 * else the first found), in a fresh profile removed afterwards.
 */
export class ChromiumPdfPrinter implements PdfPrinter {
  constructor(private readonly executablePath?: string) {}

  async print(
    htmlFile: string,
    pdfFile: string,
    signal?: AbortSignal,
    decoration?: PageDecoration,
  ): Promise<void> {
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
        const page = await context.newPage();
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
