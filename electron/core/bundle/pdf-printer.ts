import fs from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, CDPSession } from 'playwright-core';
import { throwIfCancelled, untilCancelled } from '../cancel.js';
import { findChromium, OFFLINE_CHROMIUM_SWITCHES } from '../capture/browser/browser-discovery.js';
import { operationFailure } from '../errors.js';
import { makeSystemTempDir } from '../system-temp.js';
import { DEFAULT_PARTED_PRINT, type PartedPrintOptions, printInParts } from './parted-print.js';
import { inches, PAGE_MARGINS_MM, PAGE_SIZE_MM, PRINT_SETTINGS } from './pdf-page-template.js';

/**
 * Prints an HTML file to PDF as its own `@page` rule lays the pages out (pdf-page-template.ts).
 * The CLI prints with the system Chromium; the desktop app with Electron's own `webContents.printToPDF`.
 */
export interface PdfPrinter {
  /** Prints `htmlFile` to `pdfFile`; on `signal` it stops the printing browser and throws `Cancelled`. */
  print(htmlFile: string, pdfFile: string, signal?: AbortSignal): Promise<void>;
  /**
   * Starts what a print needs (a browser) now, for one print that comes later: the export begins
   * before it writes the report, so that the browser starts while the report is written. Optional:
   * a printer without it is asked to `print` when the report is ready.
   */
  begin?(signal?: AbortSignal): PrintJob;
}

/** One print begun ahead of its document (`PdfPrinter.begin`): printed once, or let go. */
export interface PrintJob {
  /**
   * As `PdfPrinter.print`. When it throws, the job's browser is closed; when it returns (the PDF
   * written), the browser is closing: `dispose` waits until it is gone.
   */
  print(htmlFile: string, pdfFile: string, signal?: AbortSignal): Promise<void>;
  /** Closes whatever the job started and removes its files; safe to call more than once. */
  dispose(): Promise<void>;
}

/** How much of the PDF is asked of Chromium at a time: the whole document never sits in this process. */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Prints with a headless Chromium through playwright-core (the one capture uses: `CUSTOS_CHROMIUM`,
 * else the first found), in a fresh profile removed afterwards, in parts (parted-print.ts): one
 * browser for all of them, each part in a page of its own, closed after it (its renderer process
 * ends with it; one renderer reused for part after part grew to 4.3 GB).
 */
export class ChromiumPdfPrinter implements PdfPrinter {
  constructor(
    private readonly executablePath?: string,
    private readonly parts?: PartedPrintOptions,
  ) {}

  async print(htmlFile: string, pdfFile: string, signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal);
    const job = this.begin(signal);
    try {
      await job.print(htmlFile, pdfFile, signal);
    } finally {
      await job.dispose();
    }
  }

  begin(signal?: AbortSignal): PrintJob {
    return new ChromiumPrintJob(this.executablePath, this.parts ?? DEFAULT_PARTED_PRINT, signal);
  }
}

/**
 * A print whose browser starts when the job is made. Loading playwright-core and starting
 * Chromium take about a second of CPU and more of waiting (1.4-2 s for the import alone at load
 * 5), the same for a report of one page or thousands: begun before the report is written, that
 * time passes beside the writing instead of after it.
 */
class ChromiumPrintJob implements PrintJob {
  private readonly profile = makeSystemTempDir('pdf-profile');
  private readonly browser: Promise<BrowserContext>;
  private disposed: Promise<void> | null = null;

  constructor(
    executablePath: string | undefined,
    private readonly parts: PartedPrintOptions,
    signal?: AbortSignal,
  ) {
    this.browser = (async () =>
      launchPrintingChromium(this.profile, executablePath ?? findChromiumToPrint(), signal))();
    // A browser that fails to start is reported by `print`, which awaits it; never unhandled.
    this.browser.catch(() => undefined);
  }

