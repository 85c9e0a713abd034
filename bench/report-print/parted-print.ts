/**
 * Prototype: report.pdf printed in parts and joined, against the single print export does today.
 *
 * Chromium's print costs more per page the more pages the document has (scaling.ts), so a report is
 * split at item boundaries into parts of ITEMS_PER_PART items, each printed as its own document in
 * one browser, and the parts' PDFs are joined into one file. The global "page k of n" comes from
 * two passes: the first prints the parts with nothing visible, only to count their pages (a
 * page count is a matter of layout, and an invisible page costs little to paint), the second prints each part
 * with its first page numbered after the pages before it (`@page :first { counter-increment: page
 * k }`: Chromium carries the counter on from there) and the total written in. The join uses the
 * `pdfjs` package (not a dependency of Custos yet: install it in a scratch folder and give that
 * folder as PDFJS_DIR), writing each part's shared objects (fonts) once per part, one part in
 * memory at a time.
 *
 * It checks the joined PDF with `qpdf --check` and, page by page with pdftotext, that its text is
 * the single print's (footers included) and every page carries "page k of n".
 *
 *   PDFJS_DIR=/tmp/pdfeval node --import tsx bench/report-print/parted-print.ts REPORT.html [ITEMS_PER_PART] [REPEAT]
 *
 * REPEAT > 1 prints the report's items REPEAT times over (a larger case, for the parts only: the
 * single print of it is skipped as too slow to wait for).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { makeBenchDir, removeBenchDir } from '../support/bench-kit.js';
import { costLine, MeasuredPrinter, type PrintCost } from './chromium-print.js';

const [REPORT, PER_PART = '250', REPEAT = '1'] = process.argv.slice(2);
if (!REPORT || !process.env.PDFJS_DIR)
  throw new Error('usage: PDFJS_DIR=DIR parted-print.ts REPORT.html [ITEMS_PER_PART] [REPEAT]');
const ITEMS_PER_PART = Number(PER_PART);
const TIMES = Number(REPEAT);

/** Where each item's section starts in report.html (report.ts writes it at the start of a line). */
const ITEM_START = '\n<section class="item">';

/** report.html cut into its head and the bodies of the parts, each starting at an item. */
function splitReport(html: string): { head: string; bodies: string[] } {
  const bodyStart = html.indexOf('<body>') + '<body>'.length;
  const cuts = [bodyStart];
  let items = 0;
  for (let at = html.indexOf(ITEM_START); at >= 0; at = html.indexOf(ITEM_START, at + 1)) {
    if (items > 0 && items % ITEMS_PER_PART === 0) cuts.push(at);
    items++;
  }
  cuts.push(html.length);
  const bodies = cuts.slice(0, -1).map((from, i) => html.slice(from, cuts[i + 1]));
  // The larger case: the item parts between the first (with the cover) and the last (with the
  // case's custody) repeated.
  const middle = bodies.slice(1, -1);
  const repeated = Array.from({ length: TIMES - 1 }, () => middle).flat();
  return { head: html.slice(0, bodyStart), bodies: [bodies[0]!, ...middle, ...repeated, bodies.at(-1)!] };
}

/**
 * The part's page numbering: its first page is `firstPage`, and "of n" says `totalPages` (the
 * report's `@page` rule keeps the rest of the margin box: position, font). Without a total, the
 * print only counts the part's pages: everything hidden, which changes no box's size or place
 * (CSS 2 `visibility`) but leaves Chromium next to nothing to paint.
 */
function partPageStyle(firstPage: number, totalPages: number | null): string {
  const numbering =
    totalPages === null
      ? '* { visibility: hidden !important; }'
      : `@page { @bottom-right { content: "page " counter(page) " of ${totalPages}"; } }`;
  return `<style>${numbering}\n@page :first { counter-increment: page ${firstPage}; }</style>`;
}

function pageCount(pdf: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
}

/** Sums the costs of several prints: wall and CPU added, peaks the largest. */
function addCost(sum: PrintCost | null, cost: PrintCost): PrintCost {
  if (!sum) return cost;
  const byType = { ...sum.byType };
  for (const [type, c] of Object.entries(cost.byType)) {
    const was = byType[type] ?? { cpuSeconds: 0, peakMib: 0 };
    byType[type] = { cpuSeconds: was.cpuSeconds + c.cpuSeconds, peakMib: Math.max(was.peakMib, c.peakMib) };
  }
  return { seconds: sum.seconds + cost.seconds, byType };
}

/** Prints every part with its numbering; returns the parts' PDFs, page counts and the cost. */
async function printParts(
  printer: MeasuredPrinter,
  dir: string,
  split: { head: string; bodies: string[] },
  totalPages: number | null,
  counts: readonly number[],
) {
  let cost: PrintCost | null = null;
  const pdfs: string[] = [];
  const pages: number[] = [];
  let first = 1;
  for (const [i, body] of split.bodies.entries()) {
    const html = path.join(dir, `part-${i}.html`);
    const ending = i === split.bodies.length - 1 ? '' : '</body></html>\n';
    fs.writeFileSync(
      html,
      `${split.head.replace('</head>', `${partPageStyle(first, totalPages)}</head>`)}${body}${ending}`,
    );
    const pdf = path.join(dir, `part-${i}.pdf`);
    cost = addCost(cost, await printer.print(html, pdf));
    fs.rmSync(html);
    pages.push(pageCount(pdf));
    if (counts.length && pages[i] !== counts[i])
      throw new Error(`part ${i} has ${pages[i]} pages, was ${counts[i]}`);
    first += pages[i]!;
    pdfs.push(pdf);
  }
  return { pdfs, pages, cost: cost! };
}

