/**
 * report.pdf printed in parts (issue 18): the report is cut into parts of whole items, printed part
 * by part by the real Chromium, joined with pdf-lib and numbered after the join. A court reads the
 * joined PDF as it read a single print: these tests print the bundle's own report.html in one go with
 * the footer Chromium numbers itself, and compare page by page (text, pixels, document information).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EVIDENCE_HASH_NAME } from '../../../electron/core/bundle/evidence-hash.js';
import type { ExportResult } from '../../../electron/core/bundle/export-bundle.js';
import { ChromiumPdfPrinter } from '../../../electron/core/bundle/pdf-printer.js';
import { type CaseFixture, makeCaseFixture, readZip } from './bundle-fixtures.js';

/** Every page of a PDF as 8-bit grey pixels (pdftoppm at 50 dpi), in order. */
function pagePixels(pdf: string, dir: string): Buffer[] {
  fs.mkdirSync(dir);
  execFileSync('pdftoppm', ['-r', '50', '-gray', pdf, path.join(dir, 'page')]);
  return fs
    .readdirSync(dir)
    .sort()
    .map((name) => fs.readFileSync(path.join(dir, name)));
}

const info = (pdf: string) => execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
const field = (text: string, name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(text)?.[1];

describe('report.pdf printed in parts reads as one print', () => {
  let fixture: CaseFixture;
  let bundle: ExportResult;
  let joined: string;
  let single: string;

  beforeAll(async () => {
    fixture = await makeCaseFixture();
    // One item a part: the case's two items (a screenshot-like image over several pages, a text) make two parts.
    bundle = await fixture.exportTo('BE-1.zip', { reportParts: { maxItems: 1, maxBytes: 1 << 30 } });
    const files = await readZip(bundle.file);
    joined = path.join(fixture.temp.base, 'joined.pdf');
    fs.writeFileSync(joined, files.get('report.pdf')!);
    const html = path.join(fixture.temp.base, 'report.html');
    fs.writeFileSync(html, files.get('report.html')!);
    single = path.join(fixture.temp.base, 'single.pdf');
    await new ChromiumPdfPrinter().print([{ htmlFile: html, pdfFile: single }], undefined, {
      footerNote: `${EVIDENCE_HASH_NAME} ${bundle.evidenceSha256}`,
    });
  }, 180_000);
  afterAll(() => fixture.temp.remove());

  test('every page has the same text as a single print, "page k of n" counted across the parts', () => {
    const pages = (pdf: string) =>
      execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
    const expected = pages(single);
    expect(expected.length).toBeGreaterThan(3);
    expect(pages(joined)).toEqual(expected);
    for (const [index, page] of expected.entries())
      expect(page).toContain(`page ${index + 1} of ${expected.length}`);
  });

  test('every page looks as a single print does, footer included, pixel for pixel', () => {
    const expected = pagePixels(single, path.join(fixture.temp.base, 'single-pages'));
    const actual = pagePixels(joined, path.join(fixture.temp.base, 'joined-pages'));
    expect(actual.length).toBe(expected.length);
    for (const [index, page] of actual.entries())
      expect(page.equals(expected[index]!), `page ${index + 1}`).toBe(true);
  });

  test('keeps the document information of a print: title, creator, producer, PDF version', () => {
    const [a, b] = [info(joined), info(single)];
    for (const name of ['Title', 'Creator', 'Producer', 'PDF version', 'Pages', 'Page size'])
      expect(field(a, name), name).toBe(field(b, name));
    expect(field(a, 'Title')).toBe('Evidence report: case BE-1');
    expect(field(a, 'CreationDate')).toBeTruthy();
  });
});
