/**
 * Joins PDFs printed by Chromium (Skia: PDF 1.4, one classic cross-reference table, no object
 * streams) into one, their pages in order: every object of each part renumbered and its indirect
 * references rewritten, the parts' page trees replaced by one /Pages over all the pages, the first
 * part's /Catalog and /Info kept, a new cross-reference table and trailer. The output is written
 * as it goes and the parts are read one at a time, so memory is bounded by the largest part.
 *
 * Hand-written, not a library, because of memory: pdf-lib keeps the whole output document in
 * memory until it saves; pdfjs's public `addPagesOf` writes a page's fonts again for every page
 * (30 times the size for report.pdf) and its streaming join needs its private internals. It is
 * strict on purpose: anything it does not understand (object streams, cross-reference streams,
 * encryption, incremental updates, inheritable attributes on the page tree, a reference to an
 * object that is not there) is refused with an `operationFailure`, never written as a wrong PDF.
 */
import fs from 'node:fs/promises';
import { operationFailure } from '../errors.js';
import {
  type IndirectObject,
  PdfSyntaxError,
  type PdfValue,
  readIndirectObject,
  readXrefTable,
  type XrefTable,
} from './pdf-syntax.js';

/** A page-tree node may carry only these: anything else could be inherited by its pages (7.7.3.4). */
const PAGE_TREE_KEYS = new Set(['Type', 'Kids', 'Count', 'Parent']);
/** What the output's own /Catalog and /Pages are numbered. */
const CATALOG_NUM = 1;
const PAGES_NUM = 2;
/** The output is written in writes of about this size. */
const WRITE_BYTES = 1024 * 1024;

/** Joins `parts` (PDF files, in order) into `out`, which it creates; a part it cannot join is refused. */
export async function joinPdfs(parts: readonly string[], out: string): Promise<void> {
  if (parts.length === 0) throw operationFailure('cannot join report.pdf: no parts to join');
  const version = await highestVersion(parts);
  const writer = await OutputWriter.create(out);
  try {
    // The header's second line is binary, as the standard recommends, so that a tool takes the file for binary.
    await writer.write(Buffer.from(`%PDF-1.${version}\n%\xe2\xe3\xcf\xd3\n`, 'latin1'));
    const kids: number[] = [];
    let info: number | undefined;
    for (const [index, file] of parts.entries()) {
      const part = await readPart(file);
      const written = await writer.appendPart(part, index === 0);
      kids.push(...written.pages);
      info ??= written.info;
    }
    await writer.object(
      PAGES_NUM,
      Buffer.from(
        `<</Type /Pages\n/Count ${kids.length}\n/Kids [${kids.map((k) => `${k} 0 R`).join(' ')}]>>`,
      ),
    );
    await writer.finish(info);
  } catch (error) {
    await writer.abandon();
    throw error instanceof PdfSyntaxError ? refusal(`${error.message}`) : error;
  }
}

/**
 * The number of pages of a PDF: its page tree's /Count, read from the root node alone (each part
 * is counted twice while the parts print; the join checks every node's /Count against its pages).
 */
export async function pdfPageCount(file: string): Promise<number> {
  try {
    const { object, catalog } = openPart(await fs.readFile(file));
    const root = object(refNum(dictEntry(object(catalog).value, 'Pages'), 'the catalog /Pages')).value;
    const count = dictEntry(root, 'Count');
    if (count.kind !== 'number' || !Number.isInteger(count.value) || count.value < 0)
      throw new PdfSyntaxError('the page tree /Count is not a whole number');
    return count.value;
  } catch (error) {
    throw error instanceof PdfSyntaxError ? refusal(error.message) : error;
  }
}

function refusal(why: string): Error {
  return operationFailure(
    `cannot join the parts of report.pdf: ${why}. The PDF joiner takes only what Chromium prints (PDF 1.4, a classic cross-reference table); report this with the Chromium version`,
  );
}

