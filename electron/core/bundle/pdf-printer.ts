import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { operationFailure } from '../errors.js';

/**
 * Prints an HTML file to PDF. The CLI prints with the system Chromium; the desktop app will print
 * with Electron's own `webContents.printToPDF` behind the same interface.
 */
export interface PdfPrinter {
  print(htmlFile: string, pdfFile: string): Promise<void>;
}

/** The Chromium the CLI uses: `CUSTOS_CHROMIUM`, else Debian's. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CUSTOS_CHROMIUM ?? '/usr/bin/chromium';
}

/** Flags that keep a headless Chromium offline, quiet and free of any profile of its own. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Prints with a headless system Chromium through playwright-core, in a fresh profile removed afterwards. */
export class ChromiumPdfPrinter implements PdfPrinter {
  constructor(private readonly executablePath = chromiumPath()) {}

  async print(htmlFile: string, pdfFile: string): Promise<void> {
    if (!fs.existsSync(this.executablePath)) {
      throw operationFailure(
        `cannot print report.pdf: no Chromium at ${this.executablePath}; install Debian's chromium package or set CUSTOS_CHROMIUM`,
      );
    }
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-pdf-profile-'));
    try {
      // Loaded here, not at the top: playwright-core takes seconds to load and most commands never print.
      const { chromium } = await import('playwright-core');
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: this.executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
        offline: true,
        javaScriptEnabled: false,
      });
      try {
        const page = await context.newPage();
        await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load', timeout: 120_000 });
        await page.pdf({
          path: pdfFile,
          format: 'A4',
          printBackground: true,
          margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
          displayHeaderFooter: true,
          headerTemplate: '<span></span>',
          footerTemplate:
            '<div style="font-size:8px;width:100%;text-align:center;color:#555"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
        });
      } finally {
        await context.close();
      }
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
  }
}
