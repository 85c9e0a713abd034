/**
 * Joins PDFs printed by Chromium (Skia: PDF 1.4, one classic cross-reference table, no object
 * streams) into one, their pages in order: every object of each part renumbered and its indirect
 * references rewritten, the parts' page trees replaced by one /Pages over all the pages, the first
 * part's /Catalog and /Info kept, a new cross-reference table and trailer. Every page gets its
 * "page k of n" (the parts are printed without it, knowing neither k nor n): a content stream of
 * its own drawn after the page's, which is wrapped in `q`/`Q`, in a standard-14 font added to the
 * page's resources (`pageNumberStamp`, pdf-page-template.ts). The output is written as it goes and
 * the parts are read one at a time, so memory is bounded by the largest part; the parts' page
 * counts (their page trees' roots) are read first, for the total.
 *
 * Hand-written, not a library, because of memory: pdf-lib keeps the whole output document in
 * memory until it saves; pdfjs's public `addPagesOf` writes a page's fonts again for every page
 * (30 times the size for report.pdf) and its streaming join needs its private internals. It is
 * strict on purpose: anything it does not understand (object streams, cross-reference streams,
 * encryption, incremental updates, inheritable attributes on the page tree, a reference to an
 * object that is not there, a page whose content or resources are not as Chromium writes them, a
 * page turned, scaled or cropped so that the number would be misplaced) is refused with an
 * `operationFailure`, never written as a wrong PDF.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { operationFailure } from '../errors.js';
import { pageNumberStamp, STAMP_FONT, STAMP_FONT_NAME } from './pdf-page-template.js';
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
/**
 * What the output's own objects are numbered: its /Catalog and /Pages, the page number's font, and
 * the `q` and `Q` streams every page's content is wrapped in (one of each, shared by all pages).
 */
const CATALOG_NUM = 1;
const PAGES_NUM = 2;
const STAMP_FONT_NUM = 3;
const SAVE_NUM = 4;
const RESTORE_NUM = 5;
/** The output is written in writes of about this size. */
const WRITE_BYTES = 1024 * 1024;

/** Joins `parts` (PDF files, in order) into `out`, which it creates; a part it cannot join is refused. */
export async function joinPdfs(parts: readonly string[], out: string): Promise<void> {
  if (parts.length === 0) throw operationFailure('cannot join report.pdf: no parts to join');
  const version = await highestVersion(parts);
  const counts: number[] = [];
  for (const file of parts) counts.push(await pdfPageCount(file));
  const total = counts.reduce((sum, n) => sum + n, 0);
  // A PDF of no pages is not a report: readers refuse it or show nothing.
  if (total === 0)
    throw refusal(`its ${parts.length === 1 ? 'one part has' : `${parts.length} parts have`} no page`);
  const writer = await OutputWriter.create(out);
  try {
    // The header's second line is binary, as the standard recommends, so that a tool takes the file for binary.
    await writer.write(Buffer.from(`%PDF-1.${version}\n%\xe2\xe3\xcf\xd3\n`, 'latin1'));
    await writer.object(STAMP_FONT_NUM, Buffer.from(STAMP_FONT));
    await writer.object(SAVE_NUM, contentStream('q\n'));
    await writer.object(RESTORE_NUM, contentStream('\nQ\n'));
    const kids: number[] = [];
    let info: number | undefined;
    for (const [index, file] of parts.entries()) {
      const part = await readPart(file);
      if (part.pages.length !== counts[index])
        throw new PartRefusal(
          `${part.name} has ${part.pages.length} pages where its page tree said ${counts[index]}`,
        );
      const written = await writer.appendPart(part, index === 0, { first: kids.length + 1, total });
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
 * The number of pages of a PDF: its page tree's /Count, read from the root node alone (the join
 * counts every part's before it writes, for the total; it checks every node's /Count against its
 * pages when it reads the part).
 */
export async function pdfPageCount(file: string): Promise<number> {
  try {
    const name = path.basename(file);
    const { object, catalog } = openPart(await fs.readFile(file), name);
    const root = object(pageTreeRoot(object, catalog, name)).value;
    const count = dictEntry(root, 'Count', `the page tree of ${name}`);
    if (count.kind !== 'number' || !Number.isInteger(count.value) || count.value < 0)
      throw new PartRefusal(`the page tree /Count of ${name} is not a whole number`);
    return count.value;
  } catch (error) {
    throw error instanceof PdfSyntaxError ? refusal(error.message) : error;
  }
}

/** What the join refuses in a part, saying the part's name (a parser's refusal does not). */
class PartRefusal extends PdfSyntaxError {}

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
      if (!match) throw refusal(`${path.basename(file)} does not start with a PDF 1.0–1.7 header`);
      version = Math.max(version, Number(match[1]));
    } finally {
      await handle.close();
    }
  }
  return version;
}

