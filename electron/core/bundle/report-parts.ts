/**
 * report.html cut into parts for printing (parted-print.ts): each part is a whole HTML document
 * with report.html's own head (styles, fonts) and a run of its items, cut where an item's section
 * begins (report.ts writes each at the start of a line); the cover is in the first part, the
 * case's custody and the commands in the last. The file is streamed: neither it nor a part is
 * ever held whole (report.html embeds screenshots and can be gigabytes); only the head is, which
 * holds the embedded fonts and no evidence. Each part's head ends with `PART_PAGE_STYLE`: no page
 * number box, the join (pdf-join.ts) draws "page k of n" on every page; its fonts are cut down to
 * the part's characters (part-fonts.ts), known once the part's body is read: the body is written
 * to a file of its own first, then the part is its head and that body.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { throwIfCancelled } from '../cancel.js';
import { operationFailure } from '../errors.js';
import { type HeadFonts, headFonts, headWithFontsFor, PartCharacters } from './part-fonts.js';
import { PART_PAGE_STYLE } from './pdf-page-template.js';

/** How large a part may grow: it ends before the item that would exceed either bound. */
export interface PartLimits {
  /** The most items in a part (Chromium's print costs more per page the longer the document). */
  readonly maxItems: number;
  /** A part ends at the first item boundary once it holds this many bytes (screenshots weigh). */
  readonly maxBytes: number;
}

/** One part: its HTML file. */
export interface ReportPart {
  readonly html: string;
}

/** Where each item's section starts (report.ts writes it so, at the start of a line). */
const ITEM_START = Buffer.from('\n<section class="item">');
const HEAD_END = Buffer.from('</head>');
const BODY_START = Buffer.from('<body>');
const DOCUMENT_END = Buffer.from('</body></html>\n');
/** The parts' own style, after the report's. */
const PART_STYLE = Buffer.from(`<style>${PART_PAGE_STYLE}</style>\n`);
/** report.html is read this much at a time. */
const READ_BYTES = 1024 * 1024;

/**
 * Writes the parts of `reportHtml` into `dir` (part-0.html, part-1.html, …); returns them in order.
 * On `signal` it stops at the next MiB read or copied (a report of gigabytes takes seconds to cut)
 * and throws `Cancelled`.
 */
export async function cutReport(
  reportHtml: string,
  dir: string,
  limits: PartLimits,
  signal?: AbortSignal,
): Promise<readonly ReportPart[]> {
  const parts: ReportPart[] = [];
  let head: { text: string; fonts: HeadFonts } | null = null;
  let out: PartBody | null = null;
  let partItems = 0;
  const startPart = async () => {
    if (out) await endPart(out, head!.fonts, false, signal);
    out = null;
    const html = path.join(dir, `part-${parts.length}.html`);
    out = new PartBody(html, head!.text);
    parts.push({ html });
    partItems = 0;
  };
  let pending: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of fs.createReadStream(reportHtml, { highWaterMark: READ_BYTES })) {
      throwIfCancelled(signal);
      pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
      if (!head) {
        const bodyAt = pending.indexOf(BODY_START);
        if (bodyAt < 0) continue;
        const text = withPartStyle(pending.subarray(0, bodyAt + BODY_START.length)).toString('utf8');
        head = { text, fonts: headFonts(text) };
        pending = pending.subarray(bodyAt + BODY_START.length);
        await startPart();
      }
      // Each item boundary found in the chunk: the bytes before it belong to the current part.
      for (let at = pending.indexOf(ITEM_START); at >= 0; at = pending.indexOf(ITEM_START)) {
        await out!.write(pending.subarray(0, at + 1));
        pending = pending.subarray(at + 1);
        if (partItems >= limits.maxItems || out!.bytes >= limits.maxBytes) await startPart();
        partItems++;
      }
      // Keep back what could be the start of a boundary split across reads.
      const keep = Math.min(pending.length, ITEM_START.length - 1);
      await out!.write(pending.subarray(0, pending.length - keep));
      pending = Buffer.from(pending.subarray(pending.length - keep));
    }
    if (!out) throw operationFailure(`cannot print report.pdf: ${reportHtml} has no <body>`);
    await (out as PartBody).write(pending);
    await endPart(out, head!.fonts, true, signal);
    out = null;
    return parts;
  } finally {
    (out as PartBody | null)?.destroy();
  }
}

/**
 * A part's body on its way: written to `<part>.body`, its characters gathered (the head's among
 * them, its title and styles), until the part ends and its head, with fonts for those characters,
 * can be written before it.
 */
class PartBody {
  readonly characters = new PartCharacters();
  readonly file: string;
  readonly stream: fs.WriteStream;
  bytes = 0;

  constructor(
    readonly html: string,
    head: string,
  ) {
    this.file = `${html}.body`;
    this.stream = fs.createWriteStream(this.file, { flags: 'wx', mode: 0o600 });
    // A write that fails while nothing waits on the stream is kept for the next write or the end.
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
    this.characters.add(Buffer.from(head.replace(FONT_DATA, '')));
  }

  failure: Error | undefined;

  async write(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.bytes += chunk.length;
    this.characters.add(chunk);
    await write(this.stream, chunk);
  }

  destroy(): void {
    this.stream.destroy();
  }
}

/** The embedded fonts' data in a head (their base64 is no text of the part's). */
const FONT_DATA = /data:font\/ttf;base64,[A-Za-z0-9+/=]*/g;

/** report.html's head with the parts' style before its `</head>`. */
function withPartStyle(head: Buffer): Buffer {
  const at = head.indexOf(HEAD_END);
  if (at < 0) throw operationFailure('cannot print report.pdf: report.html has no </head>');
  return Buffer.concat([head.subarray(0, at), PART_STYLE, head.subarray(at)]);
}

/**
 * Ends a part's body (and the document, unless report.html's own end is already in it), then
 * writes the part: its head with fonts for its characters, then the body, whose file goes.
 */
async function endPart(
  part: PartBody,
  fonts: HeadFonts,
  last: boolean,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (!last) await write(part.stream, DOCUMENT_END);
  part.stream.end();
  await once(part.stream, 'close');
  if (part.failure) throw part.failure;
  const head = Buffer.from(await headWithFontsFor(fonts, part.characters.text()));
  await pipeline(
    async function* () {
      yield head;
      for await (const chunk of fs.createReadStream(part.file, { highWaterMark: READ_BYTES })) {
        throwIfCancelled(signal);
        yield chunk as Buffer;
      }
    },
    fs.createWriteStream(part.html, { flags: 'wx', mode: 0o600 }),
  );
  await fs.promises.rm(part.file);
}

/** Writes to the stream, waiting when it asks to (so a part never queues up in memory). */
async function write(out: fs.WriteStream, chunk: Buffer): Promise<void> {
  if (chunk.length && !out.write(chunk)) await once(out, 'drain');
}
