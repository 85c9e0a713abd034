/**
 * report.html cut into parts for printing (parted-print.ts): each part is a whole HTML document
 * with report.html's own head (styles, fonts) and a run of its items, cut where an item's section
 * begins (report.ts writes each at the start of a line); the cover is in the first part, the
 * case's custody and the commands in the last. The file is streamed: neither it nor a part is
 * ever held whole (report.html embeds screenshots and can be gigabytes); only the head is, which
 * holds the embedded fonts and no evidence. Each part's head ends with `PART_PAGE_STYLE`: no page
 * number box, the join (pdf-join.ts) draws "page k of n" on every page.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { throwIfCancelled } from '../cancel.js';
import { operationFailure } from '../errors.js';
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
 * On `signal` it stops at the next MiB read (a report of gigabytes takes seconds to cut) with
 * `Cancelled`; the caller removes what was written.
 */
export async function cutReport(
  reportHtml: string,
  dir: string,
  limits: PartLimits,
  signal?: AbortSignal,
): Promise<readonly ReportPart[]> {
  const parts: ReportPart[] = [];
  let head: Buffer | null = null;
  let out: fs.WriteStream | null = null;
  let partBytes = 0;
  let partItems = 0;
  const startPart = async () => {
    if (out) await endPart(out, false);
    const html = path.join(dir, `part-${parts.length}.html`);
    out = fs.createWriteStream(html, { flags: 'wx', mode: 0o600 });
    parts.push({ html });
    await write(out, head!);
    partBytes = 0;
    partItems = 0;
  };
  const body = async (chunk: Buffer) => {
    partBytes += chunk.length;
    await write(out!, chunk);
  };
  let pending: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of fs.createReadStream(reportHtml, { highWaterMark: READ_BYTES })) {
      throwIfCancelled(signal);
      pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
      if (!head) {
        const bodyAt = pending.indexOf(BODY_START);
        if (bodyAt < 0) continue;
        head = withPartStyle(pending.subarray(0, bodyAt + BODY_START.length));
        pending = pending.subarray(bodyAt + BODY_START.length);
        await startPart();
      }
      // Each item boundary found in the chunk: the bytes before it belong to the current part.
      for (let at = pending.indexOf(ITEM_START); at >= 0; at = pending.indexOf(ITEM_START)) {
        await body(pending.subarray(0, at + 1));
        pending = pending.subarray(at + 1);
        if (partItems >= limits.maxItems || partBytes >= limits.maxBytes) await startPart();
        partItems++;
      }
      // Keep back what could be the start of a boundary split across reads.
      const keep = Math.min(pending.length, ITEM_START.length - 1);
      await body(pending.subarray(0, pending.length - keep));
      pending = Buffer.from(pending.subarray(pending.length - keep));
    }
    if (!out) throw operationFailure(`cannot print report.pdf: ${reportHtml} has no <body>`);
    await body(pending);
    await endPart(out, true);
    out = null;
    return parts;
  } finally {
    (out as fs.WriteStream | null)?.destroy();
  }
}

/** report.html's head with the parts' style before its `</head>`. */
function withPartStyle(head: Buffer): Buffer {
  const at = head.indexOf(HEAD_END);
  if (at < 0) throw operationFailure('cannot print report.pdf: report.html has no </head>');
  return Buffer.concat([head.subarray(0, at), PART_STYLE, head.subarray(at)]);
}

/** Closes a part, ending the document unless report.html's own end is already in it. */
async function endPart(out: fs.WriteStream, last: boolean): Promise<void> {
  if (!last) await write(out, DOCUMENT_END);
  out.end();
  await once(out, 'close');
}

/** Writes to the stream, waiting when it asks to (so a part never queues up in memory). */
async function write(out: fs.WriteStream, chunk: Buffer): Promise<void> {
  if (chunk.length && !out.write(chunk)) await once(out, 'drain');
}
