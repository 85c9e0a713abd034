import fs from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { BrowserWindow } from 'electron';
import type { PdfPrinter } from '../core/bundle/pdf-printer.js';
import { throwIfCancelled } from '../core/cancel.js';

/**
 * Prints the bundle report with Electron's own Chromium (`webContents.printToPDF`) in a hidden,
 * sandboxed window with JavaScript off and an in-memory session, so the app needs no system
 * browser to export. The settings match the CLI's printer (A4, backgrounds, page numbers).
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
        pageSize: 'A4',
        printBackground: true,
        // Margins in inches: 15 mm top and bottom, 12 mm left and right, as the CLI prints.
        margins: { top: 0.59, bottom: 0.59, left: 0.47, right: 0.47 },
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate:
          '<div style="font-size:8px;width:100%;text-align:center;color:#555"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
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
