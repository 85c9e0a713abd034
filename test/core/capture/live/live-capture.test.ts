import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  extraChromiumArgs,
  findChromium,
} from '../../../../electron/core/capture/browser/browser-discovery.js';
import { launchChromium } from '../../../../electron/core/capture/browser/playwright-browser.js';
import { captureLive } from '../../../../electron/core/capture/capture-service.js';
import type { CaptureBrowser, CaptureTab } from '../../../../electron/core/capture/engine/capture-browser.js';
import type { WebCaptureRecord } from '../../../../electron/core/capture/engine/capture-record.js';
import type { AreaCaptureRecord } from '../../../../electron/core/capture/live/area-capture.js';
import { clipToView } from '../../../../electron/core/capture/live/area-capture.js';
import type { LiveCapture } from '../../../../electron/core/capture/live/live-capture.js';
import type { EvidenceStore } from '../../../../electron/core/store/evidence-store.js';
import type { ItemSummary } from '../../../../shared/domain.js';
import { type FixtureServer, startFixtureServer } from '../../../support/fixture-server.js';
import { makeTempStore, type TempStore } from '../../../support/temp-store.js';
import { artifactBytes, pixelAt, pngSize, readWarc } from '../artifact-readers.js';
import { browse, startLiveCapture } from './live-view.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const CASE = 'LIVE-2026-7';

let server: FixtureServer;
let temp: TempStore;
let store: EvidenceStore;
let browser: CaptureBrowser;
let tab: CaptureTab;
let live: LiveCapture;
let view: { width: number; height: number };

async function evaluate<T>(expression: string): Promise<T> {
  const { result } = await tab.session.send('Runtime.evaluate', {
    expression,
    awaitPromise: true,
    returnByValue: true,
  });
  return result.value as T;
}

function json<T>(item: ItemSummary): T {
  return JSON.parse(artifactBytes(store, item, 'metadata').toString('utf8')) as T;
}

function expectHashesMatch(item: ItemSummary): void {
  for (const artifact of item.artifacts) {
    const bytes = artifactBytes(store, item, artifact.role);
    expect(bytes.byteLength).toBe(artifact.size);
    expect(sha256(bytes)).toBe(artifact.sha256);
  }
}

beforeAll(async () => {
  server = await startFixtureServer();
  temp = makeTempStore({ caseNumber: CASE });
  store = temp.open();
  browser = await launchChromium({ executablePath: findChromium(), extraArgs: extraChromiumArgs() });
  tab = await browser.openTab();
  // The live view keeps its window's own size (the app sizes it to its place on screen).
  view = await evaluate<{ width: number; height: number }>('({ width: innerWidth, height: innerHeight })');
  live = await startLiveCapture(tab.session);
}, 120_000);

afterAll(async () => {
  await live?.close();
  await tab?.close();
  await browser?.close();
  store?.close();
  temp?.remove();
  await server?.close();
});

