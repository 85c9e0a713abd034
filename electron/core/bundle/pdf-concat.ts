/**
 * Joins Chromium's PDFs (report.pdf's parts) into one, streaming: one part at a time is read, its
 * objects copied byte for byte with their numbers shifted, each page given "page k of n" at its foot
 * (pdf-page-numbers.ts: its content wrapped in q … Q, a stream of the numbers after it, the footer
 * font in its resources), and the joined file's page tree, catalog and cross-reference table written
 * at the end. Memory is bounded by a part, never by the whole (a PDF library holding the whole
 * document took the export over its 300 MiB). It reads what Chromium writes, a classic
 * cross-reference table (no cross-reference or object streams, no update, no encryption), and
 * refuses anything else; each part's page tree becomes a kid of the joined tree, in order.
 */
import fs from 'node:fs/promises';
import { operationFailure } from '../errors.js';
import {
  footerFontObjects,
  PAGE_NUMBER_FONT,
  pageNumberObject,
  saveStateObject,
} from './pdf-page-numbers.js';

/** A PDF read for joining: each object's bytes, the catalog, the page tree's root and its page count, and the document information. */
interface ClassicPdf {
  readonly bytes: Buffer;
  /** Byte range of each object ("N G obj … endobj"), by object number. */
  readonly objects: ReadonlyMap<number, readonly [number, number]>;
  readonly root: number;
  readonly pages: number;
  readonly pageCount: number;
  readonly info: number | undefined;
}

/**
 * Writes the pages of `inputs` (read one at a time, in order) to `out` as one PDF, with the first
 * input's catalog entries, document information and header, and "page k of n" drawn at the foot of
 * every page (pdf-page-numbers.ts; `totalPages` is n).
 */
export async function concatPdfs(
  inputs: readonly (() => Promise<Buffer>)[],
  out: string,
  header: Buffer,
  totalPages: number,
): Promise<void> {
  const file = await fs.open(out, 'wx', 0o600);
  try {
    let offset = 0;
    const write = async (data: Buffer | string) => {
      const chunk = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
      await file.write(chunk);
      offset += chunk.length;
    };
    const offsets = new Map<number, number>();
    // 1: the catalog, 2: the root of the page tree, written last; 3: the stream that saves the
    // graphics state before each page's content; 4-8: the footer font; each input's objects after them.
    const [CATALOG, PAGES, SAVE] = [1, 2, 3];
    const font = { font: 4, cidFont: 5, descriptor: 6, file: 7, toUnicode: 8 };
    let next = 9;
    let pageNumber = 0;
    let catalog = '';
    let info: number | undefined;
    const kids: number[] = [];
    let count = 0;
    await write(Buffer.concat([header.subarray(0, 8), Buffer.from('\n%\xE2\xE3\xCF\xD3\n', 'latin1')]));
    const fontObjects = footerFontObjects(font);
    const shared: [number, Buffer][] = [
      [SAVE, saveStateObject(SAVE)],
      ...Object.values(font).map((n, i): [number, Buffer] => [n, fontObjects[i]!]),
    ];
    for (const [n, object] of shared) {
      offsets.set(n, offset);
      await write(object);
    }
    for (const [index, read] of inputs.entries()) {
      const pdf = readClassicPdf(await read());
      const shift = next - 1;
      const last = Math.max(...pdf.objects.keys()) + shift;
      // Each page's numbers are a stream of their own, numbered after the input's objects.
      const numbersOf = new Map(
        pageOrder(pdf).map((page, i) => [page, { stream: last + 1 + i, page: pageNumber + 1 + i }]),
      );
      for (const [number, [start, end]] of [...pdf.objects].sort((a, b) => a[0] - b[0])) {
        if (number === pdf.root) continue;
        let text = shiftReferences(pdf.bytes.toString('latin1', start, end), shift);
        // The input's page tree hangs from the joined one.
        if (number === pdf.pages) text = text.replace('<<', `<</Parent ${PAGES} 0 R `);
        const numbers = numbersOf.get(number);
        if (numbers) text = numberedPage(text, SAVE, numbers.stream, font.font);
        offsets.set(number + shift, offset);
        await write(text);
        if (numbers) {
          offsets.set(numbers.stream, offset);
          await write(pageNumberObject(numbers.stream, numbers.page, totalPages, pageHeight(text)));
        }
      }
      pageNumber += numbersOf.size;
      if (index === 0) {
        catalog = shiftReferences(objectBody(pdf, pdf.root), shift).replace(
          /\/Pages\s+\d+\s+\d+\s+R/,
          `/Pages ${PAGES} 0 R`,
        );
        info = pdf.info === undefined ? undefined : pdf.info + shift;
      }
      kids.push(pdf.pages + shift);
      count += pdf.pageCount;
      next = last + numbersOf.size + 1;
    }
    offsets.set(CATALOG, offset);
    await write(`${CATALOG} 0 obj\n${catalog}\nendobj\n`);
    offsets.set(PAGES, offset);
    await write(
      `${PAGES} 0 obj\n<</Type /Pages\n/Kids [${kids.map((k) => `${k} 0 R`).join(' ')}]\n/Count ${count}>>\nendobj\n`,
    );
    const xref = offset;
    await write(crossReferenceTable(offsets));
    await write(
      `trailer\n<</Size ${Math.max(...offsets.keys()) + 1}\n/Root ${CATALOG} 0 R${info === undefined ? '' : `\n/Info ${info} 0 R`}>>\nstartxref\n${xref}\n%%EOF\n`,
    );
    await file.sync();
  } finally {
    await file.close();
  }
}

