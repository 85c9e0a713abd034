import fs from 'node:fs';
import sharp from 'sharp';
import { WARCParser } from 'warcio';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import type { ItemSummary } from '../../../shared/domain.js';

/** The bytes of an item's artifact with this role, read from the store's blob. */
export function artifactBytes(store: EvidenceStore, item: ItemSummary, role: string): Buffer {
  const artifact = item.artifacts.find((a) => a.role === role);
  if (!artifact) throw new Error(`item ${item.id} has no ${role} artifact`);
  return fs.readFileSync(store.blobs.pathOf(artifact.sha256));
}

/** One WARC record as warcio's parser reads it back. */
export interface WarcEntry {
  readonly type: string;
  readonly targetUri: string | null;
  readonly headers: Map<string, string>;
  readonly httpStatusLine: string | null;
  readonly httpHeaders: [string, string][];
  readonly payload: Buffer;
  /** The record's own bytes in the file (its gzip member when compressed per record). */
  readonly raw: Buffer;
}

/** Reads a WARC record by record with warcio (an independent reader: it knows nothing of the writer). */
export async function readWarc(bytes: Buffer): Promise<WarcEntry[]> {
  const entries: WarcEntry[] = [];
  const parser = new WARCParser([bytes]);
  for await (const record of parser) {
    const payload = Buffer.from(await record.readFully(true));
    const headers = new Map<string, string>();
    for (const [name, value] of record.warcHeaders.headers) headers.set(name.toLowerCase(), value);
    entries.push({
      type: record.warcType,
      targetUri: record.warcTargetURI ?? null,
      headers,
      httpStatusLine: record.httpHeaders?.statusline ?? null,
      httpHeaders: record.httpHeaders
        ? [...record.httpHeaders.headers].map(([n, v]) => [n.toLowerCase(), v])
        : [],
      payload,
      raw: bytes.subarray(parser.offset, parser.offset + parser.recordLength),
    });
  }
  return entries;
}

/** Width and height of a PNG, read by sharp (libvips), not by the code that wrote it. */
export async function pngSize(bytes: Buffer): Promise<{ width: number; height: number; format: string }> {
  const meta = await sharp(bytes).metadata();
  return { width: meta.width ?? 0, height: meta.height ?? 0, format: meta.format ?? '' };
}

/** The colour of one pixel of an image, as [r, g, b]. */
export async function pixelAt(bytes: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data } = await sharp(bytes, { limitInputPixels: false })
    .extract({ left: x, top: y, width: 1, height: 1 })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return [data[0]!, data[1]!, data[2]!];
}

/** A part of an MHTML (multipart/related) file: its headers and decoded body. */
export interface MhtmlPart {
  readonly headers: Map<string, string>;
  readonly body: Buffer;
}

/** Splits an MHTML file into its MIME parts and decodes each body (quoted-printable or base64). */
export function readMhtml(bytes: Buffer): {
  readonly headers: Map<string, string>;
  readonly parts: MhtmlPart[];
} {
  const text = bytes.toString('latin1');
  const [head = '', rest = ''] = splitOnce(text, /\r?\n\r?\n/);
  const headers = parseHeaders(head);
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  if (!boundary) throw new Error('the MHTML has no multipart boundary');
  const parts: MhtmlPart[] = [];
  for (const chunk of rest.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const [partHead = '', partBody = ''] = splitOnce(chunk.replace(/^\r?\n/, ''), /\r?\n\r?\n/);
    const partHeaders = parseHeaders(partHead);
    const encoding = (partHeaders.get('content-transfer-encoding') ?? '').toLowerCase();
    const raw = partBody.replace(/\r?\n$/, '');
    const body =
      encoding === 'base64'
        ? Buffer.from(raw.replace(/\s+/g, ''), 'base64')
        : encoding === 'quoted-printable'
          ? decodeQuotedPrintable(raw)
          : Buffer.from(raw, 'latin1');
    parts.push({ headers: partHeaders, body });
  }
  return { headers, parts };
}

function splitOnce(text: string, separator: RegExp): [string, string] {
  const match = separator.exec(text);
  if (!match) return [text, ''];
  return [text.slice(0, match.index), text.slice(match.index + match[0].length)];
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeQuotedPrintable(text: string): Buffer {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i]!;
    if (c === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(joined.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}