/**
 * One part, parsed: its file's name (which every refusal of it says), its objects by number, its
 * catalog, its page-tree nodes and its pages in order.
 */
interface Part {
  readonly name: string;
  readonly buf: Buffer;
  readonly xref: XrefTable;
  readonly catalog: number;
  readonly info: number | undefined;
  readonly treeNodes: ReadonlySet<number>;
  readonly pages: readonly number[];
  object(num: number): IndirectObject;
}

async function readPart(file: string): Promise<Part> {
  const name = path.basename(file);
  const buf = await fs.readFile(file);
  const { xref, object, catalog } = openPart(buf, name);
  const treeNodes = new Set<number>();
  const pages: number[] = [];
  walkPageTree(pageTreeRoot(object, catalog, name), object, name, treeNodes, pages);
  const infoRef = xref.trailer.get('Info');
  const info = infoRef ? refNum(infoRef, `the trailer /Info of ${name}`) : undefined;
  return { name, buf, xref, catalog, info, treeNodes, pages, object };
}

/**
 * A PDF's cross-reference table, a reader of its objects by number, and its catalog (checked to be
 * one); `name`, its file's, is said in every refusal, the parser's included.
 */
function openPart(buf: Buffer, name: string) {
  const xref = namingPart(name, () => readXrefTable(buf));
  for (const key of ['Encrypt', 'Prev', 'XRefStm'])
    if (xref.trailer.has(key))
      throw new PartRefusal(
        key === 'Encrypt'
          ? `${name} is encrypted (/Encrypt in its trailer)`
          : `${name} has been updated incrementally (/${key} in its trailer)`,
      );
  const cache = new Map<number, IndirectObject>();
  const object = (num: number): IndirectObject => {
    const cached = cache.get(num);
    if (cached) return cached;
    const offset = xref.offsets.get(num);
    if (offset === undefined) throw new PartRefusal(`object ${num} is referred to but not in ${name}`);
    const read = namingPart(name, () =>
      readIndirectObject(buf, offset, (length) => streamLength(length, object, name)),
    );
    if (read.num !== num || read.gen !== 0)
      throw new PartRefusal(
        `the cross-reference table of ${name} says object ${num} is at byte ${offset}, found ${read.num} ${read.gen} obj`,
      );
    const type = typeName(read.value);
    if (type === 'ObjStm' || type === 'XRef')
      throw new PartRefusal(
        `${name} holds ${type === 'ObjStm' ? 'an object stream' : 'a cross-reference stream'} (object ${num})`,
      );
    // Only the few objects of the page tree are looked up again: the rest are read once, in order.
    if (type === 'Pages' || type === 'Catalog') cache.set(num, read);
    return read;
  };
  const catalog = refNum(xref.trailer.get('Root'), `the trailer /Root of ${name}`);
  if (typeName(object(catalog).value) !== 'Catalog')
    throw new PartRefusal(`the /Root of ${name} (object ${catalog}) is not a /Catalog`);
  return { xref, object, catalog };
}

/** Runs `read`, a parse of the part `name`, the parser's refusals made to say the part's name. */
function namingPart<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof PdfSyntaxError && !(error instanceof PartRefusal))
      throw new PartRefusal(`${name}: ${error.message}`);
    throw error;
  }
}

/** The object number of the root of the page tree of the part `name`. */
function pageTreeRoot(object: (num: number) => IndirectObject, catalog: number, name: string): number {
  return refNum(
    dictEntry(object(catalog).value, 'Pages', `the catalog of ${name}`),
    `the catalog /Pages of ${name}`,
  );
}

/** Collects the page-tree nodes and, in order, the pages under `num`; checks each node's /Count. */
function walkPageTree(
  num: number,
  object: (num: number) => IndirectObject,
  name: string,
  treeNodes: Set<number>,
  pages: number[],
): void {
  const node = object(num).value;
  const type = typeName(node);
  if (type === 'Page') {
    pages.push(num);
    return;
  }
  const where = `object ${num} of ${name}`;
  if (type !== 'Pages') throw new PartRefusal(`${where}, in the page tree, is neither /Page nor /Pages`);
  if (treeNodes.has(num)) throw new PartRefusal(`the page tree of ${name} loops through object ${num}`);
  treeNodes.add(num);
  for (const key of (node as { entries: ReadonlyMap<string, PdfValue> }).entries.keys())
    if (!PAGE_TREE_KEYS.has(key))
      throw new PartRefusal(`the page-tree node ${where} carries /${key}, which its pages would inherit`);
  const kids = dictEntry(node, 'Kids', where);
  if (kids.kind !== 'array') throw new PartRefusal(`the /Kids of ${where} is not an array`);
  const before = pages.length;
  for (const kid of kids.items)
    walkPageTree(refNum(kid, `a kid of ${where}`), object, name, treeNodes, pages);
  const count = dictEntry(node, 'Count', where);
  if (count.kind !== 'number' || count.value !== pages.length - before)
    throw new PartRefusal(`the /Count of ${where} does not match the pages under it`);
}