  async print(htmlFile: string, pdfFile: string, signal?: AbortSignal): Promise<void> {
    let stop: (() => void) | undefined;
    try {
      throwIfCancelled(signal);
      // The report is cut into parts while the browser starts: the first part's print is the
      // first thing that waits for it.
      const started = this.browser.then((context) => {
        // A cancel closes the browser: the page's load or print fails at once, and is reported as the cancel.
        stop = () => void context.close().catch(() => undefined);
        signal?.addEventListener('abort', stop, { once: true });
        // A stop sent while the browser was starting came before the listener: honour it now.
        if (signal?.aborted) stop();
        return context;
      });
      // A browser that fails to start is reported by the first part's print; never unhandled.
      started.catch(() => undefined);
      // The page the browser starts with (a persistent context opens one) prints the first part:
      // a page of its own for it cost a renderer's start (0.2-0.35 s) on the way to the PDF.
      let startPageTaken = false;
      const printPart = async (partHtml: string, partPdf: string) => {
        const context = await started;
        const startPage = startPageTaken ? undefined : context.pages()[0];
        startPageTaken = true;
        // Playwright's newPage never settles when the browser is closed under it (a cancel):
        // stop waiting then (the page, if it comes, goes with the browser).
        const opening = startPage ? Promise.resolve(startPage) : context.newPage();
        const page = signal ? await untilCancelled(opening, signal) : await opening;
        try {
          await page.goto(pathToFileURL(partHtml).href, { waitUntil: 'load', timeout: 120_000 });
          await printToFile(await context.newCDPSession(page), partPdf);
        } finally {
          await page.close().catch(() => undefined);
        }
      };
      try {
        await printInParts(htmlFile, pdfFile, printPart, signal, this.parts);
      } catch (error) {
        throwIfCancelled(signal);
        throw error;
      }
      throwIfCancelled(signal);
    } catch (error) {
      await this.dispose();
      throw error;
    } finally {
      if (stop) signal?.removeEventListener('abort', stop);
    }
    // Printed: the browser closes while the export goes on (its manifest, its fsync), not before
    // it; the export's own `dispose`, before it commits, waits for it and is told if the profile
    // could not be removed (0.15-0.2 s of the bench's short report).
    this.dispose().catch(() => undefined);
  }

  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      const context = await this.browser.catch(() => null);
      await context?.close().catch(() => undefined);
      // Retried: a browser closed by a cancel may still be writing its profile for a moment.
      await fs.rm(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    })();
    return this.disposed;
  }
}

/**
 * A headless Chromium as the report is printed with: offline, JavaScript off, in `profile`. For the
 * printer, and for the tests and benches that must print exactly as it does.
 */
export async function launchPrintingChromium(
  profile: string,
  executablePath: string = findChromium(),
  signal?: AbortSignal,
): Promise<BrowserContext> {
  // Loaded here, not at the top: playwright-core takes seconds to load and most commands never print.
  const { chromium } = await import('playwright-core');
  throwIfCancelled(signal);
  return chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [...OFFLINE_CHROMIUM_SWITCHES],
    offline: true,
    javaScriptEnabled: false,
  });
}

/**
 * Prints the loaded page with CDP's `Page.printToPDF` and writes the PDF to `pdfFile` as Chromium
 * hands it over, chunk by chunk (playwright's `page.pdf` gathers the whole document in memory
 * first: tens of MiB for a report of thousands of pages).
 */
export async function printToFile(session: CDPSession, pdfFile: string): Promise<void> {
  const { stream } = await session.send('Page.printToPDF', {
    ...PRINT_SETTINGS,
    paperWidth: inches(PAGE_SIZE_MM.width),
    paperHeight: inches(PAGE_SIZE_MM.height),
    marginTop: inches(PAGE_MARGINS_MM.top),
    marginBottom: inches(PAGE_MARGINS_MM.bottom),
    marginLeft: inches(PAGE_MARGINS_MM.left),
    marginRight: inches(PAGE_MARGINS_MM.right),
    transferMode: 'ReturnAsStream',
  });
  if (!stream) throw operationFailure('cannot print report.pdf: Chromium returned no PDF stream');
  const out = await fs.open(pdfFile, 'w', 0o600);
  // Each chunk is decoded into one buffer, reused once its bytes are written (the write is awaited):
  // a fresh 1 MiB buffer a chunk was garbage that the process let go only at a collection.
  let decoded = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
  try {
    for (let eof = false; !eof; ) {
      const chunk = await session.send('IO.read', { handle: stream, size: READ_CHUNK_BYTES });
      const encoding = chunk.base64Encoded ? 'base64' : 'utf8';
      const length = Buffer.byteLength(chunk.data, encoding);
      if (length > decoded.length) decoded = Buffer.allocUnsafeSlow(length);
      const filled = decoded.write(chunk.data, encoding);
      for (let at = 0; at < filled; ) at += (await out.write(decoded, at, filled - at)).bytesWritten;
      eof = chunk.eof;
    }
  } finally {
    await out.close();
    await session.send('IO.close', { handle: stream }).catch(() => undefined);
  }
}

function findChromiumToPrint(): string {
  try {
    return findChromium();
  } catch (error) {
    throw operationFailure(`cannot print report.pdf: ${(error as Error).message}`, { cause: error });
  }
}
