import { createHash } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../../../electron/core/audit/run-audit.js';
import { captureUrls } from '../../../../electron/core/capture/capture-service.js';
import type { WebCaptureRecord } from '../../../../electron/core/capture/engine/capture-record.js';
import type { EvidenceStore } from '../../../../electron/core/store/evidence-store.js';
import type { ItemSummary } from '../../../../shared/domain.js';
import { type FixtureServer, startFixtureServer } from '../../../support/fixture-server.js';
import { makeTempStore, type TempStore } from '../../../support/temp-store.js';
import { artifactBytes, pngSize, readMhtml, readWarc, type WarcEntry } from '../artifact-readers.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let server: FixtureServer;
let temp: TempStore;
let store: EvidenceStore;
let items: Record<'post' | 'redirected' | 'removed' | 'latin1', ItemSummary>;

function record(item: ItemSummary): WebCaptureRecord {
  return JSON.parse(artifactBytes(store, item, 'metadata').toString('utf8')) as WebCaptureRecord;
}

beforeAll(async () => {
  server = await startFixtureServer();
  temp = makeTempStore({ caseNumber: 'BE-2026-0142' });
  store = temp.open();
  const urls = ['/post.html', '/r/start', '/removed', '/latin1.html'].map((p) => new URL(server.url(p)));
  const outcome = await captureUrls(store, { urls, caseRef: 'BE-2026-0142' });
  expect(outcome.failures.map((f) => f.error.message)).toEqual([]);
  const [post, redirected, removed, latin1] = outcome.items;
  items = { post: post!, redirected: redirected!, removed: removed!, latin1: latin1! };
}, 180_000);

afterAll(async () => {
  store?.close();
  temp?.remove();
  await server?.close();
});

