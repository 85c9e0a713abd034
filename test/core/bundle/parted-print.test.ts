/**
 * report.pdf printed in parts and joined (parted-print.ts, report-parts.ts, pdf-join.ts), against
 * the single print the export made before: real Chromium prints both, poppler reads them back page
 * by page (pdftotext, pdfinfo) and qpdf checks the joined file's structure.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { printInParts } from '../../../electron/core/bundle/parted-print.js';
import { pageStyle } from '../../../electron/core/bundle/pdf-page-template.js';
import {
  ChromiumPdfPrinter,
  launchPrintingChromium,
  printToFile,
} from '../../../electron/core/bundle/pdf-printer.js';
import { Cancelled } from '../../../electron/core/cancel.js';

/** Chromium prints several documents per test: minutes on a busy two-core machine. */
const SLOW = 300_000;
const FOOTER = 'Evidence SHA-256 9b49b003a4de9e0381a069c7600917ea27525d868e46736676c3d996ca0ab54e';
const ITEMS = 11;

/**
 * A report as report.ts writes one: a cover, items each starting a page at the start of a line
 * (`\n<section class="item">`), some running over several pages, then the case's own pages.
 */
function reportHtml(): string {
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const paragraphs = Array.from(
      { length: 1 + ((i * 37) % 90) },
      (_, p) => `<p>Item ${i + 1}, paragraph ${p + 1}: text that fills the page line after line.</p>`,
    ).join('\n');
    return `\n<section class="item">\n<h3>Item ${i + 1}</h3>\n${paragraphs}\n</section>`;
  }).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence report: case PARTS-1</title>
<style>${pageStyle({ footerNote: FOOTER })}
body { font: 9.5pt/1.4 "DejaVu Sans", sans-serif; margin: 0; } .cover { break-after: page; } .item { break-before: page; }</style></head><body>
<section class="cover"><h1>Evidence report: case PARTS-1</h1></section>${items}
<h2 class="item">Custody of the case</h2><p>The case's own entries.</p>
</body></html>
`;
}

/**
 * Each page's text, footers included: pdftotext reads the whole file once and ends each page with a
 * form feed, the same text as a read of that page alone (`-f k -l k`) gives, without a process a page.
 */
function pageTexts(pdf: string): string[] {
  const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\f')
    .slice(0, -1)
    .map((text) => `${text}\f`);
  expect(pages).toHaveLength(pageCount(pdf));
  return pages;
}

function pageCount(pdf: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
}

/** Opens a headless Chromium as the CLI's printer does; `printDocument` prints one file as the single print did. */
async function openChromium(profile: string) {
  const context = await launchPrintingChromium(profile);
  const printDocument = async (html: string, pdf: string) => {
    const page = await context.newPage();
    try {
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
      await printToFile(await context.newCDPSession(page), pdf);
    } finally {
      await page.close();
    }
  };
  return { context, printDocument };
}

describe('report.pdf printed in parts', { timeout: SLOW }, () => {
  let dir: string;
  let html: string;
  let single: string[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-parted-print-'));
    html = path.join(dir, 'report.html');
    fs.writeFileSync(html, reportHtml());
    const { context, printDocument } = await openChromium(path.join(dir, 'profile-single'));
    try {
      // The reference: report.html printed whole, in one document, as the export printed it before parts.
      await printDocument(html, path.join(dir, 'single.pdf'));
    } finally {
      await context.close();
    }
    single = pageTexts(path.join(dir, 'single.pdf'));
  }, SLOW);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('cut into parts of 4 items, gives the single print page for page, "page k of n" across the parts', async () => {
    const out = path.join(dir, 'out-items');
    fs.mkdirSync(out);
    const { context, printDocument } = await openChromium(path.join(dir, 'profile-items'));
    const printed: string[] = [];
    try {
      await printInParts(
        html,
        path.join(out, 'report.pdf'),
        async (part, pdf) => {
          printed.push(path.basename(part));
          await printDocument(part, pdf);
        },
        undefined,
        { maxItems: 4, maxBytes: 1024 * 1024 * 1024, concurrency: 2 },
      );
    } finally {
      await context.close();
    }
    // 11 items in parts of 4: three parts, each printed once (the join numbers the pages).
    expect(printed.sort()).toEqual(['part-0.html', 'part-1.html', 'part-2.html']);
    const joined = path.join(out, 'report.pdf');
    expect(execFileSync('qpdf', ['--check', joined], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors found',
    );
    const pages = pageTexts(joined);
    expect(single.length).toBeGreaterThan(ITEMS + 2);
    expect(pages).toHaveLength(single.length);
    expect(pageCount(joined)).toBe(single.length);
    pages.forEach((page, index) => {
      // The single print's CSS footer (report.html printed from a browser) and the join's stamp read the same.
      expect(page).toBe(single[index]);
      expect(single[index]!.match(/page \d+ of \d+/g)).toEqual([`page ${index + 1} of ${single.length}`]);
      expect(page).toContain(FOOTER);
    });
    // Each part's fonts are subsets of their own: each has a name of its own in the file (ISO
    // 32000-1 9.6.4), though every print names its first subsets AAAAAA+, BAAAAA+.
    const fonts = execFileSync('pdffonts', [joined], { encoding: 'utf8' })
      .split('\n')
      .slice(2)
      .map((line) => line.split(/\s+/)[0])
      .filter((name): name is string => Boolean(name));
    expect(fonts.length).toBeGreaterThan(3);
    expect(new Set(fonts).size).toBe(fonts.length);
    // Nothing but report.pdf is left next to it: the parts' folder is gone.
    expect(fs.readdirSync(out)).toEqual(['report.pdf']);
  });

  test('the CLI printer cuts by bytes too, one item a part when each outgrows the bound, same pages', async () => {
    const out = path.join(dir, 'out-bytes');
    fs.mkdirSync(out);
    const pdf = path.join(out, 'report.pdf');
    await new ChromiumPdfPrinter(undefined, { maxItems: 1000, maxBytes: 1, concurrency: 1 }).print(html, pdf);
    expect(pageTexts(pdf)).toEqual(single);
    expect(pdfinfoField(pdf, 'Title')).toBe('Evidence report: case PARTS-1');
    expect(fs.readdirSync(out)).toEqual(['report.pdf']);
  });

  test('a cancel while the parts print stops the print at once and leaves no part file nor report.pdf', async () => {
    const out = path.join(dir, 'out-cancel');
    fs.mkdirSync(out);
    const controller = new AbortController();
    const printer = new ChromiumPdfPrinter(undefined, { maxItems: 1, maxBytes: 1024 ** 3, concurrency: 2 });
    const printing = printer.print(html, path.join(out, 'report.pdf'), controller.signal);
    // Cancel once the parts exist, that is while Chromium prints them.
    await waitFor(() => fs.readdirSync(out).some((name) => name.startsWith('.report-parts-')));
    controller.abort();
    await expect(printing).rejects.toBeInstanceOf(Cancelled);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});

function pdfinfoField(pdf: string, field: string): string | undefined {
  return new RegExp(`^${field}:\\s+(.*)$`, 'm').exec(
    execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }),
  )?.[1];
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