/** A stream's /Length in the part `name`: a direct integer, or a reference to an object holding one. */
function streamLength(length: PdfValue, object: (num: number) => IndirectObject, name: string): number {
  const value = length.kind === 'ref' ? object(length.num).value : length;
  if (value.kind !== 'number' || !Number.isInteger(value.value) || value.value < 0)
    throw new PartRefusal(`a stream /Length in ${name} is not a non-negative integer`);
  return value.value;
}

function typeName(value: PdfValue): string | undefined {
  const type = value.kind === 'dict' ? value.entries.get('Type') : undefined;
  return type?.kind === 'name' ? type.name : undefined;
}

/** The entry `key` of `value`, the dictionary `what` names ("object 3 of part-0.pdf"). */
function dictEntry(value: PdfValue, key: string, what: string): PdfValue {
  const entry = value.kind === 'dict' ? value.entries.get(key) : undefined;
  if (!entry) throw new PartRefusal(`${what} has no /${key}`);
  return entry;
}

function refNum(value: PdfValue | undefined, what: string): number {
  if (value?.kind !== 'ref') throw new PartRefusal(`${what} is not an indirect reference`);
  if (value.gen !== 0) throw new PartRefusal(`${what} refers to generation ${value.gen}, not 0`);
  return value.num;
}

/** One replacement of bytes [start, end) of an object's value. */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * The edits that make `page` draw its number: its /Contents becomes `[q, its streams…, Q, stamp]`
 * (`replaced`: the references there, or in the array object it refers to, are written here,
 * renumbered by `newNum`), and the stamp's font
 * is added to its /Font resources. A page whose /Contents or /Resources are not as Chromium writes
 * them (references; a dictionary written in the page, its /Font one too) is refused.
 */
function pageStampEdits(
  page: IndirectObject,
  { name, object }: Pick<Part, 'name' | 'object'>,
  stampNum: number,
  newNum: (num: number) => number,
): { edits: Edit[]; replaced: { start: number; end: number } } {
  const where = pageObject(page, name);
  const dict = page.value;
  if (dict.kind !== 'dict') throw new PartRefusal(`${where} is not a dictionary`);
  const contents = dict.entries.get('Contents');
  const replaced = dict.spans.get('Contents');
  // A reference may be to an array of the streams (legal PDF; Chromium writes none): its references
  // are written in the page's new array (the array object is copied, unused).
  const listed =
    contents?.kind === 'ref' ? object(refNum(contents, `the /Contents of ${where}`)).value : undefined;
  const streams =
    contents?.kind === 'array'
      ? contents.items
      : listed?.kind === 'array'
        ? listed.items
        : contents
          ? [contents]
          : [];
  if (!replaced || streams.length === 0 || streams.some((s) => s.kind !== 'ref'))
    throw new PartRefusal(`the /Contents of ${where} is not a reference or an array of them`);
  const own = streams.map((s) => `${newNum(refNum(s, `the /Contents of ${where}`))} 0 R`);
  const edits: Edit[] = [
    { ...replaced, text: `[${SAVE_NUM} 0 R ${own.join(' ')} ${RESTORE_NUM} 0 R ${stampNum} 0 R]` },
  ];
  const font = `/${STAMP_FONT_NAME} ${STAMP_FONT_NUM} 0 R`;
  const resources = dict.entries.get('Resources');
  const fonts = resources?.kind === 'dict' ? resources.entries.get('Font') : undefined;
  if (!resources) edits.push(inserted(dict.closeAt, `/Resources <</Font <<${font}>>>>`));
  else if (resources.kind !== 'dict')
    throw new PartRefusal(`the /Resources of ${where} is not a dictionary written in it`);
  else if (!fonts) edits.push(inserted(resources.closeAt, `/Font <<${font}>>`));
  else if (fonts.kind !== 'dict' || fonts.entries.has(STAMP_FONT_NAME))
    throw new PartRefusal(
      `the /Font resources of ${where} are not a dictionary written in it, or already name /${STAMP_FONT_NAME}`,
    );
  else edits.push(inserted(fonts.closeAt, font));
  return { edits, replaced };
}