/** The page objects of a PDF in order, walking its page tree. */
function pageOrder(pdf: ClassicPdf): number[] {
  const pages: number[] = [];
  const walk = (node: number, depth: number) => {
    const body = objectBody(pdf, node);
    if (!/\/Type\s*\/Pages\b/.test(body)) {
      pages.push(node);
      return;
    }
    const kids = /\/Kids\s*\[([^\]]*)\]/.exec(body);
    if (!kids || depth > 32)
      throw operationFailure("cannot join report.pdf's parts: a page tree node has no kids");
    for (const kid of kids[1]!.matchAll(/(\d+)\s+\d+\s+R/g)) walk(Number(kid[1]), depth + 1);
  };
  walk(pdf.pages, 0);
  return pages;
}

/** A page object (its references shifted already) with the numbers' stream after its content and the footer font in its resources. */
function numberedPage(text: string, save: number, numbers: number, font: number): string {
  const contents = /\/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)/.exec(text);
  const fonts = /\/Font\s*<</.exec(text);
  if (!contents || !fonts || !/\/Resources\s*<</.test(text))
    throw operationFailure(
      "cannot join report.pdf's parts: a page has no contents or no inline font resources",
    );
  const inner = contents[1]!.startsWith('[') ? contents[1]!.slice(1, -1) : contents[1]!;
  return text
    .replace(contents[0], `/Contents [${save} 0 R ${inner.trim()} ${numbers} 0 R]`)
    .replace(fonts[0], `/Font <</${PAGE_NUMBER_FONT} ${font} 0 R `);
}

/** A page's height in points, from its /MediaBox. */
function pageHeight(text: string): number {
  const box = /\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/.exec(text);
  if (!box) throw operationFailure("cannot join report.pdf's parts: a page has no media box of its own");
  return Number(box[4]) - Number(box[2]);
}

/** The pages in a PDF (its page tree's /Count). */
export function pageCountOf(bytes: Buffer): number {
  return readClassicPdf(bytes).pageCount;
}

/** The cross-reference table: one subsection per run of consecutive object numbers. */
function crossReferenceTable(offsets: ReadonlyMap<number, number>): string {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  const lines = ['xref', '0 1', '0000000000 65535 f '];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    lines.push(`${numbers[i]} ${j - i + 1}`);
    for (let k = i; k <= j; k++) lines.push(`${String(offsets.get(numbers[k]!)).padStart(10, '0')} 00000 n `);
    i = j + 1;
  }
  return `${lines.join('\n')}\n`;
}

