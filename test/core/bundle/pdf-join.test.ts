/**
 * The joiner of report.pdf's parts (pdf-join.ts): it joins what Chromium prints into a file qpdf
 * accepts, copies strings, names and comments as written (a reference-like text inside a string is
 * not a reference), and refuses, writing nothing, what it does not understand: object and
 * cross-reference streams, encryption, incremental updates. Real Chromium prints the parts; real
 * qpdf makes the files it must refuse and checks the files it writes.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { joinPdfs, pdfPageCount } from '../../../electron/core/bundle/pdf-join.js';
import { joinPdfsOnThread } from '../../../electron/core/bundle/pdf-join-thread.js';
import { launchPrintingChromium, printToFile } from '../../../electron/core/bundle/pdf-printer.js';
import { CustosError } from '../../../electron/core/errors.js';

/** A PDF 1.4 file with a classic cross-reference table, its offsets computed, from object bodies. */
function handMadePdf(bodies: readonly string[], trailer: string): Buffer {
  let text = '%PDF-1.4\n% a comment holding 9 0 R\n';
  const offsets = bodies.map((body, index) => {
    const offset = Buffer.byteLength(text, 'latin1');
    text += `${index + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = Buffer.byteLength(text, 'latin1');
  text += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n \n`;
  text += `trailer\n<</Size ${bodies.length + 1} ${trailer}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
}

/** A string that looks like references and dictionary ends, with escapes and nested parentheses. */
const TRICKY_STRING = '(Case (nested 4 0 R) \\) >> 3 0 R \\\\)';

/** The page object of `trickyPdf`, its /Resources naming the font F1. */
const TRICKY_PAGE =
  '<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources <</Font <</F1 5 0 R>>>> /A#20B <48656C6C6F>>>';

/**
 * A one-page PDF with TRICKY_STRING as its title; `pagesExtra` added to its page-tree node, `page`
 * its page object (TRICKY_PAGE) and `content` its page's content.
 */
function trickyPdf({
  pagesExtra = '',
  extraObject,
  page = TRICKY_PAGE,
  content = 'BT /F1 12 Tf 72 720 Td (one page) Tj ET',
}: {
  pagesExtra?: string;
  extraObject?: string;
  page?: string;
  content?: string;
} = {}): Buffer {
  return handMadePdf(
    [
      '<</Type /Catalog /Pages 2 0 R>>',
      `<</Type /Pages /Kids [3 0 R] /Count 1${pagesExtra}>>`,
      page,
      `<</Length 6 0 R>>\nstream\n${content}\nendstream`,
      '<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>',
      `${content.length + 1}`,
      `<</Title ${TRICKY_STRING} /Producer (hand)>>`,
      ...(extraObject ? [extraObject] : []),
    ],
    '/Root 1 0 R /Info 7 0 R',
  );
}

describe('the PDF joiner', { timeout: 180_000 }, () => {
  let dir: string;
  let printed: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-pdf-join-'));
    const html = path.join(dir, 'page.html');
    fs.writeFileSync(
      html,
      '<!doctype html><html><head><title>t</title></head><body><p>One</p><p style="break-before:page">Two</p></body></html>',
    );
    // Printed as the parted print prints each part: Chromium's own file, not yet joined.
    printed = path.join(dir, 'printed.pdf');
    const context = await launchPrintingChromium(path.join(dir, 'profile'));
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(html).href);
      await printToFile(await context.newCDPSession(page), printed);
    } finally {
      await context.close();
    }
  }, 180_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("joins Chromium's prints into one file qpdf accepts, their pages in order", async () => {
    const out = path.join(dir, 'joined.pdf');
    await joinPdfs([printed, printed, printed], out);
    expect(execFileSync('qpdf', ['--check', out], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors found',
    );
    expect(await pdfPageCount(out)).toBe(6);
    expect(pdfinfoPages(out)).toBe(6);
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    expect(text.match(/One|Two/g)).toEqual(['One', 'Two', 'One', 'Two', 'One', 'Two']);
  });

  test('draws "page k of n" on every page, numbered on across the parts, in its place at the foot', async () => {
    const out = path.join(dir, 'numbered.pdf');
    await joinPdfs([printed, printed, printed], out);
    expect(execFileSync('qpdf', ['--check', out], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors found',
    );
    const pages = pageTexts(out);
    expect(pages).toHaveLength(6);
    pages.forEach((page, index) => {
      expect(page.match(/page \d+ of \d+/g)).toEqual([`page ${index + 1} of 6`]);
    });
    // Right-aligned at the foot's right, where Chromium drew report.html's `@bottom-right` box
    // (its right edge 33.2 pt from the page's, the box's bottom 5 mm above the page's), in Courier.
    const last = execFileSync('pdftotext', ['-bbox', '-f', '6', '-l', '6', out, '-'], { encoding: 'utf8' });
    const box = /<page width="([\d.]+)" height="([\d.]+)"/.exec(last)!;
    const words = [...last.matchAll(/xMax="([\d.]+)" yMax="([\d.]+)">(\d+)<\/word>/g)];
    const six = words.at(-1)!;
    expect(six[3]).toBe('6');
    expect(Number(box[1]) - Number(six[1])).toBeCloseTo(33.2, 0);
    expect(Number(box[2]) - Number(six[2])).toBeGreaterThan(13);
    expect(Number(box[2]) - Number(six[2])).toBeLessThan(16);
    expect(execFileSync('pdffonts', [out], { encoding: 'utf8' })).toMatch(
      /^Courier\s+Type 1\s+WinAnsi\s+no/m,
    );
  });

  test("numbers a page without /Resources or /Font, wrapping each page's own content so the stamp starts clean", async () => {
    const bare = path.join(dir, 'bare.pdf');
    fs.writeFileSync(
      bare,
      trickyPdf({
        page: TRICKY_PAGE.replace('<</Font <</F1 5 0 R>>>>', '<<>>'),
        content: '0 g 10 10 5 5 re f',
      }),
    );
    // A page whose content leaves a transform and a white fill set: the stamp must not inherit them.
    const shifted = path.join(dir, 'shifted.pdf');
    fs.writeFileSync(
      shifted,
      trickyPdf({
        page: TRICKY_PAGE.replace('/Resources <</Font <</F1 5 0 R>>>> ', ''),
        content: '2 0 0 2 0 -500 cm 1 g',
      }),
    );
    const out = path.join(dir, 'bare-joined.pdf');
    await joinPdfs([bare, shifted], out);
    expect(execFileSync('qpdf', ['--check', out], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors found',
    );
    expect(pageTexts(out).map((page) => page.match(/page \d+ of \d+/g))).toEqual([
      ['page 1 of 2'],
      ['page 2 of 2'],
    ]);
    const second = execFileSync('pdftotext', ['-bbox', '-f', '2', '-l', '2', out, '-'], { encoding: 'utf8' });
    const of = /xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>of<\/word>/.exec(second)!;
    // Without the q/Q around the page's content the text would be drawn twice the size, 500 pt off.
    expect(Number(of[2])).toBeGreaterThan(792 - 20);
  });

  test('numbers a page whose /Contents refers to an array object of its streams (legal PDF, which Chromium does not write), its own text kept', async () => {
    const part = path.join(dir, 'contents-array.pdf');
    fs.writeFileSync(
      part,
      trickyPdf({ page: TRICKY_PAGE.replace('/Contents 4 0 R', '/Contents 8 0 R'), extraObject: '[4 0 R]' }),
    );
    const out = path.join(dir, 'contents-array-joined.pdf');
    await joinPdfs([part], out);
    expect(execFileSync('qpdf', ['--check', out], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors found',
    );
    const [text] = pageTexts(out);
    expect(text).toContain('one page');
    expect(text).toContain('page 1 of 1');
  });

  test('numbers, at its foot, a page whose /Rotate 0, /UserUnit 1 and /CropBox (its /MediaBox, away from the origin) change nothing', async () => {
    const part = path.join(dir, 'defaults.pdf');
    const box = '[100 200 712 992]';
    fs.writeFileSync(
      part,
      trickyPdf({
        page: TRICKY_PAGE.replace(
          '/MediaBox [0 0 612 792]',
          `/MediaBox ${box} /CropBox ${box} /Rotate 0 /UserUnit 1`,
        ),
        content: 'BT /F1 12 Tf 172 920 Td (one page) Tj ET',
      }),
    );
    const out = path.join(dir, 'defaults-joined.pdf');
    await joinPdfs([part], out);
    expect(pageTexts(out)[0]).toMatch(/one page[\s\S]*page 1 of 1/);
    // pdftotext measures from the page's upper-left corner: the stamp where it is on any page.
    const page = execFileSync('pdftotext', ['-bbox', out, '-'], { encoding: 'utf8' });
    const of = /xMax="([\d.]+)" yMax="([\d.]+)">of<\/word>/.exec(page)!;
    expect(Number(of[1])).toBeGreaterThan(612 - 60);
    expect(Number(of[1])).toBeLessThan(612 - 33);
    expect(792 - Number(of[2])).toBeGreaterThan(13);
    expect(792 - Number(of[2])).toBeLessThan(16);
  });

  test('copies strings, hex strings and escaped names as written, renumbering only real references', async () => {
    const part = path.join(dir, 'tricky.pdf');
    fs.writeFileSync(part, trickyPdf());
    const out = path.join(dir, 'tricky-joined.pdf');
    await joinPdfs([part, part], out);
    expect(execFileSync('qpdf', ['--check', out], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors found',
    );
    const bytes = fs.readFileSync(out, 'latin1');
    // The first part's /Info kept, its string byte for byte; the second part's dropped.
    expect(bytes.split(TRICKY_STRING)).toHaveLength(2);
    expect(bytes.split('/A#20B <48656C6C6F>')).toHaveLength(3);
    expect(execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' }).match(/one page/g)).toHaveLength(2);
    expect(execFileSync('pdfinfo', [out], { encoding: 'utf8' })).toMatch(
      /Title:\s+Case \(nested 4 0 R\) \) >> 3 0 R \\/,
    );
  });

  const refusals: [string, RegExp, (out: string) => void][] = [
    [
      'object streams and a cross-reference stream',
      /cross-reference is a stream/,
      (out) => execFileSync('qpdf', ['--object-streams=generate', printed, out]),
    ],
    [
      'encryption',
      /encrypted/,
      (out) => execFileSync('qpdf', ['--encrypt', 'user', 'owner', '128', '--use-aes=y', '--', printed, out]),
    ],
    [
      'an incremental update',
      /updated incrementally/,
      (out) => {
        const base = fs.readFileSync(printed);
        const prev = /startxref\s+(\d+)/.exec(base.subarray(base.length - 64).toString('latin1'))![1];
        const size = Number(/\/Size (\d+)/.exec(base.toString('latin1'))![1]);
        const at = base.length;
        const update = `${size} 0 obj\n(added later)\nendobj\n`;
        const xref = at + update.length;
        const rootMatch = /\/Root (\d+) 0 R/.exec(base.toString('latin1'))!;
        fs.writeFileSync(
          out,
          Buffer.concat([
            base,
            Buffer.from(
              `${update}xref\n${size} 1\n${String(at).padStart(10, '0')} 00000 n \ntrailer\n<</Size ${size + 1} /Root ${rootMatch[1]} 0 R /Prev ${prev}>>\nstartxref\n${xref}\n%%EOF\n`,
            ),
          ]),
        );
      },
    ],
  ];

  test.each(refusals)(
    'refuses a part with %s, with a clear message, and writes nothing',
    async (name, message, make) => {
      const part = path.join(dir, `${name.replace(/\W+/g, '-')}.pdf`);
      make(part);
      const out = path.join(dir, `${name.replace(/\W+/g, '-')}-joined.pdf`);
      const joining = joinPdfs([printed, part], out);
      await expect(joining).rejects.toBeInstanceOf(CustosError);
      await expect(joining).rejects.toThrow(message);
      await expect(joining).rejects.toThrow(/cannot join the parts of report\.pdf/);
      await expect(joining).rejects.toThrow(path.basename(part));
      expect(fs.existsSync(out)).toBe(false);
    },
  );

  test('on its own thread (as the export joins), joins the same and refuses the same, as a failure', async () => {
    const out = path.join(dir, 'thread-joined.pdf');
    await joinPdfsOnThread([printed, printed], out);
    expect(await pdfPageCount(out)).toBe(4);
    const encrypted = path.join(dir, 'thread-encrypted.pdf');
    execFileSync('qpdf', ['--encrypt', 'user', 'owner', '128', '--use-aes=y', '--', printed, encrypted]);
    const refusedOut = path.join(dir, 'thread-refused.pdf');
    const joining = joinPdfsOnThread([printed, encrypted], refusedOut);
    await expect(joining).rejects.toMatchObject({ name: 'CustosError', kind: 'failure' });
    await expect(joining).rejects.toThrow(
      /cannot join the parts of report\.pdf: thread-encrypted\.pdf is encrypted/,
    );
    expect(fs.existsSync(refusedOut)).toBe(false);
  });

  test('refuses an object stream even under a classic cross-reference table', async () => {
    const part = path.join(dir, 'object-stream.pdf');
    fs.writeFileSync(
      part,
      trickyPdf({ extraObject: '<</Type /ObjStm /N 0 /First 0 /Length 0>>\nstream\n\nendstream' }),
    );
    const out = path.join(dir, 'object-stream-joined.pdf');
    await expect(joinPdfs([part], out)).rejects.toThrow(
      /object-stream\.pdf holds an object stream \(object 8\)/,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  test.each([
    [
      'its /Resources are a reference',
      TRICKY_PAGE.replace('/Resources <</Font <</F1 5 0 R>>>>', '/Resources 5 0 R'),
      'the /Resources of page object 3 of PART is not a dictionary written in it',
    ],
    [
      "its /Font resources already name the stamp's font",
      TRICKY_PAGE.replace('/F1 5 0 R', '/CustosPageNumber 5 0 R'),
      'the /Font resources of page object 3 of PART are not a dictionary written in it, or already name /CustosPageNumber',
    ],
    [
      'it has no /MediaBox',
      TRICKY_PAGE.replace('/MediaBox [0 0 612 792] ', ''),
      'page object 3 of PART has no /MediaBox of four numbers',
    ],
    [
      'it has no /Contents',
      TRICKY_PAGE.replace('/Contents 4 0 R ', ''),
      'the /Contents of page object 3 of PART is not a reference or an array of them',
    ],
    [
      'it is turned by /Rotate',
      TRICKY_PAGE.replace('/MediaBox', '/Rotate 90 /MediaBox'),
      'page object 3 of PART is turned by /Rotate, which the page number would not follow',
    ],
    [
      'its /UserUnit is not 1',
      TRICKY_PAGE.replace('/MediaBox', '/UserUnit 2 /MediaBox'),
      'page object 3 of PART has a /UserUnit other than 1',
    ],
    [
      'its /CropBox cuts its foot off',
      TRICKY_PAGE.replace('/MediaBox', '/CropBox [0 100 612 792] /MediaBox'),
      'page object 3 of PART has a /CropBox other than its /MediaBox',
    ],
    [
      'its /MediaBox is written right to left',
      TRICKY_PAGE.replace('/MediaBox [0 0 612 792]', '/MediaBox [612 0 0 792]'),
      'the /MediaBox of page object 3 of PART is [612 0 0 792], not its lower-left corner',
    ],
    [
      'its /MediaBox is written top to bottom',
      TRICKY_PAGE.replace('/MediaBox [0 0 612 792]', '/MediaBox [0 792 612 0]'),
      'the /MediaBox of page object 3 of PART is [0 792 612 0], not its lower-left corner',
    ],
  ])(
    'refuses a page it cannot number: %s, naming the page object and its part, writing nothing',
    async (name, page, message) => {
      const part = path.join(dir, `${name.replace(/\W+/g, '-')}.pdf`);
      fs.writeFileSync(part, trickyPdf({ page }));
      const out = path.join(dir, `${name.replace(/\W+/g, '-')}-joined.pdf`);
      await expect(joinPdfs([part], out)).rejects.toThrow(message.replace('PART', path.basename(part)));
      expect(fs.existsSync(out)).toBe(false);
    },
  );

  test('refuses parts with no page between them (a report.pdf of no pages), writing nothing', async () => {
    const empty = path.join(dir, 'empty.pdf');
    fs.writeFileSync(
      empty,
      handMadePdf(['<</Type /Catalog /Pages 2 0 R>>', '<</Type /Pages /Kids [] /Count 0>>'], '/Root 1 0 R'),
    );
    for (const [parts, message] of [
      [[empty], /cannot join the parts of report\.pdf: its one part has no page/],
      [[empty, empty], /cannot join the parts of report\.pdf: its 2 parts have no page/],
    ] as const) {
      const out = path.join(dir, `empty-${parts.length}-joined.pdf`);
      await expect(joinPdfs(parts, out)).rejects.toThrow(message);
      expect(fs.existsSync(out)).toBe(false);
    }
  });

  test('refuses a page tree whose node carries what its pages would inherit', async () => {
    const part = path.join(dir, 'inherited.pdf');
    fs.writeFileSync(part, trickyPdf({ pagesExtra: ' /Rotate 90' }));
    const out = path.join(dir, 'inherited-joined.pdf');
    await expect(joinPdfs([part], out)).rejects.toThrow(
      'the page-tree node object 2 of inherited.pdf carries /Rotate, which its pages would inherit',
    );
    expect(fs.existsSync(out)).toBe(false);
  });
});

/** Each page's text, as pdftotext reads it page by page. */
function pageTexts(pdf: string): string[] {
  return Array.from({ length: pdfinfoPages(pdf) }, (_, i) =>
    execFileSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), pdf, '-'], {
      encoding: 'utf8',
    }),
  );
}

function pdfinfoPages(pdf: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
}
