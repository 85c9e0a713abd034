/**
 * report.html cut into parts for printing (report-parts.ts): every part a whole document with the
 * report's head, cut only where an item begins, by items and by bytes, and not a byte of the
 * report lost, doubled or changed, even where an item's start falls across two reads of the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PART_PAGE_STYLE } from '../../../electron/core/bundle/pdf-page-template.js';
import { cutReport } from '../../../electron/core/bundle/report-parts.js';
import { Cancelled } from '../../../electron/core/cancel.js';

const HEAD =
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>r</title><style>p { margin: 0 }</style></head><body>';
const END = '\n<h2 class="item">Custody of the case</h2>\n</body></html>\n';
/** report.html is read a MiB at a time (report-parts.ts). */
const READ_BYTES = 1024 * 1024;
const ITEM = '\n<section class="item">';

/** A report whose second item's start straddles the first read's end, then small items. */
function report(): string {
  const cover = '\n<section class="cover"><h1>Cover</h1></section>';
  const first = `${ITEM}<h3>Item 1</h3><p>`;
  const fill = 'x'.repeat(
    READ_BYTES - 10 - HEAD.length - cover.length - first.length - '</p></section>'.length,
  );
  const items = Array.from({ length: 5 }, (_, i) => `${ITEM}<h3>Item ${i + 2}</h3><p>text</p></section>`);
  return `${HEAD}${cover}${first}${fill}</p></section>${items.join('')}${END}`;
}

describe('report.html cut into parts', () => {
  let dir: string;
  let html: string;
  let original: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-report-parts-'));
    html = path.join(dir, 'report.html');
    original = report();
    fs.writeFileSync(html, original);
    expect(original.indexOf(ITEM, 200)).toBeGreaterThan(READ_BYTES - ITEM.length);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The parts' bodies joined again: what report.html had after its head. */
  function bodies(files: readonly string[]): string {
    return files
      .map((file, i) => {
        const text = fs.readFileSync(file, 'utf8');
        const body = text.slice(text.indexOf('<body>') + '<body>'.length);
        return i < files.length - 1 ? body.replace(/<\/body><\/html>\n$/, '') : body;
      })
      .join('');
  }

  test('one item a part: each part a whole document with the head, one item start each, the report whole across them', async () => {
    const out = fs.mkdtempSync(path.join(dir, 'items-'));
    const parts = await cutReport(html, out, { maxItems: 1, maxBytes: 1024 ** 3 });
    expect(parts).toHaveLength(6);
    for (const part of parts) {
      const text = fs.readFileSync(part.html, 'utf8');
      expect(text.startsWith(HEAD.slice(0, HEAD.indexOf('</head>')))).toBe(true);
      expect(text.split('<section class="item">')).toHaveLength(2);
      expect(text.endsWith('</body></html>\n')).toBe(true);
    }
    expect(bodies(parts.map((p) => p.html))).toBe(original.slice(HEAD.length));
    expect(fs.readFileSync(html, 'utf8')).toBe(original);
  });

  test('by bytes: a part ends at the first item start past the bound, never inside an item', async () => {
    const out = fs.mkdtempSync(path.join(dir, 'bytes-'));
    const parts = await cutReport(html, out, { maxItems: 1000, maxBytes: 200 });
    // The cover and the large first item exceed the bound at once; the small items then go in pairs and more.
    const itemsPerPart = parts.map(
      (p) => fs.readFileSync(p.html, 'utf8').split('<section class="item">').length - 1,
    );
    expect(itemsPerPart[0]).toBe(1);
    expect(itemsPerPart.reduce((a, b) => a + b, 0)).toBe(6);
    expect(parts.length).toBeGreaterThan(2);
    expect(bodies(parts.map((p) => p.html))).toBe(original.slice(HEAD.length));
  });

  test("every part's head is the report's, then the parts' style without the page number box (the join draws it)", async () => {
    const out = fs.mkdtempSync(path.join(dir, 'style-'));
    const parts = await cutReport(html, out, { maxItems: 2, maxBytes: 1024 ** 3 });
    const reportHead = HEAD.slice(0, HEAD.indexOf('</head>'));
    for (const part of parts) {
      const text = fs.readFileSync(part.html, 'utf8');
      expect(text.slice(0, text.indexOf('</head>'))).toBe(`${reportHead}<style>${PART_PAGE_STYLE}</style>\n`);
    }
    expect(PART_PAGE_STYLE).toBe('@page { @bottom-right { content: none; } }');
  });

  test('a cut cancelled as it begins stops at once: Cancelled, and no part written (a report of gigabytes takes seconds to cut)', async () => {
    const out = fs.mkdtempSync(path.join(dir, 'cancelled-'));
    const controller = new AbortController();
    const cutting = cutReport(html, out, { maxItems: 1, maxBytes: 1024 ** 3 }, controller.signal);
    controller.abort();
    await expect(cutting).rejects.toBeInstanceOf(Cancelled);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
