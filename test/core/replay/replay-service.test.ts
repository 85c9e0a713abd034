/**
 * Replay on plain Node: the API answers whether an item replays and where its frame page is, and
 * the replay origin's handler (the one Electron's protocol handler and the harness call) serves the
 * engine's files as built and an item's stored WARC read-only, whole or by byte range, to nobody
 * but a request naming that item and that WARC. Real store, real blobs, the real engine build.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiService, createApiService } from '../../../electron/core/api/api-service.js';
import { parseByteRange } from '../../../electron/core/replay/replay-request.js';
import { buildReplayEngine } from '../../../scripts/replay-engine.js';
import type { ApiResult } from '../../../shared/api.js';
import type { ItemSummary } from '../../../shared/domain.js';
import type { ReplayView } from '../../../shared/replay.js';
import { apiForStore } from '../../support/api-for-store.js';
import { makeTempDir, makeTempStore, removeTempDir, type TempStore } from '../../support/temp-store.js';

const REPLAY_BASE = 'custos-replay://replay/';
const APP_ORIGIN = 'custos-app://app';
const PAGE = 'https://example.org/post/8812';

/** One response record of a WARC, gzipped per record as the capture engine writes it. */
function warcRecord(): Buffer {
  const payload = '<!doctype html><title>Boat</title><p>2500 EUR</p>';
  const http = `HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: ${payload.length}\r\n\r\n${payload}`;
  const head = [
    'WARC/1.1',
    'WARC-Type: response',
    `WARC-Target-URI: ${PAGE}`,
    'WARC-Date: 2026-05-12T19:14:00.000Z',
    'WARC-Record-ID: <urn:uuid:6f1c2b7e-0000-4000-8000-000000000001>',
    'Content-Type: application/http; msgtype=response',
    `Content-Length: ${Buffer.byteLength(http)}`,
  ].join('\r\n');
  return zlib.gzipSync(Buffer.from(`${head}\r\n\r\n${http}\r\n\r\n`));
}

let temp: TempStore;
let engineDir: string;
let api: ApiService;
let capture: ItemSummary;
let areaCapture: ItemSummary;
let imported: ItemSummary;
let warcBytes: Buffer;
let warcSha: string;

function value<T>(result: ApiResult<unknown>): T {
  if (!result.ok) throw new Error(`expected a value, got ${result.error.kind}: ${result.error.message}`);
  return result.value as T;
}

async function get(pathname: string, init: RequestInit = {}): Promise<Response> {
  return api.serveReplay(new Request(new URL(pathname, REPLAY_BASE), init));
}

beforeAll(async () => {
  temp = makeTempStore({ caseNumber: 'BE-1' });
  engineDir = await buildReplayEngine(path.join(makeTempDir('custos-replay-engine-'), 'replay'));
  warcBytes = Buffer.concat([warcRecord(), warcRecord()]);
  const store = temp.open();
  try {
    const warc = await store.blobs.putBuffer(warcBytes);
    warcSha = warc.sha256;
    const shot = await store.blobs.putBuffer(Buffer.from('not really a png, but a blob of its own'));
    const common = { caseId: 'BE-1', kind: 'capture' as const, source: PAGE, url: PAGE, metadata: {} };
    capture = store.addItem({
      ...common,
      title: 'Boat',
      capturedAt: new Date('2026-05-12T19:14:03.250Z'),
      artifacts: [
        { role: 'screenshot', name: 'screenshot.png', mediaType: 'image/png', ...shot },
        { role: 'warc', name: 'capture.warc.gz', mediaType: 'application/warc', ...warc },
      ],
    });
    areaCapture = store.addItem({
      ...common,
      title: 'Visible area',
      artifacts: [{ role: 'viewport', name: 'visible-area.png', mediaType: 'image/png', ...shot }],
    });
    imported = store.addItem({
      caseId: 'BE-1',
      kind: 'import',
      source: 'ad.png',
      metadata: {},
      artifacts: [{ role: 'original', name: 'ad.png', mediaType: 'image/png', ...shot }],
    });
  } finally {
    store.close();
  }
  api = apiForStore(temp, {
    replay: { base: REPLAY_BASE, engineDir, appOrigin: APP_ORIGIN },
  });
}, 60_000);