describe('capturing the page the investigator has open in the live view', () => {
  it('refuses to capture before any web page is shown, and stores nothing', async () => {
    await expect(captureLive(store, live, { caseRef: CASE, what: 'page' })).rejects.toMatchObject({
      kind: 'bad-input',
      message: expect.stringMatching(/no web page yet/),
    });
    expect(store.listItems(CASE)).toEqual([]);
  });

  it('stores every artifact of the engine, with the network recorded from the first request of the page load', async () => {
    await browse(tab.session, server.url('/post.html'));
    const item = await captureLive(store, live, { caseRef: CASE, what: 'page' });
    expect(item.artifacts.map((a) => a.role).sort()).toEqual(
      ['html', 'metadata', 'mhtml', 'screenshot', 'text', 'viewport', 'warc'].sort(),
    );
    expectHashesMatch(item);
    const uris = (await readWarc(artifactBytes(store, item, 'warc')))
      .filter((r) => r.type === 'response')
      .map((r) => r.targetUri);
    // The document itself (the very first request) and what it loaded.
    for (const p of ['/post.html', '/css/post.css', '/img/boat.jpg', '/js/post.js']) {
      expect(uris).toContain(server.url(p));
    }
    const record = json<WebCaptureRecord>(item);
    expect(record.live?.view).toBe('live');
    expect(record.requestedUrl).toBe(server.url('/post.html'));
    expect(record.httpStatus).toBe(200);
    // The view's own size, not the engine's default window.
    expect(record.browser.viewport).toEqual(view);
    expect(store.getItem(item.id).custody.map((e) => e.action)).toEqual(['item.capture']);
  }, 120_000);

  it('starts a new recording at each page load: the next page holds its own traffic only', async () => {
    await browse(tab.session, server.url('/regions.html'));
    const item = await captureLive(store, live, { caseRef: CASE, what: 'page' });
    const uris = (await readWarc(artifactBytes(store, item, 'warc')))
      .filter((r) => r.type === 'response')
      .map((r) => r.targetUri);
    expect(uris).toContain(server.url('/regions.html'));
    expect(uris).not.toContain(server.url('/post.html'));
    expect(uris).not.toContain(server.url('/css/post.css'));
    expect(json<WebCaptureRecord>(item).requestedUrl).toBe(server.url('/regions.html'));
  }, 120_000);

  it("keeps the #fragment of the address opened in the item's url and the record, as a capture by URL does, not as something the page added", async () => {
    const opened = `${server.url('/post.html')}#comments`;
    await browse(tab.session, opened);
    const item = await captureLive(store, live, { caseRef: CASE, what: 'page' });
    expect(item.url).toBe(opened);
    const record = json<WebCaptureRecord>(item);
    expect(record).toMatchObject({ requestedUrl: opened, finalUrl: opened });
    // The address the page showed is the final URL: the report has no "the page added the part after #".
    expect(record.documentUrl).toBe(opened);
  }, 120_000);

  it('follows a link shortener that forwards in the page: one recording from the address opened, the chain in the record', async () => {
    await browse(tab.session, server.url('/s/boat'));
    const deadline = Date.now() + 30_000;
    while (
      (await evaluate<string>('location.pathname + " " + document.readyState')) !== '/post.html complete' &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const item = await captureLive(store, live, { caseRef: CASE, what: 'page' });
    const record = json<WebCaptureRecord>(item);
    expect(record.requestedUrl).toBe(server.url('/s/boat'));
    expect(record.finalUrl).toBe(server.url('/post.html'));
    expect(record.redirectChain).toEqual([
      { url: server.url('/s/boat'), status: 200, kind: 'client', location: null },
      { url: server.url('/s/hop'), status: 200, kind: 'client', location: null },
    ]);
    const uris = (await readWarc(artifactBytes(store, item, 'warc')))
      .filter((r) => r.type === 'response')
      .map((r) => r.targetUri);
    for (const p of ['/s/boat', '/s/hop', '/post.html', '/img/boat.jpg'])
      expect(uris).toContain(server.url(p));

    // The investigator following a link on the page is a new page load, with its own recording.
    await tab.session.send('Runtime.evaluate', {
      expression: 'document.querySelector(\'a[href="/feed.html"]\').click()',
      userGesture: true,
    });
    while (
      (await evaluate<string>('location.pathname + " " + document.readyState')) !== '/feed.html complete'
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const next = json<WebCaptureRecord>(await captureLive(store, live, { caseRef: CASE, what: 'page' }));
    expect(next.requestedUrl).toBe(server.url('/feed.html'));
    expect(next.redirectChain).toEqual([]);
    await browse(tab.session, server.url('/regions.html')); // where the next tests expect the investigator
  }, 120_000);

  it('refuses a download the page starts while it loads, names it in the record and keeps its bytes', async () => {
    await browse(tab.session, server.url('/early-download.html'));
    const item = await captureLive(store, live, { caseRef: CASE, what: 'page' });
    const record = json<WebCaptureRecord>(item);
    expect(record.blocked.filter((b) => b.kind === 'download').map((b) => b.url)).toEqual([
      server.url('/elsewhere.html'),
    ]);
    expect(record.finalUrl).toBe(server.url('/early-download.html'));
    const body = (await readWarc(artifactBytes(store, item, 'warc')))
      .find((r) => r.type === 'response' && r.targetUri === server.url('/elsewhere.html'))
      ?.payload.toString('utf8');
    expect(body).toContain('<');
    await browse(tab.session, server.url('/regions.html')); // where the next tests expect the investigator
  }, 120_000);

  it('captures the same page twice with the whole network both times, and leaves the investigator where they had scrolled', async () => {
    await evaluate('window.scrollTo(0, 900)');
    const first = await captureLive(store, live, { caseRef: CASE, what: 'page' });
    const second = await captureLive(store, live, { caseRef: CASE, what: 'page' });
    for (const item of [first, second]) {
      const warc = await readWarc(artifactBytes(store, item, 'warc'));
      expect(warc.filter((r) => r.type === 'response').map((r) => r.targetUri)).toContain(
        server.url('/regions.html'),
      );
      expect(json<WebCaptureRecord>(item).live).toMatchObject({ scrollX: 0, scrollY: 900 });
      // The viewport screenshot is what the investigator saw: scrolled down to the blue block (1200-1290).
      const viewport = artifactBytes(store, item, 'viewport');
      expect(await pixelAt(viewport, 450, 1200 - 900 + 40)).toEqual([0, 0, 255]);
      // The full page is the whole 3000 px page.
      expect((await pngSize(artifactBytes(store, item, 'screenshot'))).height).toBe(3000);
    }
    expect(await evaluate<number>('scrollY')).toBe(900);
    expect(await evaluate('({ width: innerWidth, height: innerHeight })')).toEqual(view);
  }, 180_000);
});

describe('capturing the visible area and a region of the live view', () => {
  it('stores a PNG of exactly the visible area, with its record', async () => {
    await evaluate('window.scrollTo(0, 0)');
    const item = await captureLive(store, live, { caseRef: CASE, what: 'visible' });
    expect(item.artifacts.map((a) => [a.role, a.mediaType])).toEqual([
      ['viewport', 'image/png'],
      ['metadata', 'application/json'],
    ]);
    expectHashesMatch(item);
    const png = artifactBytes(store, item, 'viewport');
    expect(await pngSize(png)).toMatchObject({ ...view, format: 'png' });
    expect(await pixelAt(png, 150, 150)).toEqual([255, 0, 0]);
    const record = json<AreaCaptureRecord>(item);
    expect(record).toMatchObject({
      recordType: 'custos.area-capture',
      area: 'visible',
      pageUrl: server.url('/regions.html'),
      title: 'Coloured blocks',
      scroll: { x: 0, y: 0 },
      viewport: view,
      region: { css: { x: 0, y: 0, ...view } },
    });
    expect(store.getItem(item.id).custody.map((e) => e.action)).toEqual(['item.capture']);
  }, 60_000);

  it('stores the dragged region at its size and content, in CSS and device pixels, where the page was scrolled to', async () => {
    await evaluate('window.scrollTo(0, 1100)');
    // The blue block is at 400,1200 on the page: 400,100 in the view once scrolled by 1100.
    const item = await captureLive(store, live, {
      caseRef: CASE,
      what: 'region',
      rect: { x: 400, y: 100, width: 160, height: 90 },
    });
    expectHashesMatch(item);
    const png = artifactBytes(store, item, 'screenshot');
    expect(await pngSize(png)).toMatchObject({ width: 160, height: 90 });
    for (const [x, y] of [
      [0, 0],
      [159, 89],
      [80, 45],
    ] as const) {
      expect(await pixelAt(png, x, y)).toEqual([0, 0, 255]);
    }
    const record = json<AreaCaptureRecord>(item);
    expect(record.region).toEqual({
      css: { x: 400, y: 100, width: 160, height: 90 },
      page: { x: 400, y: 1200, width: 160, height: 90 },
      device: { x: 400, y: 100, width: 160, height: 90 },
      requested: null,
    });
    expect(record.scroll).toEqual({ x: 0, y: 1100 });
  }, 60_000);

  it('takes a region in device pixels on a high-density screen', async () => {
    await tab.session.send('Emulation.setDeviceMetricsOverride', {
      ...view,
      deviceScaleFactor: 2,
      mobile: false,
    });
    try {
      await evaluate('window.scrollTo(0, 0)');
      const item = await captureLive(store, live, {
        caseRef: CASE,
        what: 'region',
        rect: { x: 100, y: 100, width: 200, height: 120 },
      });
      const png = artifactBytes(store, item, 'screenshot');
      expect(await pngSize(png)).toMatchObject({ width: 400, height: 240 });
      expect(await pixelAt(png, 399, 239)).toEqual([255, 0, 0]);
      const record = json<AreaCaptureRecord>(item);
      expect(record.deviceScaleFactor).toBe(2);
      expect(record.region.device).toEqual({ x: 200, y: 200, width: 400, height: 240 });
      expect(record.image).toMatchObject({ width: 400, height: 240 });
    } finally {
      await tab.session.send('Emulation.clearDeviceMetricsOverride');
    }
  }, 60_000);

  it('clips a region that runs off the view and says what was asked; refuses one wholly outside and stores nothing', async () => {
    const before = store.listItems(CASE).length;
    const item = await captureLive(store, live, {
      caseRef: CASE,
      what: 'region',
      rect: { x: view.width - 100, y: view.height - 100, width: 300, height: 300 },
    });
    expect(await pngSize(artifactBytes(store, item, 'screenshot'))).toMatchObject({
      width: 100,
      height: 100,
    });
    expect(json<AreaCaptureRecord>(item).region.requested).toEqual({
      x: view.width - 100,
      y: view.height - 100,
      width: 300,
      height: 300,
    });
    await expect(
      captureLive(store, live, {
        caseRef: CASE,
        what: 'region',
        rect: { x: 2000, y: 10, width: 50, height: 50 },
      }),
    ).rejects.toMatchObject({
      kind: 'bad-input',
      message: expect.stringMatching(/outside the visible page/),
    });
    expect(store.listItems(CASE).length).toBe(before + 1);
  }, 60_000);
});

describe('clipToView', () => {
  it('keeps the part of a dragged rectangle inside the view, in whole pixels', () => {
    expect(clipToView({ x: -10, y: 5.5, width: 50, height: 20 }, { width: 30, height: 30 })).toEqual({
      x: 0,
      y: 5,
      width: 30,
      height: 21,
    });
    expect(clipToView({ x: 40, y: 0, width: 5, height: 5 }, { width: 30, height: 30 })).toBeNull();
    expect(clipToView({ x: 0, y: 0, width: Number.NaN, height: 5 }, { width: 30, height: 30 })).toBeNull();
  });
});