/** The highest minor version of PDF 1.x among the parts' headers (a 2.0 or unknown header is refused). */
async function highestVersion(parts: readonly string[]): Promise<number> {
  let version = 0;
  for (const file of parts) {
    const handle = await fs.open(file, 'r');
    try {
      const head = Buffer.alloc(16);
      await handle.read(head, 0, head.length, 0);
      const match = /^%PDF-1\.([0-7])\s/.exec(head.toString('latin1'));
      if (!match) throw refusal(`${file} does not start with a PDF 1.0–1.7 header`);
      version = Math.max(version, Number(match[1]));
    } finally {
      await handle.close();
    }
  }
  return version;
}

/** One part, parsed: its objects by number, its catalog, its page-tree nodes and its pages in order. */
interface Part {
  readonly buf: Buffer;
  readonly xref: XrefTable;
  readonly catalog: number;
  readonly info: number | undefined;
  readonly treeNodes: ReadonlySet<number>;
  readonly pages: readonly number[];
  object(num: number): IndirectObject;
}

async function readPart(file: string): Promise<Part> {
  const buf = await fs.readFile(file);
  const { xref, object, catalog } = openPart(buf);
  const treeNodes = new Set<number>();
  const pages: number[] = [];
  walkPageTree(
    refNum(dictEntry(object(catalog).value, 'Pages'), 'the catalog /Pages'),
    object,
    treeNodes,
    pages,
  );
  const infoRef = xref.trailer.get('Info');
  const info = infoRef ? refNum(infoRef, 'the trailer /Info') : undefined;
  return { buf, xref, catalog, info, treeNodes, pages, object };
}

/** A PDF's cross-reference table, a reader of its objects by number, and its catalog (checked to be one). */
function openPart(buf: Buffer) {
  const xref = readXrefTable(buf);
  for (const key of ['Encrypt', 'Prev', 'XRefStm'])
    if (xref.trailer.has(key))
      throw new PdfSyntaxError(
        key === 'Encrypt'
          ? 'it is encrypted (/Encrypt in its trailer)'
          : `it has been updated incrementally (/${key} in its trailer)`,
      );
  const cache = new Map<number, IndirectObject>();
  const object = (num: number): IndirectObject => {
    const cached = cache.get(num);
    if (cached) return cached;
    const offset = xref.offsets.get(num);
    if (offset === undefined) throw new PdfSyntaxError(`object ${num} is referred to but not in the file`);
    const read = readIndirectObject(buf, offset, (length) => streamLength(length, object));
    if (read.num !== num || read.gen !== 0)
      throw new PdfSyntaxError(
        `the cross-reference table says object ${num} is at byte ${offset}, found ${read.num} ${read.gen} obj`,
      );
    const type = typeName(read.value);
    if (type === 'ObjStm' || type === 'XRef')
      throw new PdfSyntaxError(
        `it holds ${type === 'ObjStm' ? 'an object stream' : 'a cross-reference stream'} (object ${num})`,
      );
    // Only the few objects of the page tree are looked up again: the rest are read once, in order.
    if (type === 'Pages' || type === 'Catalog') cache.set(num, read);
    return read;
  };
  const catalog = refNum(xref.trailer.get('Root'), 'the trailer /Root');
  if (typeName(object(catalog).value) !== 'Catalog')
    throw new PdfSyntaxError(`its /Root (object ${catalog}) is not a /Catalog`);
  return { xref, object, catalog };
}

/** Collects the page-tree nodes and, in order, the pages under `num`; checks each node's /Count. */
function walkPageTree(
  num: number,
  object: (num: number) => IndirectObject,
  treeNodes: Set<number>,
  pages: number[],
): void {
  const node = object(num).value;
  const type = typeName(node);
  if (type === 'Page') {
    pages.push(num);
    return;
  }
  if (type !== 'Pages')
    throw new PdfSyntaxError(`object ${num} in the page tree is neither /Page nor /Pages`);
  if (treeNodes.has(num)) throw new PdfSyntaxError(`the page tree loops through object ${num}`);
  treeNodes.add(num);
  for (const key of (node as { entries: ReadonlyMap<string, PdfValue> }).entries.keys())
    if (!PAGE_TREE_KEYS.has(key))
      throw new PdfSyntaxError(`the page-tree node ${num} carries /${key}, which its pages would inherit`);
  const kids = dictEntry(node, 'Kids');
  if (kids.kind !== 'array') throw new PdfSyntaxError(`the /Kids of object ${num} is not an array`);
  const before = pages.length;
  for (const kid of kids.items) walkPageTree(refNum(kid, `a kid of object ${num}`), object, treeNodes, pages);
  const count = dictEntry(node, 'Count');
  if (count.kind !== 'number' || count.value !== pages.length - before)
    throw new PdfSyntaxError(`the /Count of object ${num} does not match the pages under it`);
}

