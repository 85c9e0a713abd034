import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { libraryOnFirstUse } from '../capture/engine/load-library.js';

const warcio = libraryOnFirstUse<typeof import('warcio')>('warcio');
type WARCRecord = import('warcio').WARCRecord;

/** Media types of the page's images that are hashed (what sharp decodes; SVG is drawing, not photo). */
const PAGE_IMAGE_TYPES = /^image\/(jpeg|png|webp|gif|avif)$/;
/** Larger image bodies are not read into memory (a photo is a few MB; this is a stray video or RAW). */
export const MAX_PAGE_IMAGE_BYTES = 32 * 1024 * 1024;
/** How far past a damaged record the next gzip member is looked for before giving up. */
const RESYNC_CHUNK = 1024 * 1024;

/** An image response of a WARC: its bytes, the URL it was fetched from and where its record starts. */
export interface WarcImage {
  readonly uri: string;
  /** Byte offset of its record (its gzip member) in the WARC file. */
  readonly recordOffset: number;
  readonly payload: Buffer;
  /** SHA-256 of the payload, hex: the picture's own bytes, as a download of its URL gave them. */
  readonly sha256: string;
}

/** What could not be read, reported while the WARC is walked. */
export type WarcImageProblem =
  | {
      readonly kind: 'unreadable';
      readonly uri: string | null;
      readonly recordOffset: number;
      readonly reason: string;
    }
  | { readonly kind: 'damaged'; readonly recordOffset: number; readonly resumedAt: number | null };

/**
 * The image responses of a WARC, in file order, streamed record by record (a 1 GB WARC is never
 * in memory: other records are inflated and skipped, one image body at a time is read). Only
 * complete 2xx responses whose Content-Type is a raster format sharp decodes. A record whose
 * payload does not match its WARC-Payload-Digest is reported, never yielded. When a gzip member
 * is damaged (warcio then stops, or reads nonsense), the walk resumes at the next member that
 * parses as a WARC record, and the damage is reported with where it resumed.
 */
export async function* warcImages(
  file: string,
  onProblem: (problem: WarcImageProblem) => void,
): AsyncGenerator<WarcImage, void, undefined> {
  const size = (await fs.promises.stat(file)).size;
  let start = 0;
  while (start < size) {
    const stream = fs.createReadStream(file, { start, highWaterMark: 256 * 1024 });
    const parser = new (warcio().WARCParser)(stream);
    let lastOffset = start;
    let end = -1;
    let damaged = false;
    try {
      for await (const record of parser) {
        lastOffset = start + parser.offset;
        // A damaged member inflates to nonsense headers: stop and look for the next record.
        if (!record.warcHeaders.headers.get('WARC-Record-ID')) {
          damaged = true;
          break;
        }
        const image = await readImage(record, lastOffset, onProblem);
        if (image) yield image;
      }
      // Once the records are done, warcio's offset is where the next one would start.
      end = start + parser.offset;
    } catch {
      // Reported below: the walk ended before the file did.
    } finally {
      stream.destroy();
    }
    // warcio ends quietly on a damaged member (or reads past it): only an end at the file's end is whole.
    if (!damaged && end === size) return;
    const { resumedAt, failedAt } = await nextRecordStart(file, lastOffset + 1, size);
    // The damaged record is the first member start that failed to parse, else the last one read.
    onProblem({ kind: 'damaged', recordOffset: damaged ? lastOffset : (failedAt ?? lastOffset), resumedAt });
    if (resumedAt === null) return;
    start = resumedAt;
  }
}

