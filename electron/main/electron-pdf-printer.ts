import fs from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { BrowserWindow } from 'electron';
import { inches, PAGE_MARGINS_MM, PRINT_SETTINGS } from '../core/bundle/pdf-page-template.js';
import type { PdfPrinter } from '../core/bundle/pdf-printer.js';
import { throwIfCancelled } from '../core/cancel.js';

/**
 * Prints the bundle report with Electron's own Chromium (`webContents.printToPDF`) in a hidden,
 * sandboxed window with JavaScript off and an in-memory session, so the app needs no system
 * browser to export. It prints with the CLI's settings (PRINT_SETTINGS): the report's own `@page` rule
 * lays out the pages, header and footer (pdf-page-template.ts).
 */
export class ElectronPdfPrinter implements PdfPrinter {
  async print(htmlFile: string, pdfFile: string, signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal);
    const window = new BrowserWindow({
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
    // A cancel destroys the window: the load or print fails at once, and is reported as the cancel.
    const stop = () => window.destroy();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      await window.loadURL(pathToFileURL(htmlFile).href);
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
      await fs.writeFile(pdfFile, pdf);
    } catch (error) {
      throwIfCancelled(signal);
      throw error;
    } finally {
      signal?.removeEventListener('abort', stop);
      if (!window.isDestroyed()) window.destroy();
    }
  }
}