/** A stream's /Length: a direct integer, or a reference to an object holding one. */
function streamLength(length: PdfValue, object: (num: number) => IndirectObject): number {
  const value = length.kind === 'ref' ? object(length.num).value : length;
  if (value.kind !== 'number' || !Number.isInteger(value.value) || value.value < 0)
    throw new PdfSyntaxError('a stream /Length is not a non-negative integer');
  return value.value;
}

function typeName(value: PdfValue): string | undefined {
  const type = value.kind === 'dict' ? value.entries.get('Type') : undefined;
  return type?.kind === 'name' ? type.name : undefined;
}

function dictEntry(value: PdfValue, key: string): PdfValue {
  const entry = value.kind === 'dict' ? value.entries.get(key) : undefined;
  if (!entry) throw new PdfSyntaxError(`a dictionary without /${key}`);
  return entry;
}

function refNum(value: PdfValue | undefined, what: string): number {
  if (value?.kind !== 'ref') throw new PdfSyntaxError(`${what} is not an indirect reference`);
  if (value.gen !== 0) throw new PdfSyntaxError(`${what} refers to generation ${value.gen}, not 0`);
  return value.num;
}

/** The joined file, written as it goes: each object's offset kept for the cross-reference table. */
/**
 * The font subset tags of the output: each print makes its own subsets and names them from AAAAAA
 * on, so every part's first font would be AAAAAA+DejaVuSans with other glyphs, where 9.6.4 says
 * different subsets in one file shall have different tags (a reader that caches fonts by name would
 * draw a later part's text with the first part's glyphs). A part's tag keeps its letters unless an
 * earlier part used them; then it gets the next unused one.
 */
class SubsetTags {
  private readonly used = new Set<string>();
  private next = 0;

  /** The mapping of one part's tags (the same tag in one part stays one tag). */
  forPart(): { of(tag: string): string } {
    const mine = new Map<string, string>();
    return {
      of: (tag) => {
        let mapped = mine.get(tag);
        if (mapped === undefined) {
          mapped = this.used.has(tag) ? this.unused() : tag;
          this.used.add(mapped);
          mine.set(tag, mapped);
        }
        return mapped;
      },
    };
  }

  private unused(): string {
    for (;;) {
      let n = this.next++;
      let tag = '';
      for (let i = 0; i < 6; i++) {
        tag = String.fromCharCode(65 + (n % 26)) + tag;
        n = Math.floor(n / 26);
      }
      // Read from Z backwards, so that the new tags stay clear of the AAAAAA, BAAAAA… of the prints.
      tag = [...tag].map((c) => String.fromCharCode(155 - c.charCodeAt(0))).join('');
      if (!this.used.has(tag)) return tag;
    }
  }
}

class OutputWriter {
  private readonly subsetTags = new SubsetTags();
  /** Byte offset of each output object, by number (index 0 unused: object 0 is the free list's head). */
  private readonly offsets: number[] = [0, 0, 0];
  private position = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  private constructor(
    private readonly handle: fs.FileHandle,
    private readonly file: string,
  ) {}

  static async create(file: string): Promise<OutputWriter> {
    return new OutputWriter(await fs.open(file, 'wx', 0o600), file);
  }