async function readImage(
  record: WARCRecord,
  recordOffset: number,
  onProblem: (problem: WarcImageProblem) => void,
): Promise<WarcImage | null> {
  if (record.warcType !== 'response' && record.warcType !== 'resource') return null;
  const uri = record.warcTargetURI ?? null;
  const type =
    record.warcType === 'response' ? record.httpHeaders?.headers.get('content-type') : record.warcContentType;
  const mediaType = (type ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (!uri || !PAGE_IMAGE_TYPES.test(mediaType)) return null;
  const status = Number(record.httpHeaders?.statusCode ?? 200);
  // 206 is a part of the picture; a truncated record lacks its end (WARC-Truncated).
  if (status < 200 || status > 299 || status === 206) return null;
  const unreadable = (reason: string) => {
    onProblem({ kind: 'unreadable', uri, recordOffset, reason });
    return null;
  };
  if (record.warcHeaders.headers.get('WARC-Truncated')) return unreadable('its body was not fully recorded');
  const length = Number(record.warcHeaders.headers.get('Content-Length') ?? Number.NaN);
  if (!Number.isFinite(length)) return unreadable('its record has no Content-Length');
  if (length > MAX_PAGE_IMAGE_BYTES) return unreadable(`larger than ${MAX_PAGE_IMAGE_BYTES} bytes`);
  const payload = Buffer.from(await record.readFully(false));
  const sha256 = createHash('sha256').update(payload).digest('hex');
  const digest = record.warcPayloadDigest;
  if (digest?.startsWith('sha256:') && /^[0-9a-f]{64}$/i.test(digest.slice(7))) {
    if (digest.slice(7).toLowerCase() !== sha256)
      return unreadable('its body does not match WARC-Payload-Digest');
  }
  return { uri, recordOffset, payload, sha256 };
}

/**
 * The offset of the next gzip member at or after `from` that parses as a WARC record (null: none),
 * and of the first member start before it that did not parse. Custos writes one gzip member per
 * record, so a member header (1f 8b 08) is where a record may start; a chance match inside
 * compressed data fails to parse and the search goes on.
 */
async function nextRecordStart(
  file: string,
  from: number,
  size: number,
): Promise<{ resumedAt: number | null; failedAt: number | null }> {
  const handle = await fs.promises.open(file, 'r');
  let failedAt: number | null = null;
  try {
    const chunk = Buffer.alloc(RESYNC_CHUNK + 2);
    for (let position = from; position < size; position += RESYNC_CHUNK) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      for (let i = chunk.indexOf(0x1f); i >= 0 && i + 2 < bytesRead; i = chunk.indexOf(0x1f, i + 1)) {
        if (i >= RESYNC_CHUNK || chunk[i + 1] !== 0x8b || chunk[i + 2] !== 0x08) continue;
        if (await parsesAsRecord(file, position + i)) return { resumedAt: position + i, failedAt };
        failedAt ??= position + i;
      }
    }
    return { resumedAt: null, failedAt };
  } finally {
    await handle.close();
  }
}

async function parsesAsRecord(file: string, offset: number): Promise<boolean> {
  const stream = fs.createReadStream(file, { start: offset, highWaterMark: 64 * 1024 });
  try {
    const record = await new (warcio().WARCParser)(stream).parse();
    return Boolean(record?.warcType && record.warcHeaders.headers.get('WARC-Record-ID'));
  } catch {
    return false;
  } finally {
    stream.destroy();
  }
}

/**
 * The payload of the image response whose record starts at `recordOffset` in a WARC, only when
 * it is that picture: its URL is `uri` and its bytes hash to `sha256` (a stored offset into a
 * damaged or different file must never show another picture). Null otherwise.
 */
export async function readWarcImage(
  file: string,
  recordOffset: number,
  expected: { readonly sha256: string; readonly uri: string },
): Promise<Buffer | null> {
  const stream = fs.createReadStream(file, { start: recordOffset, highWaterMark: 256 * 1024 });
  try {
    const record = await new (warcio().WARCParser)(stream).parse();
    if (!record || record.warcTargetURI !== expected.uri) return null;
    const length = Number(record.warcHeaders.headers.get('Content-Length') ?? Number.NaN);
    if (!(length <= MAX_PAGE_IMAGE_BYTES)) return null;
    const payload = Buffer.from(await record.readFully(false));
    return createHash('sha256').update(payload).digest('hex') === expected.sha256 ? payload : null;
  } catch {
    return null;
  } finally {
    stream.destroy();
  }
}
