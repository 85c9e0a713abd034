/**
 * Answers every request on the replay origin (the desktop app's `custos-replay://replay/`, the
 * harness's loopback port) from the app itself: the replay engine's own files and the items'
 * stored WARCs, read-only, with byte ranges. Anything else is 404: the origin has no other source,
 * and nothing here ever fetches from the network. Web-standard Request/Response, so Electron's
 * protocol handler and the harness's HTTP server call the same function.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { WINDOW_AGAIN } from '../errors.js';
import {
  parseReplayWarcPath,
  REPLAY_ENGINE_FILES,
  REPLAY_FRAME_PAGE,
  REPLAY_SERVICE_WORKER,
  type ReplayEngineFile,
} from './replay-engine-files.js';

/** A stored WARC as its item records it. */
export interface StoredWarc {
  readonly file: string;
  /** The size the item's record gives: a blob of another size is not served. */
  readonly size: number;
}

/** What the replay origin serves from. */
export interface ReplaySource {
  /** The built replay engine (`out/replay`). */
  readonly engineDir: string;
  /** The app's origin: the only page that may frame the replay (`frame-ancestors`). */
  readonly appOrigin: string;
  /** The item's WARC with this SHA-256, or null when the item has no such WARC. */
  warc(itemId: string, sha256: string): Promise<StoredWarc | null>;
}

/**
 * The frame page's policy: its own script and the engine's service worker, frames of the replay
 * origin only, and framed by the app alone.
 */
export function replayFramePolicy(appOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'unsafe-inline'",
    "connect-src 'self'",
    "worker-src 'self'",
    "frame-src 'self'",
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${appOrigin}`,
  ].join('; ');
}

/**
 * The service worker's policy (a worker obeys the policy its script was served with): it may
 * fetch from the replay origin only, so even the engine itself cannot reach the network.
 * WebAssembly is allowed for the engine's hashing and decompression.
 */
export const REPLAY_WORKER_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; object-src 'none'";

/** A WARC is data, never a document. */
const WARC_POLICY = "default-src 'none'; sandbox";

/** Answers one request on the replay origin. */
export async function answerReplayRequest(request: Request, source: ReplaySource): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plain(405, 'the replay origin only reads', { allow: 'GET, HEAD' });
  }
  const pathname = URL.canParse(request.url) ? new URL(request.url).pathname : '';
  const engineFile = REPLAY_ENGINE_FILES.find((f) => f.pathname === pathname || `/${f.file}` === pathname);
  if (engineFile) return serveEngineFile(request, engineFile, source);
  const warcPath = parseReplayWarcPath(pathname);
  if (!warcPath) return plain(404, `nothing is served at ${pathname}`);
  const warc = await source.warc(warcPath.itemId, warcPath.sha256).catch(() => null);
  if (!warc) return plain(404, `item ${warcPath.itemId} has no WARC ${warcPath.sha256}`);
  return serveWarc(request, warc);
}

async function serveEngineFile(
  request: Request,
  entry: ReplayEngineFile,
  source: ReplaySource,
): Promise<Response> {
  const file = path.join(source.engineDir, entry.file);
  let body: Buffer;
  try {
    body = await fs.promises.readFile(file);
  } catch {
    return plain(404, `the replay engine is not built (${entry.file} is missing); run npm run build`);
  }
  const policy =
    entry === REPLAY_FRAME_PAGE
      ? replayFramePolicy(source.appOrigin)
      : entry === REPLAY_SERVICE_WORKER
        ? REPLAY_WORKER_POLICY
        : "default-src 'none'";
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: {
      ...COMMON_HEADERS,
      'content-type': entry.mediaType,
      'content-length': String(body.byteLength),
      'content-security-policy': policy,
    },
  });
}

/** The WARC's bytes (a range of them when asked), streamed from the read-only blob. */
async function serveWarc(request: Request, warc: StoredWarc): Promise<Response> {
  let size: number;
  try {
    size = (await fs.promises.stat(warc.file)).size;
  } catch {
    return plain(404, `the stored WARC is missing; ${WINDOW_AGAIN.audit}`);
  }
  if (size !== warc.size) {
    return plain(
      500,
      `the stored WARC is ${size} bytes, not the ${warc.size} its item records; ${WINDOW_AGAIN.audit}`,
    );
  }
  const range = parseByteRange(request.headers.get('range'), size);
  if (range === 'unsatisfiable') {
    return plain(416, 'the range asked for is outside the WARC', { 'content-range': `bytes */${size}` });
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = size === 0 ? 0 : end - start + 1;
  const headers: Record<string, string> = {
    ...COMMON_HEADERS,
    'content-type': 'application/warc',
    'content-length': String(length),
    'accept-ranges': 'bytes',
    'content-security-policy': WARC_POLICY,
    ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  };
  const body =
    request.method === 'HEAD' || length === 0
      ? null
      : (Readable.toWeb(fs.createReadStream(warc.file, { start, end })) as ReadableStream<Uint8Array>);
  return new Response(body, { status: range ? 206 : 200, headers });
}

/**
 * The one byte range of a `Range` header (`bytes=a-b`, `bytes=a-`, `bytes=-n`), null when there is
 * none (or it is not one the server must honour), `unsatisfiable` when it lies outside the file.
 */
export function parseByteRange(
  header: string | null,
  size: number,
): { start: number; end: number } | null | 'unsatisfiable' {
  if (header === null) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // A malformed or multi-part range is ignored, as RFC 9110 allows: the whole file is sent.
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
} as const;

function plain(status: number, message: string, extra: Record<string, string> = {}): Response {
  return new Response(message, {
    status,
    headers: { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8', ...extra },
  });
}