afterAll(() => {
  api?.close();
  temp?.remove();
  if (engineDir) removeTempDir(path.dirname(engineDir));
});

describe('whether an item replays (getReplay)', () => {
  it('opens a web capture at its address and capture time, from the WARC its record names', async () => {
    const view = value<ReplayView>(await api.call('getReplay', { itemId: capture.id }));
    expect(view).toMatchObject({
      available: true,
      url: PAGE,
      capturedAt: '2026-05-12T19:14:03.250Z',
      warc: { name: 'capture.warc.gz', sha256: warcSha, size: warcBytes.byteLength },
    });
    const frame = new URL(view.available ? view.frameUrl : '');
    expect(`${frame.protocol}//${frame.host}${frame.pathname}`).toBe(REPLAY_BASE);
    expect(Object.fromEntries(frame.searchParams)).toEqual({
      item: capture.id,
      warc: `/warc/${capture.id}/${warcSha}.warc.gz`,
      url: PAGE,
      ts: '20260512191403',
      parent: APP_ORIGIN,
    });
  });

  it('says an item without a WARC (an area capture, an import) has nothing to replay', async () => {
    for (const item of [areaCapture, imported]) {
      expect(value(await api.call('getReplay', { itemId: item.id }))).toEqual({
        available: false,
        reason: 'no-warc',
      });
    }
  });

  it('says replay is unavailable where the program serves no replay origin, and serves nothing there', async () => {
    const bare = createApiService({ storeDir: temp.dir, watchTickMs: false });
    try {
      expect(value(await bare.call('getReplay', { itemId: capture.id }))).toEqual({
        available: false,
        reason: 'no-replay',
      });
      expect((await bare.serveReplay(new Request(`${REPLAY_BASE}sw.js`))).status).toBe(404);
    } finally {
      bare.close();
    }
  });

  it("refuses an item that does not exist, naming it and pointing to the case's Evidence screen", async () => {
    const result = await api.call('getReplay', { itemId: 'no-such-item' });
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'bad-input',
        message: "item no-such-item not found; the case's Evidence screen lists items",
      },
    });
  });
});