  /**
   * Writes every object of `part` renumbered after those already written, except its catalog (the
   * first part's becomes the output's), its page-tree nodes (every reference to one, a page's
   * /Parent, now names the output's /Pages) and, but in the first part, its /Info.
   */
  async appendPart(part: Part, first: boolean): Promise<{ pages: number[]; info: number | undefined }> {
    const tags = this.subsetTags.forPart();
    const renumbered = new Map<number, number>();
    const nums = [...part.xref.offsets.keys()].sort((a, b) => a - b);
    for (const num of part.treeNodes) renumbered.set(num, PAGES_NUM);
    if (first) renumbered.set(part.catalog, CATALOG_NUM);
    for (const num of nums) {
      const dropped = part.treeNodes.has(num) || num === part.catalog || (!first && num === part.info);
      if (!dropped) renumbered.set(num, this.offsets.push(0) - 1);
    }
    const newNum = (num: number): number => {
      const mapped = renumbered.get(num);
      if (mapped === undefined)
        throw new PdfSyntaxError(
          `object ${num} is referred to but not in the file, or is another part's catalog or info`,
        );
      return mapped;
    };
    for (const num of nums) {
      if (part.treeNodes.has(num) || (!first && (num === part.catalog || num === part.info))) continue;
      const object = part.object(num);
      // The value with its references renumbered and its fonts' subset tags made the output's,
      // as one string (latin1 keeps every byte as it is): one small buffer an object rather than
      // one a reference.
      const edits = [
        ...object.refs.map((ref) => {
          if (ref.gen !== 0) throw new PdfSyntaxError(`object ${num} refers to generation ${ref.gen}, not 0`);
          return { start: ref.start, end: ref.end, text: `${newNum(ref.num)} 0 R` };
        }),
        ...object.subsetTags.map((span) => ({ ...span, text: tags.of(span.tag) })),
      ].sort((a, b) => a.start - b.start);
      let value = '';
      let at = object.valueStart;
      for (const edit of edits) {
        value += `${part.buf.toString('latin1', at, edit.start)}${edit.text}`;
        at = edit.end;
      }
      value += part.buf.toString('latin1', at, object.valueEnd);
      await this.rawObject(newNum(num), [
        Buffer.from(value, 'latin1'),
        part.buf.subarray(object.valueEnd, object.tailEnd),
      ]);
    }
    return {
      pages: part.pages.map(newNum),
      info: first && part.info !== undefined ? newNum(part.info) : undefined,
    };
  }

  /** Writes `N 0 obj`, the body, `endobj`. */
  async object(num: number, body: Buffer): Promise<void> {
    await this.rawObject(num, [body, Buffer.from('\nendobj')]);
  }

  /** Writes `N 0 obj` and the chunks, which end with `endobj`. */
  private async rawObject(num: number, chunks: readonly Buffer[]): Promise<void> {
    this.offsets[num] = this.position;
    await this.write(Buffer.from(`${num} 0 obj\n`));
    for (const chunk of chunks) await this.write(chunk);
    await this.write(Buffer.from('\n'));
  }

  /** Appends `chunk`; small ones are gathered into writes of about WRITE_BYTES, a large one written as it is. */
  async write(chunk: Buffer): Promise<void> {
    this.position += chunk.length;
    if (chunk.length >= WRITE_BYTES) {
      await this.flush();
      await writeAll(this.handle, chunk);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= WRITE_BYTES) await this.flush();
  }

  /** The cross-reference table (20-byte entries, 7.5.4) and the trailer; then the file is closed. */
  async finish(info: number | undefined): Promise<void> {
    const xrefAt = this.position;
    await this.write(Buffer.from(`xref\n0 ${this.offsets.length}\n0000000000 65535 f \n`));
    for (let num = 1; num < this.offsets.length; num++)
      await this.write(Buffer.from(`${String(this.offsets[num]).padStart(10, '0')} 00000 n \n`));
    const infoEntry = info === undefined ? '' : `\n/Info ${info} 0 R`;
    await this.write(
      Buffer.from(
        `trailer\n<</Size ${this.offsets.length}\n/Root ${CATALOG_NUM} 0 R${infoEntry}>>\nstartxref\n${xrefAt}\n%%EOF\n`,
      ),
    );
    await this.flush();
    await this.handle.sync();
    await this.handle.close();
  }

  /** Closes and removes the unfinished file. */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.file, { force: true });
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const gathered = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await writeAll(this.handle, gathered);
  }
}

/** Writes all of `chunk` at the file's current end (a write may take fewer bytes than given). */
async function writeAll(handle: fs.FileHandle, chunk: Buffer): Promise<void> {
  for (let done = 0; done < chunk.length; ) done += (await handle.write(chunk, done)).bytesWritten;
}