/** Joins the PDFs into `out` with pdfjs, one part in memory at a time; the join's wall seconds. */
async function join(pdfs: readonly string[], out: string): Promise<number> {
  const require = createRequire(path.join(process.env.PDFJS_DIR!, 'package.json'));
  // biome-ignore lint/suspicious/noExplicitAny: the package has no types; a prototype uses its internals.
  const pdfjs: any = require('pdfjs');
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  const Parser: any = require('pdfjs/lib/parser/parser');
  const start = process.hrtime.bigint();
  const doc = new pdfjs.Document();
  const file = fs.createWriteStream(out);
  doc.pipe(file);
  for (const pdf of pdfs) {
    const part = new pdfjs.ExternalDocument(fs.readFileSync(pdf));
    // pdfjs's own addPagesOf writes a page's fonts again for every page (30 times the size);
    // this writes each object of the part once.
    doc._begin(null);
    doc._pending.push(async () => {
      await doc._endPage();
      const pages = [...part._iterPagesRecursively(doc, part.pages.get('Kids'))];
      for (const page of pages) doc._registerObject(page, true);
      const written = new Set<unknown>();
      for (const page of pages) {
        if (!page.properties.has('MediaBox') && part.mediaBox) page.properties.set('MediaBox', part.mediaBox);
        const objects: unknown[] = [];
        Parser.addObjectsRecursive(objects, page, 0);
        const fresh = objects.filter((o) => !written.has(o));
        for (const o of fresh) doc._registerObject(o, true);
        for (const o of fresh) {
          await doc._writeObject(o);
          written.add(o);
        }
        page.prop('Parent', doc._pagesObj.toReference());
        await doc._writeObject(page);
        const id: number = page.id;
        doc._pages.push({ toString: () => `${id} 0 R` });
      }
      // pdfjs keeps every object written in its cross-reference table, where only the offset is
      // needed, and each page in its page list: without this the parts' objects all stay in memory.
      for (const entry of doc._xref.objects) if (entry) entry.obj = undefined;
    });
    await doc._next();
  }
  await doc.end();
  await new Promise<void>((resolve) => file.on('close', () => resolve()));
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The text of each page of `pdf`, as pdftotext -layout gives it. */
function pageTexts(pdf: string): string[] {
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 2 ** 31 - 1 })
    .split('\f')
    .slice(0, -1);
}

const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const dir = makeBenchDir('report-print-parts');
try {
  const split = splitReport(fs.readFileSync(REPORT, 'utf8'));
  console.log(`${split.bodies.length} parts of ≤ ${ITEMS_PER_PART} items (load average ${load()})`);
  let single: { pdf: string; cost: PrintCost } | null = null;
  if (TIMES === 1) {
    // A browser of its own: the parts' renderer must not start with the single print's memory.
    const singlePrinter = await MeasuredPrinter.open(path.join(dir, 'single-profile'));
    try {
      const pdf = path.join(dir, 'single.pdf');
      single = { pdf, cost: await singlePrinter.print(REPORT, pdf) };
      console.log(`single print, ${pageCount(pdf)} pages:    ${costLine(single.cost)}`);
    } finally {
      await singlePrinter.close();
    }
  }
  const printer = await MeasuredPrinter.open(path.join(dir, 'profile'));
  try {
    const first = await printParts(printer, dir, split, null, []);
    const total = first.pages.reduce((a, b) => a + b, 0);
    console.log(`parts, pass 1 (count), ${total} pages: ${costLine(first.cost)}`);
    const second = await printParts(printer, dir, split, total, first.pages);
    console.log(`parts, pass 2 (print):            ${costLine(second.cost)}`);
    const joined = path.join(dir, 'joined.pdf');
    const rssBefore = process.resourceUsage().maxRSS;
    const joinSeconds = await join(second.pdfs, joined);
    console.log(
      `join (pdfjs):                     ${joinSeconds.toFixed(2)} s, this process's peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (${(rssBefore / 1024).toFixed(0)} before the join), ${(fs.statSync(joined).size / 1e6).toFixed(1)} MB` +
        (single ? ` (single print ${(fs.statSync(single.pdf).size / 1e6).toFixed(1)} MB)` : ''),
    );
    console.log(
      `qpdf --check: ${execFileSync('qpdf', ['--check', joined], { encoding: 'utf8' }).trim().split('\n').at(-2)}`,
    );
    const texts = pageTexts(joined);
    const footerWrong = texts.findIndex((t, i) => !t.includes(`page ${i + 1} of ${total}`));
    console.log(
      `pages ${texts.length} of ${total}; first page without its "page k of n": ${footerWrong < 0 ? 'none' : footerWrong + 1}`,
    );
    if (single) {
      const singleTexts = pageTexts(single.pdf);
      const differs = singleTexts.findIndex((t, i) => t !== texts[i]);
      console.log(
        `text page by page against the single print: ${differs < 0 && singleTexts.length === texts.length ? 'identical' : `differs from page ${differs + 1}`}`,
      );
    }
    console.log(`load average ${load()}`);
  } finally {
    await printer.close();
  }
} finally {
  removeBenchDir(dir);
}
