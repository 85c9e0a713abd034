import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureUrls } from '../../../../electron/core/capture/capture-service.js';
import {
  type CaptureOptions,
  DEFAULT_CAPTURE_OPTIONS,
} from '../../../../electron/core/capture/engine/capture-page.js';
import type { WebCaptureRecord } from '../../../../electron/core/capture/engine/capture-record.js';
import type { EvidenceStore } from '../../../../electron/core/store/evidence-store.js';
import type { ItemSummary } from '../../../../shared/domain.js';
import { type FixtureServer, startFixtureServer } from '../../../support/fixture-server.js';
import { makeTempStore, type TempStore } from '../../../support/temp-store.js';
import { artifactBytes, pixelAt, pngSize, readWarc } from '../artifact-readers.js';

let server: FixtureServer;
let temp: TempStore;
let store: EvidenceStore;

beforeAll(async () => {
  server = await startFixtureServer();
  temp = makeTempStore({ caseNumber: 'BE-7' });
  store = temp.open();
});

afterAll(async () => {
  store?.close();
  temp?.remove();
  await server?.close();
});

async function capture(
  pathname: string,
  options?: CaptureOptions,
): Promise<{ item: ItemSummary; record: WebCaptureRecord }> {
  const outcome = await captureUrls(store, {
    urls: [new URL(server.url(pathname))],
    caseRef: 'BE-7',
    options,
  });
  expect(outcome.failures.map((f) => f.error.message)).toEqual([]);
  const item = outcome.items[0]!;
  return {
    item,
    record: JSON.parse(artifactBytes(store, item, 'metadata').toString('utf8')) as WebCaptureRecord,
  };
}