describe('a capture of a social-media post', () => {
  it('yields the seven artifacts of the contract, each stored under its SHA-256', () => {
    expect(items.post.artifacts.map((a) => a.role).sort()).toEqual(
      ['html', 'metadata', 'mhtml', 'screenshot', 'text', 'viewport', 'warc'].sort(),
    );
    for (const artifact of items.post.artifacts) {
      const bytes = artifactBytes(store, items.post, artifact.role);
      expect(bytes.byteLength).toBe(artifact.size);
      expect(sha256(bytes)).toBe(artifact.sha256);
    }
  });

  it('commits the item with its custody entry, and the store audits clean', async () => {
    const detail = store.getItem(items.post.id);
    expect(detail.kind).toBe('capture');
    expect(detail.source).toBe(server.url('/post.html'));
    expect(detail.custody.map((e) => e.action)).toEqual(['item.capture']);
    expect(detail.record.metadata).toMatchObject({ requestedUrl: server.url('/post.html'), httpStatus: 200 });
    const report = await runAudit(store);
    expect(report.problems).toEqual([]);
  });

  it('writes a WARC/1.1 with warcinfo first, then a response and its request for every resource, one gzip member each', async () => {
    const bytes = artifactBytes(store, items.post, 'warc');
    const records = await readWarc(bytes);
    expect(records[0]?.type).toBe('warcinfo');
    for (const entry of records) {
      expect(entry.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(zlib.gunzipSync(entry.raw).subarray(0, 9).toString()).toBe('WARC/1.1\r');
    }
    const uris = (type: string) => records.filter((r) => r.type === type).map((r) => r.targetUri);
    const loaded = ['/post.html', '/css/post.css', '/img/boat.jpg', '/js/post.js', '/api/view?post=8812'].map(
      (p) => server.url(p),
    );
    for (const uri of loaded) {
      expect(uris('response')).toContain(uri);
      expect(uris('request')).toContain(uri);
    }
    const responses = new Map(
      records.filter((r) => r.type === 'response').map((r) => [r.headers.get('warc-record-id'), r]),
    );
    for (const request of records.filter((r) => r.type === 'request')) {
      expect(responses.get(request.headers.get('warc-concurrent-to'))?.targetUri).toBe(request.targetUri);
    }
  });

  it("gives the page's WARC responses the server IP address, and every response a payload digest of its body", async () => {
    const records = await readWarc(artifactBytes(store, items.post, 'warc'));
    const responses = records.filter((r) => r.type === 'response');
    for (const pathname of [
      '/post.html',
      '/css/post.css',
      '/img/boat.jpg',
      '/js/post.js',
      '/api/view?post=8812',
    ]) {
      const response = responses.find((r) => r.targetUri === server.url(pathname));
      expect(response?.headers.get('warc-ip-address'), pathname).toBe('127.0.0.1');
    }
    const image = responses.find((r) => r.targetUri === server.url('/img/boat.jpg'))!;
    expect(image.payload).toEqual(fs.readFileSync('test/fixtures/site/img/boat.jpg'));
    for (const response of responses) {
      expect(response.headers.get('warc-payload-digest')).toBe(`sha256:${sha256(response.payload)}`);
    }
  });

  it('stores a gzip-compressed response decoded, with its real length and the original encoding kept aside', async () => {
    const records = await readWarc(artifactBytes(store, items.post, 'warc'));
    const css = records.find((r) => r.type === 'response' && r.targetUri === server.url('/css/post.css'))!;
    const header = (name: string) => css.httpHeaders.find(([n]) => n === name)?.[1];
    expect(css.payload.toString('utf8')).toContain('.price b { color: #b00020');
    expect(header('content-encoding')).toBeUndefined();
    expect(header('x-custos-orig-content-encoding')).toBe('gzip');
    expect(header('content-length')).toBe(String(css.payload.byteLength));
  });

  it('records a POST request with its body', async () => {
    const records = await readWarc(artifactBytes(store, items.post, 'warc'));
    const view = records.find(
      (r: WarcEntry) => r.type === 'request' && r.targetUri === server.url('/api/view?post=8812'),
    )!;
    expect(view.httpStatusLine).toBe('POST /api/view?post=8812 HTTP/1.1');
    expect(JSON.parse(view.payload.toString('utf8'))).toEqual({ post: 8812 });
  });

  it('takes a full-page screenshot of the whole page and a viewport screenshot of the first screen', async () => {
    const full = await pngSize(artifactBytes(store, items.post, 'screenshot'));
    const first = await pngSize(artifactBytes(store, items.post, 'viewport'));
    const { screenshot } = record(items.post);
    expect(first).toEqual({ width: 1280, height: 800, format: 'png' });
    expect(full.format).toBe('png');
    expect(full.width).toBe(1280);
    expect(full.height).toBe(screenshot.pageHeight);
    expect(full.height).toBeGreaterThan(800);
    expect(screenshot.truncated).toBe(false);
  });

  it('paints and records the frame the page embeds from another site', async () => {
    const records = await readWarc(artifactBytes(store, items.post, 'warc'));
    const uris = records.filter((r) => r.type === 'response').map((r) => r.targetUri);
    expect(uris).toContain(`${server.altOrigin}/embed.html`);
    expect(uris).toContain(`${server.altOrigin}/img/boat.jpg?embed=1`);
    expect(record(items.post).screenshot.method).toBe('expanded-viewport');
    const mhtml = readMhtml(artifactBytes(store, items.post, 'mhtml'));
    const embedded = mhtml.parts.find(
      (p) => p.headers.get('content-location') === `${server.altOrigin}/embed.html`,
    );
    expect(embedded?.body.toString('utf8')).toContain('هل يوجد مكان لعائلة من أربعة أشخاص؟');
  });

  it('records the requests a worker of the page makes', async () => {
    const records = await readWarc(artifactBytes(store, items.post, 'warc'));
    const presence = records.find(
      (r) => r.type === 'response' && r.targetUri === server.url('/api/presence?post=8812'),
    );
    expect(JSON.parse(presence?.payload.toString('utf8') ?? 'null')).toEqual({ online: 3 });
    expect(
      records.some((r) => r.type === 'request' && r.targetUri === server.url('/api/presence?post=8812')),
    ).toBe(true);
  });

  it('saves an MHTML snapshot with the page and its image as parts', () => {
    const mhtml = readMhtml(artifactBytes(store, items.post, 'mhtml'));
    expect(mhtml.headers.get('content-type')).toMatch(/^multipart\/related/);
    const byLocation = new Map(mhtml.parts.map((p) => [p.headers.get('content-location'), p]));
    const page = byLocation.get(server.url('/post.html'));
    expect(page?.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page?.body.toString('utf8')).toContain('+218 91 234 5678');
    expect(byLocation.get(server.url('/img/boat.jpg'))?.body).toEqual(
      fs.readFileSync('test/fixtures/site/img/boat.jpg'),
    );
  });

  it('keeps the visible Arabic text, phone number and price as UTF-8 text', () => {
    const text = artifactBytes(store, items.post, 'text').toString('utf8');
    expect(text).toContain('رحلات إلى إيطاليا – مكان مضمون');
    expect(text).toContain('+218 91 234 5678');
    expect(text).toContain('2500 يورو');
    // Added by the page's own script after load: the text is the page as it ended up.
    expect(text).toContain('تمت المشاهدة');
  });

  it('serialises the DOM as the scripts left it, as UTF-8 HTML', () => {
    const html = artifactBytes(store, items.post, 'html');
    expect(html.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = html.subarray(3).toString('utf8');
    expect(text.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(text).toContain('whatsapp://send?phone=218912345678');
    expect(text).toContain('تمت المشاهدة');
  });

  it('writes a capture record of where, when, how and by whom', () => {
    const r = record(items.post);
    expect(r).toMatchObject({
      recordType: 'custos.web-capture',
      requestedUrl: server.url('/post.html'),
      finalUrl: server.url('/post.html'),
      redirectChain: [],
      httpStatus: 200,
      statusLine: 'HTTP/1.1 200 OK',
      server: { ip: '127.0.0.1', port: Number(new URL(server.origin).port) },
      tls: null,
      page: {
        title: 'رحلات إلى إيطاليا – مكان مضمون | سوق البحر',
        language: 'ar',
        openGraph: { 'og:type': 'article', 'og:image': '/img/boat.jpg' },
      },
      browser: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, persona: null },
      tool: { name: 'Custos' },
      investigator: { name: 'Ana Ruiz', agency: 'Test Unit' },
      case: { number: 'BE-2026-0142' },
    });
    expect(r.page.description).toContain('2500 يورو');
    expect(r.responseHeaders).toContainEqual(['Content-Type', 'text/html; charset=utf-8']);
    expect(r.browser.userAgent).not.toContain('Headless');
    expect(r.browser.version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(r.os.platform).toBe(process.platform);
    expect(r.capture.timeZone).toBeTruthy();
    expect(Date.parse(r.capture.endedAt)).toBeGreaterThanOrEqual(Date.parse(r.capture.startedAt));
    expect(r.capture.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(r.blocked).toEqual([]);
  });
});

describe('pages as investigators meet them', () => {
  it('records a redirect chain hop by hop with its status codes', () => {
    const r = record(items.redirected);
    expect(r.requestedUrl).toBe(server.url('/r/start'));
    expect(r.finalUrl).toBe(server.url('/post.html'));
    expect(r.redirectChain).toEqual([
      { url: server.url('/r/start'), status: 301, kind: 'http', location: '/r/middle' },
      { url: server.url('/r/middle'), status: 302, kind: 'http', location: '/post.html' },
    ]);
    expect(items.redirected.url).toBe(server.url('/post.html'));
  });

  it('keeps each redirect as its own response in the WARC', async () => {
    const records = await readWarc(artifactBytes(store, items.redirected, 'warc'));
    const statuses = records
      .filter((r) => r.type === 'response')
      .map((r) => [r.targetUri, r.httpStatusLine?.split(' ')[1]]);
    expect(statuses).toContainEqual([server.url('/r/start'), '301']);
    expect(statuses).toContainEqual([server.url('/r/middle'), '302']);
    expect(statuses).toContainEqual([server.url('/post.html'), '200']);
  });

  it('captures a removed page (404) with its status and a note', () => {
    const r = record(items.removed);
    expect(r.httpStatus).toBe(404);
    expect(r.page.title).toBe('Content not available');
    expect(r.notes.some((n) => n.includes('404'))).toBe(true);
    expect(artifactBytes(store, items.removed, 'text').toString('utf8')).toContain(
      "This content isn't available right now",
    );
  });

  it('turns a page in ISO-8859-1 into UTF-8 text while the WARC keeps its original bytes', async () => {
    const text = artifactBytes(store, items.latin1, 'text').toString('utf8');
    expect(text).toContain('Salida desde Nador, precio 1.800 € por persona.');
    expect(text).toContain('Teléfono: +212 6 12 34 56 78 – pregunte por la señora Muñoz.');
    expect(record(items.latin1).page.characterSet).toBe('windows-1252');
    const records = await readWarc(artifactBytes(store, items.latin1, 'warc'));
    const page = records.find((r) => r.type === 'response' && r.targetUri === server.url('/latin1.html'))!;
    expect(page.payload).toEqual(fs.readFileSync('test/fixtures/site/latin1.html'));
  });
});
