/**
 * The report's printer runs no script and fetches nothing, in every part it prints: report.html
 * holds text taken from captured pages, and the printer prints the first part in the page its
 * browser starts with (pdf-printer.ts), the later ones in pages of their own. Real Chromium, a real
 * HTTP server on 127.0.0.1 that counts what reaches it, the PDF read back with pdftotext.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pageStyle } from '../../../electron/core/bundle/pdf-page-template.js';
import { ChromiumPdfPrinter } from '../../../electron/core/bundle/pdf-printer.js';

const ITEMS = 3;

/** A report cut into one part per item (report-parts.ts), each item a script, a noscript and a picture from the server. */
function hostileReport(port: number): string {
  const items = Array.from(
    { length: ITEMS },
    (_, i) => `\n<section class="item">
<h3>Item ${i + 1}</h3>
<script>document.write('SCRIPT RAN IN ITEM ${i + 1}')</script>
<noscript><p>No script in item ${i + 1}</p></noscript>
<img src="http://127.0.0.1:${port}/item-${i + 1}.png" alt="">
</section>`,
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence report: case ISO-1</title>
<style>${pageStyle({ footerNote: 'Evidence SHA-256 test' })} .item { break-before: page; }</style></head><body>
<section class="cover"><h1>Evidence report: case ISO-1</h1></section>${items}
</body></html>
`;
}

describe('the report printer, on a report holding scripts and remote pictures', { timeout: 120_000 }, () => {
  let dir: string;
  let server: http.Server;
  const requests: string[] = [];
  let text = '';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-print-isolation-'));
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const html = path.join(dir, 'report.html');
    fs.writeFileSync(html, hostileReport((server.address() as AddressInfo).port));
    const pdf = path.join(dir, 'report.pdf');
    const printer = new ChromiumPdfPrinter(undefined, {
      maxItems: 1,
      maxBytes: 64 * 1024 * 1024,
      concurrency: 2,
    });
    await printer.print(html, pdf);
    text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('runs no script in any part, the one printed in the browser start page included', () => {
    for (let i = 1; i <= ITEMS; i++) expect(text).toContain(`No script in item ${i}`);
    expect(text).not.toContain('SCRIPT RAN');
  });

  test('fetches nothing from the network for any part', () => {
    expect(requests).toEqual([]);
  });
});