describe('hard pages', () => {
  it('scrolls a feed whose page asks for more only a while after the bottom shows (a slow page) to its end', async () => {
    const { item, record } = await capture('/feed.html?delay=600');
    const text = artifactBytes(store, item, 'text').toString('utf8');
    expect(text).toContain('END-OF-FEED-MARKER: آخر رحلة هذا الشهر');
    expect(record.scroll.stoppedBy).toBe('bottom');
  });

  it('scrolls a feed whose first page comes only a while after the page loads (a busy page) to its end', async () => {
    const { item, record } = await capture('/feed.html?start=600');
    const text = artifactBytes(store, item, 'text').toString('utf8');
    expect(text).toContain('END-OF-FEED-MARKER: آخر رحلة هذا الشهر');
    expect(record.scroll.stoppedBy).toBe('bottom');
    expect(record.scroll.steps).toBeGreaterThan(0);
  });

  it('scrolls a lazy-loaded feed to its end, so content that appears only at the bottom is captured', async () => {
    const { item, record } = await capture('/feed.html');
    const text = artifactBytes(store, item, 'text').toString('utf8');
    expect(text).toContain('END-OF-FEED-MARKER: آخر رحلة هذا الشهر');
    expect(text).toContain('منشور 15');
    expect(record.scroll.stoppedBy).toBe('bottom');
    const uris = (await readWarc(artifactBytes(store, item, 'warc'))).map((r) => r.targetUri);
    for (let page = 0; page <= 4; page++) expect(uris).toContain(server.url(`/api/feed?page=${page}`));
    // The lazy image at the very bottom loaded too: scrolling came first.
    expect(uris).toContain(server.url('/img/boat.jpg?lazy=footer'));
    const screenshot = await pngSize(artifactBytes(store, item, 'screenshot'));
    expect(screenshot.height).toBe(record.screenshot.height);
    expect(screenshot.height).toBeGreaterThan(16 * 320);
  });

  it('captures a 40,000 px page whole, in stitched tiles, from its top marker to its bottom marker', async () => {
    const { item, record } = await capture('/tall.html');
    const png = artifactBytes(store, item, 'screenshot');
    expect(await pngSize(png)).toEqual({ width: 1280, height: 40_000, format: 'png' });
    expect(record.screenshot).toMatchObject({
      height: 40_000,
      pageHeight: 40_000,
      truncated: false,
      tiles: 5,
    });
    expect(await pixelAt(png, 640, 100)).toEqual([0, 160, 0]);
    expect(await pixelAt(png, 640, 39_900)).toEqual([200, 0, 0]);
    // A band in the middle of the fourth tile, where the tiles meet.
    expect(await pixelAt(png, 1200, 8_191)).not.toEqual([0, 0, 0]);
    expect(artifactBytes(store, item, 'text').toString('utf8')).toContain('BOTTOM-OF-TALL-PAGE');
  }, 120_000);

  it('cuts a page taller than the limit at the limit, and says so in the record', async () => {
    const options = {
      ...DEFAULT_CAPTURE_OPTIONS,
      screenshot: { ...DEFAULT_CAPTURE_OPTIONS.screenshot, maxHeight: 20_000 },
    };
    const { item, record } = await capture('/tall.html', options);
    const png = artifactBytes(store, item, 'screenshot');
    expect(await pngSize(png)).toEqual({ width: 1280, height: 20_000, format: 'png' });
    expect(record.screenshot).toMatchObject({
      height: 20_000,
      pageHeight: 40_000,
      truncated: true,
      tiles: 3,
    });
    expect(record.notes).toContain(
      'the page is 1280x40000 CSS px; the full-page screenshot was cut to 1280x20000',
    );
    expect(await pixelAt(png, 640, 19_990)).not.toEqual([200, 0, 0]);
  }, 120_000);

  it('captures a page whose sub-resource never finishes, with a note saying so', async () => {
    // The same waits as by default, shorter: the capture gives up on the load event, the network
    // and the images at these limits, whatever they are (the defaults add up to 30 s of waiting).
    const options = {
      ...DEFAULT_CAPTURE_OPTIONS,
      settle: {
        ...DEFAULT_CAPTURE_OPTIONS.settle,
        loadTimeoutMs: 4_000,
        idleTimeoutMs: 2_000,
        mediaTimeoutMs: 2_000,
      },
      body: { ...DEFAULT_CAPTURE_OPTIONS.body, bodyTimeoutMs: 4_000 },
    };
    const { item, record } = await capture('/hanging.html', options);
    expect(record.httpStatus).toBe(200);
    expect(record.notes.some((n) => n.includes('load event had not fired'))).toBe(true);
    expect(record.notes.some((n) => n.includes(server.url('/hang/photo.jpg')))).toBe(true);
    expect(record.network.unfinished).toBeGreaterThanOrEqual(1);
    expect(artifactBytes(store, item, 'text').toString('utf8')).toContain('+218 92 765 4321');
    const records = await readWarc(artifactBytes(store, item, 'warc'));
    const hung = records.find((r) => r.type === 'response' && r.targetUri === server.url('/hang/photo.jpg'));
    expect(hung?.headers.get('warc-truncated')).toBe('time');
    expect(
      records.find((r) => r.type === 'response' && r.targetUri === server.url('/img/boat.jpg')),
    ).toBeDefined();
  }, 120_000);

  it('contains a hostile page and lists every blocked attempt in the record', async () => {
    const { item, record } = await capture('/hostile.html');
    const kinds = new Set(record.blocked.map((b) => b.kind));
    for (const kind of ['dialog', 'popup', 'navigation', 'permission', 'local-file', 'download']) {
      expect(kinds).toContain(kind);
    }
    const details = record.blocked.map((b) => b.detail).join('\n');
    expect(details).toContain('alert dialog dismissed: "You have won a prize!"');
    expect(details).toContain('confirm dialog dismissed');
    expect(details).toContain('prompt dialog dismissed');
    expect(
      record.blocked.some((b) => b.kind === 'navigation' && b.url === server.url('/elsewhere.html')),
    ).toBe(true);
    const localFiles = record.blocked.filter((b) => b.kind === 'local-file').map((b) => [b.url, b.detail]);
    expect(localFiles).toContainEqual([
      'file:///etc/hostname',
      'the page tried to read a local file with fetch; refused',
    ]);
    expect(localFiles).toContainEqual([
      'file:///etc/passwd',
      'the page tried to read a local file with XMLHttpRequest; refused',
    ]);
    expect(localFiles.map(([url]) => url)).toContain('file:///etc/hostname');
    expect(record.blocked.some((b) => b.kind === 'navigation' && b.url?.startsWith('data:'))).toBe(true);
    expect(record.blocked).toContainEqual(
      expect.objectContaining({ kind: 'popup', url: server.url('/popup-target.html') }),
    );
    // The download never reached the browser, but what the server sent is kept as evidence.
    expect(record.blocked).toContainEqual(
      expect.objectContaining({ kind: 'download', url: server.url('/download/ledger.xlsx') }),
    );
    const warc = await readWarc(artifactBytes(store, item, 'warc'));
    const download = warc.find(
      (r) => r.type === 'response' && r.targetUri === server.url('/download/ledger.xlsx'),
    );
    expect(download?.payload.toString('utf8')).toBe('not really a spreadsheet');

    // The page stayed itself: no navigation, no pop-up ran, no local file was read.
    expect(record.finalUrl).toBe(server.url('/hostile.html'));
    expect(record.documentUrl).toBe(server.url('/hostile.html'));
    const text = artifactBytes(store, item, 'text').toString('utf8');
    expect(text).toContain('Visible text of the hostile page.');
    expect(text).not.toContain('THE PAGE NAVIGATED AWAY');
    const leaked = server.leaks.map((l) => l.what);
    expect(leaked).not.toContain('popup-ran');
    expect(leaked).not.toContain('fetch-file');
    expect(leaked).not.toContain('xhr-file');
    expect(server.leaks.find((l) => l.what === 'popup-opened')?.value).toBe('no');
    expect(server.leaks.find((l) => l.what === 'dialogs-returned')?.value).toBe('false/null');
    for (const permission of ['notification', 'geo', 'camera']) {
      const answer = server.leaks.find((l) => l.what === permission)?.value;
      if (answer !== undefined) expect(answer).not.toBe('granted');
    }
    expect(server.requests.some((r) => r.url === '/elsewhere.html')).toBe(false);
    expect(server.requests.some((r) => r.url === '/popup-target.html')).toBe(false);
  });

  it.each([
    ['after it has loaded', '/late-download.html'],
    ['while it is still loading', '/early-download.html'],
  ])(
    'refuses a download the page starts %s, though the server sends it as a page, keeps its bytes, and stays on the page',
    async (_when, pathname) => {
      const { item, record } = await capture(pathname);
      const downloads = record.blocked.filter((b) => b.kind === 'download').map((b) => b.url);
      expect(downloads).toEqual([server.url('/elsewhere.html')]);
      expect(record.blocked.filter((b) => b.kind === 'navigation')).toEqual([]);
      const warc = await readWarc(artifactBytes(store, item, 'warc'));
      const body = warc
        .find((r) => r.type === 'response' && r.targetUri === server.url('/elsewhere.html'))
        ?.payload.toString('utf8');
      expect(body).toContain('<');
      expect(record.finalUrl).toBe(server.url(pathname));
      expect(artifactBytes(store, item, 'text').toString('utf8')).toContain('Price list on request');
    },
  );

  it('follows a link shortener that forwards in the page (meta refresh, then script) and records each hop', async () => {
    const { item, record } = await capture('/s/boat');
    expect(record.requestedUrl).toBe(server.url('/s/boat'));
    expect(record.finalUrl).toBe(server.url('/post.html'));
    expect(record.redirectChain).toEqual([
      { url: server.url('/s/boat'), status: 200, kind: 'client', location: null },
      { url: server.url('/s/hop'), status: 200, kind: 'client', location: null },
    ]);
    const uris = (await readWarc(artifactBytes(store, item, 'warc'))).map((r) => r.targetUri);
    for (const p of ['/s/boat', '/s/hop', '/post.html']) expect(uris).toContain(server.url(p));
  });
});
