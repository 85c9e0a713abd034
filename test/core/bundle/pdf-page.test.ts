/**
 * The page furniture of report.pdf, as real Chromium prints it from the report's own `@page` rule:
 * every page of a many-page document carries its notes and a correct "page k of n", and a note is
 * printed verbatim whatever characters it holds (it sits in a CSS string inside `<style>`).
 * Read back per page with poppler's pdftotext.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pageStyle } from '../../../electron/core/bundle/pdf-page-template.js';
import { ChromiumPdfPrinter } from '../../../electron/core/bundle/pdf-printer.js';

const PAGES = 40;
const FOOTER = 'Evidence SHA-256 9b49b003a4de9e0381a069c7600917ea27525d868e46736676c3d996ca0ab54e';
/** Quotes, a backslash, the end of the style element and markup: all must print as written. */
const HEADER = 'Case "BE-7\\2026" </style><b>not bold</b> \'exhibit\'';

describe('report.pdf page furniture, printed by Chromium', { timeout: 180_000 }, () => {
  let dir: string;
  let pages: string[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-pdf-page-'));
    const html = path.join(dir, 'report.html');
    const pdf = path.join(dir, 'report.pdf');
    const body = Array.from(
      { length: PAGES },
      (_, i) => `<section style="break-before:page"><p>Body of page ${i + 1}</p></section>`,
    ).join('\n');
    fs.writeFileSync(
      html,
      `<!doctype html><html><head><meta charset="utf-8"><style>${pageStyle({ footerNote: FOOTER, headerNote: HEADER })}</style></head><body>${body}</body></html>`,
    );
    await new ChromiumPdfPrinter().print(html, pdf);
    pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
  }, 180_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('every page carries the evidence note and its own "page k of n"', () => {
    expect(pages).toHaveLength(PAGES);
    pages.forEach((page, index) => {
      expect(page).toContain(`Body of page ${index + 1}`);
      expect(page).toContain(FOOTER);
      expect(page).toContain(`page ${index + 1} of ${PAGES}`);
    });
  });

  test('prints a header note verbatim, quotes, backslash and markup included, on every page', () => {
    for (const page of pages) expect(page).toContain(HEADER);
  });
});