describe('the replay origin’s files', () => {
  it('serves the frame page framed by the app alone, and the engine’s worker byte for byte as published, kept off the network', async () => {
    const frame = await get('/');
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(frame.headers.get('content-security-policy')).toContain(`frame-ancestors ${APP_ORIGIN}`);
    expect(await frame.text()).toContain('src="./replay-frame.js"');

    const worker = await get('/sw.js');
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const published = path.join(
      path.dirname(fileURLToPath(import.meta.resolve('@webrecorder/wabac'))),
      'sw.js',
    );
    expect(Buffer.from(await worker.arrayBuffer()).equals(fs.readFileSync(published))).toBe(true);
  });

  it('answers 404 for any other path, and 405 for anything but reading', async () => {
    for (const pathname of ['/w/item-x/mp_/https://example.org/', '/../custos.sqlite', '/LICENSE-wabac.md']) {
      expect((await get(pathname)).status).toBe(404);
    }
    const post = await get('/sw.js', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('an item’s WARC on the replay origin', () => {
  const warcPath = () => `/warc/${capture.id}/${warcSha}.warc.gz`;

  it('serves the stored bytes whole, as a WARC that is never a document', async () => {
    const response = await get(warcPath());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/warc');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-length')).toBe(String(warcBytes.byteLength));
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(Buffer.from(await response.arrayBuffer()).equals(warcBytes)).toBe(true);
  });

  it('serves byte ranges (a slice, an open end, a suffix) and says how large the WARC is', async () => {
    const size = warcBytes.byteLength;
    const slice = await get(warcPath(), { headers: { range: 'bytes=10-19' } });
    expect(slice.status).toBe(206);
    expect(slice.headers.get('content-range')).toBe(`bytes 10-19/${size}`);
    expect(Buffer.from(await slice.arrayBuffer()).equals(warcBytes.subarray(10, 20))).toBe(true);
    const rest = await get(warcPath(), { headers: { range: `bytes=${size - 7}-` } });
    expect(Buffer.from(await rest.arrayBuffer()).equals(warcBytes.subarray(size - 7))).toBe(true);
    const tail = await get(warcPath(), { headers: { range: 'bytes=-5' } });
    expect(tail.headers.get('content-range')).toBe(`bytes ${size - 5}-${size - 1}/${size}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(warcBytes.subarray(size - 5))).toBe(true);
  });

  it('refuses a range outside the WARC with 416 and its size; HEAD gives the size without the bytes', async () => {
    const outside = await get(warcPath(), { headers: { range: `bytes=${warcBytes.byteLength}-` } });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${warcBytes.byteLength}`);
    const head = await get(warcPath(), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(warcBytes.byteLength));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('serves a WARC only to a request naming its own item: not another item, not another artifact’s hash', async () => {
    const screenshot = capture.artifacts.find((a) => a.role === 'screenshot')?.sha256 ?? '';
    for (const pathname of [
      `/warc/${areaCapture.id}/${warcSha}.warc.gz`,
      `/warc/${capture.id}/${screenshot}.warc.gz`,
      `/warc/${capture.id.slice(0, 8)}/${warcSha}.warc.gz`,
    ]) {
      expect((await get(pathname)).status).toBe(404);
    }
  });

  it('leaves the stored WARC as it was: same hash, still read-only', async () => {
    await (await get(warcPath())).arrayBuffer();
    const file = temp.blobPath(warcSha);
    expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(warcSha);
    expect(fs.statSync(file).mode & 0o222).toBe(0);
  });
});

describe('a WARC changed on disk', () => {
  it("is not served: the answer names the sizes and says to open Audit store and run the audit (the replay is the window's alone)", async () => {
    const other = makeTempStore({ caseNumber: 'BE-2' });
    const store = other.open();
    let item: ItemSummary;
    let sha: string;
    try {
      const warc = await store.blobs.putBuffer(warcRecord());
      sha = warc.sha256;
      item = store.addItem({
        caseId: 'BE-2',
        kind: 'capture',
        source: PAGE,
        url: PAGE,
        metadata: {},
        artifacts: [{ role: 'warc', name: 'capture.warc.gz', mediaType: 'application/warc', ...warc }],
      });
    } finally {
      store.close();
    }
    // Tampering, as someone with the disk could do it: the blob is made writable and grows.
    fs.chmodSync(other.blobPath(sha), 0o600);
    fs.appendFileSync(other.blobPath(sha), 'x');
    const service = createApiService({
      storeDir: other.dir,
      watchTickMs: false,
      replay: { base: REPLAY_BASE, engineDir, appOrigin: APP_ORIGIN },
    });
    try {
      const response = await service.serveReplay(new Request(`${REPLAY_BASE}warc/${item.id}/${sha}.warc.gz`));
      expect(response.status).toBe(500);
      expect(await response.text()).toMatch(
        /^the stored WARC is \d+ bytes, not the \d+ its item records; open Audit store and run the audit$/,
      );
    } finally {
      service.close();
      other.remove();
    }
  });
});

describe('byte ranges (parseByteRange)', () => {
  it('reads the one range a client may ask for, and ignores what it need not honour', () => {
    expect(parseByteRange(null, 100)).toBeNull();
    expect(parseByteRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseByteRange('bytes=90-200', 100)).toEqual({ start: 90, end: 99 });
    expect(parseByteRange('bytes=-200', 100)).toEqual({ start: 0, end: 99 });
    expect(parseByteRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseByteRange('items=0-1', 100)).toBeNull();
    expect(parseByteRange('bytes=-', 100)).toBeNull();
    expect(parseByteRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=9-3', 100)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=-0', 100)).toBe('unsatisfiable');
  });
});
