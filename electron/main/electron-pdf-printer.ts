import fs from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { BrowserWindow } from 'electron';
import { DEFAULT_PARTED_PRINT, type PartedPrintOptions, printInParts } from '../core/bundle/parted-print.js';
import { inches, PAGE_MARGINS_MM, PRINT_SETTINGS } from '../core/bundle/pdf-page-template.js';
import type { PdfPrinter } from '../core/bundle/pdf-printer.js';
import { throwIfCancelled } from '../core/cancel.js';

/**
 * Prints the bundle report with Electron's own Chromium (`webContents.printToPDF`) in hidden,
 * sandboxed windows with JavaScript off and an in-memory session, so the app needs no system
 * browser to export. It prints with the CLI's settings (PRINT_SETTINGS): the report's own `@page` rule
 * lays out the pages, header and footer (pdf-page-template.ts), and the join of the parts draws
 * "page k of n" (pdf-join.ts). The report is printed in parts as
 * the CLI prints it (parted-print.ts, shared): each part in a window of its own, destroyed after
 * it, its PDF (a Buffer: Electron gives no stream) written out before the next part is asked for.
 */
export class ElectronPdfPrinter implements PdfPrinter {
  constructor(private readonly parts: PartedPrintOptions = DEFAULT_PARTED_PRINT) {}

  async print(htmlFile: string, pdfFile: string, signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal);
    const windows = new Set<BrowserWindow>();
    // A cancel destroys the windows: a load or print under way fails at once, and is reported as the cancel.
    const stop = () => {
      for (const window of windows) if (!window.isDestroyed()) window.destroy();
    };
    signal?.addEventListener('abort', stop, { once: true });
    const printPart = async (partHtml: string, partPdf: string) => {
      throwIfCancelled(signal);
      const window = printWindow();
      windows.add(window);
      try {
        await window.loadURL(pathToFileURL(partHtml).href);
        const pdf = await window.webContents.printToPDF({
          ...PRINT_SETTINGS,
          pageSize: 'A4',
          // Electron takes margins in inches (the report's @page rule gives the same millimetres).
          margins: {
            top: inches(PAGE_MARGINS_MM.top),
            bottom: inches(PAGE_MARGINS_MM.bottom),
            left: inches(PAGE_MARGINS_MM.left),
            right: inches(PAGE_MARGINS_MM.right),
          },
        });
        throwIfCancelled(signal);
        await fs.writeFile(partPdf, pdf, { mode: 0o600 });
      } finally {
        windows.delete(window);
        if (!window.isDestroyed()) window.destroy();
      }
    };
    try {
      await printInParts(htmlFile, pdfFile, printPart, signal, this.parts);
    } finally {
      signal?.removeEventListener('abort', stop);
      stop();
    }
  }
}

/** A hidden window that runs nothing of the page it loads and keeps nothing after it. */
function printWindow(): BrowserWindow {
  return new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      partition: 'custos-report-printer',
      disableBlinkFeatures: 'Auxclick',
    },
  });
}