/** Every "N G R" outside strings and before a stream's data, with N shifted. */
function shiftReferences(text: string, shift: number): string {
  const stream = findStreamData(text);
  // The object's own number ("N G obj") first, then its references.
  const head = text
    .slice(0, stream)
    .replace(
      /^(\s*)(\d+)(\s+\d+\s+obj\b)/,
      (_, space: string, n: string, rest: string) => `${space}${Number(n) + shift}${rest}`,
    );
  let out = '';
  let plain = '';
  const flush = () => {
    out += plain.replace(
      /(\d+)(\s+\d+\s+R\b)/g,
      (_, n: string, rest: string) => `${Number(n) + shift}${rest}`,
    );
    plain = '';
  };
  for (let i = 0; i < head.length; i++) {
    if (head[i] !== '(') {
      plain += head[i];
      continue;
    }
    flush();
    // A literal string, copied as it is: nested parentheses and backslash escapes.
    let depth = 0;
    const start = i;
    for (; i < head.length; i++) {
      if (head[i] === '\\') i++;
      else if (head[i] === '(') depth++;
      else if (head[i] === ')' && --depth === 0) break;
    }
    out += head.slice(start, i + 1);
  }
  flush();
  return out + text.slice(stream);
}

/** Where a stream object's data begins (its "stream" keyword outside strings), or the end of the text. */
function findStreamData(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && depth > 0) i++;
    else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (
      depth === 0 &&
      c === 's' &&
      text.startsWith('stream', i) &&
      /[\s>]/.test(text[i - 1] ?? '') &&
      /^stream\r?\n/.test(text.slice(i, i + 8))
    )
      return i;
  }
  return text.length;
}

/** The text of an object between "N G obj" and "endobj". */
function objectBody(pdf: ClassicPdf, number: number): string {
  const [start, end] = pdf.objects.get(number)!;
  const text = pdf.bytes.toString('latin1', start, end);
  return text.slice(text.indexOf('obj') + 3, text.lastIndexOf('endobj')).trim();
}

/** Reads a PDF's cross-reference table and trailer; refuses what this joiner cannot copy safely. */
function readClassicPdf(bytes: Buffer): ClassicPdf {
  const refuse = (why: string) => operationFailure(`cannot join report.pdf's parts: ${why}`);
  const tail = bytes.toString('latin1', Math.max(0, bytes.length - 64));
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!startxref) throw refuse('no startxref at the end of a part');
  const xref = Number(startxref[1]);
  const text = bytes.toString('latin1', xref);
  if (!text.startsWith('xref')) throw refuse('a part has no classic cross-reference table');
  const trailerAt = text.indexOf('trailer');
  const trailer = text.slice(trailerAt, text.indexOf('startxref', trailerAt));
  if (/\/Prev\b|\/XRefStm\b|\/Encrypt\b/.test(trailer))
    throw refuse('a part was updated, cross-referenced by stream or encrypted');
  const starts = new Map<number, number>();
  const table = text.slice(4, trailerAt).trim().split(/\r?\n/);
  for (let i = 0; i < table.length; ) {
    const [first, length] = table[i]!.trim().split(/\s+/).map(Number) as [number, number];
    for (let k = 0; k < length; k++) {
      const entry = /^(\d{10}) (\d{5}) ([nf])/.exec(table[i + 1 + k]!.trim());
      if (entry?.[3] === 'n') starts.set(first + k, Number(entry[1]));
    }
    i += length + 1;
  }
  // Each object runs to where the next one (or the table) begins.
  const sorted = [...starts.values(), xref].sort((a, b) => a - b);
  const ends = new Map(sorted.slice(0, -1).map((start, i) => [start, sorted[i + 1]!]));
  const objects = new Map<number, readonly [number, number]>();
  for (const [number, start] of starts) objects.set(number, [start, ends.get(start)!]);
  const reference = (source: string, key: string) => {
    const match = new RegExp(`/${key}\\s+(\\d+)\\s+\\d+\\s+R`).exec(source);
    return match ? Number(match[1]) : undefined;
  };
  const root = reference(trailer, 'Root');
  if (root === undefined || !objects.has(root)) throw refuse('a part has no catalog');
  const pdf = { bytes, objects, root, pages: 0, pageCount: 0, info: reference(trailer, 'Info') };
  const pages = reference(objectBody(pdf, root), 'Pages');
  if (pages === undefined || !objects.has(pages)) throw refuse('a part has no page tree');
  const pageCount = /\/Count\s+(\d+)/.exec(objectBody(pdf, pages));
  if (!pageCount) throw refuse("a part's page tree has no count");
  return { ...pdf, pages, pageCount: Number(pageCount[1]) };
}
