import fs from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { BrowserWindow } from 'electron';
import { PAGE_MARGINS_MM, type PageDecoration, pageTemplates } from '../core/bundle/pdf-page-template.js';
import type { PdfPrinter } from '../core/bundle/pdf-printer.js';
import { throwIfCancelled } from '../core/cancel.js';

const MM_PER_INCH = 25.4;

/**
 * Prints the bundle report with Electron's own Chromium (`webContents.printToPDF`) in a hidden,
 * sandboxed window with JavaScript off and an in-memory session, so the app needs no system
 * browser to export. The settings match the CLI's printer (A4, backgrounds, margins, the same page header and footer).
 */
export class ElectronPdfPrinter implements PdfPrinter {
  async print(
    htmlFile: string,
    pdfFile: string,
    signal?: AbortSignal,
    decoration?: PageDecoration,
  ): Promise<void> {
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
        pageSize: 'A4',
        printBackground: true,
        // Electron takes margins in inches; the CLI's printer takes the same millimetres.
        margins: {
          top: PAGE_MARGINS_MM.top / MM_PER_INCH,
          bottom: PAGE_MARGINS_MM.bottom / MM_PER_INCH,
          left: PAGE_MARGINS_MM.left / MM_PER_INCH,
          right: PAGE_MARGINS_MM.right / MM_PER_INCH,
        },
        displayHeaderFooter: true,
        ...pageTemplates(decoration),
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