/** `text` inserted at `at`, on a line of its own (a name or `>>` may follow it). */
function inserted(at: number, text: string): Edit {
  return { start: at, end: at, text: `\n${text}\n` };
}

/** How a refusal names a page: by its object number, which is not its page number, and its part. */
function pageObject(page: IndirectObject, name: string): string {
  return `page object ${page.num} of ${name}`;
}

/**
 * A page's /MediaBox, as Chromium writes it on every page: four numbers, its lower-left corner
 * first. The stamp is placed from it, so a page whose box or rotation makes it show anything else
 * is refused: a /Rotate, /UserUnit or /CropBox (Chromium writes none; landscape is a wider box) is
 * taken only when it changes nothing, its default or the /MediaBox itself.
 */
function mediaBox(page: IndirectObject, name: string): number[] {
  const where = pageObject(page, name);
  const entries = page.value.kind === 'dict' ? page.value.entries : new Map<string, PdfValue>();
  const box = numbers(entries.get('MediaBox'));
  if (box?.length !== 4) throw new PartRefusal(`${where} has no /MediaBox of four numbers written in it`);
  const [x1, y1, x2, y2] = box as [number, number, number, number];
  if (x1 >= x2 || y1 >= y2)
    throw new PartRefusal(
      `the /MediaBox of ${where} is [${box.join(' ')}], not its lower-left corner then its upper-right one`,
    );
  const rotate = entries.get('Rotate');
  if (rotate && !(rotate.kind === 'number' && rotate.value === 0))
    throw new PartRefusal(`${where} is turned by /Rotate, which the page number would not follow`);
  const unit = entries.get('UserUnit');
  if (unit && !(unit.kind === 'number' && unit.value === 1))
    throw new PartRefusal(`${where} has a /UserUnit other than 1, which the page number would not follow`);
  const crop = entries.get('CropBox');
  if (crop && numbers(crop)?.join(' ') !== box.join(' '))
    throw new PartRefusal(
      `${where} has a /CropBox other than its /MediaBox, which could cut the page number off`,
    );
  return box;
}

/** The numbers of an array written of numbers alone, or undefined. */
function numbers(value: PdfValue | undefined): number[] | undefined {
  if (value?.kind !== 'array' || value.items.some((n) => n.kind !== 'number')) return undefined;
  return value.items.map((n) => (n as { value: number }).value);
}

/** An uncompressed content stream object's body (ASCII only). */
function contentStream(content: string): Buffer {
  return Buffer.from(`<</Length ${content.length}>>\nstream\n${content}\nendstream`, 'latin1');
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
  private readonly offsets: number[] = [0, 0, 0, 0, 0, 0];
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
  async appendPart(
    part: Part,
    first: boolean,
    numbering: { readonly first: number; readonly total: number },
  ): Promise<{ pages: number[]; info: number | undefined }> {
    const tags = this.subsetTags.forPart();
    const pageIndex = new Map(part.pages.map((num, index) => [num, index]));
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
        throw new PartRefusal(
          `object ${num} is referred to but not in ${part.name}, or is another part's catalog or info`,
        );
      return mapped;
    };
    for (const num of nums) {
      if (part.treeNodes.has(num) || (!first && (num === part.catalog || num === part.info))) continue;
      const object = part.object(num);
      const index = pageIndex.get(num);
      const stamp =
        index === undefined
          ? undefined
          : { num: this.offsets.push(0) - 1, page: numbering.first + index, total: numbering.total };
      const stampEdits = stamp ? pageStampEdits(object, part, stamp.num, newNum) : undefined;
      // The value with its references renumbered and its fonts' subset tags made the output's,
      // as one string (latin1 keeps every byte as it is): one small buffer an object rather than
      // one a reference. A page's /Contents is rewritten whole, its references with it.
      const edits = [
        ...object.refs
          .filter(
            (ref) =>
              !stampEdits?.replaced ||
              ref.end <= stampEdits.replaced.start ||
              ref.start >= stampEdits.replaced.end,
          )
          .map((ref) => {
            if (ref.gen !== 0)
              throw new PartRefusal(`object ${num} of ${part.name} refers to generation ${ref.gen}, not 0`);
            return { start: ref.start, end: ref.end, text: `${newNum(ref.num)} 0 R` };
          }),
        ...object.subsetTags.map((span) => ({ ...span, text: tags.of(span.tag) })),
        ...(stampEdits?.edits ?? []),
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
      if (stamp)
        await this.object(
          stamp.num,
          contentStream(pageNumberStamp(stamp.page, stamp.total, mediaBox(object, part.name))),
        );
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
