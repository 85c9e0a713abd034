/**
 * The desktop app end to end, through Playwright's `_electron`: first run, a case, a capture of a
 * fixture page and its item in the list, pop-ups and file: navigations refused, the page's bridge
 * limited to named methods, the live browser (a page, the visible area and a dragged region
 * captured as seen; a pop-up of the live page refused and recorded), the captured listing
 * replayed from its WARC in the item viewer, and an export. Skipped, with the reason printed, where no Electron
 * binary exists (as on the development machines, which cannot download it).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS } from '../../../shared/api.js';
import { type FixturePages, serveFixturePages } from '../../ui/support/fixture-page.js';
import { CustosApp, electronBinary } from './custos-app.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '..', '..', '..');
const binary = electronBinary();
if ('missing' in binary) console.log(`Electron end-to-end tests skipped: ${binary.missing}`);

/** Browser globals used inside window.evaluate (this file compiles with Node's types only; the callbacks are sent as source, so each names globalThis itself). */
interface PageGlobals {
  open(url: string): unknown;
  location: { href: string };
  custos: Record<string, unknown>;
  custosIpc: Record<string, unknown>;
  require?: unknown;
  process?: unknown;
}

describe.skipIf('missing' in binary)('the desktop app (Electron)', () => {
  let app: CustosApp;
  let site: FixturePages;

  beforeAll(async () => {
    if (!('path' in binary)) return;
    await run('npm', ['run', 'build:electron'], { cwd: repo });
    await run('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repo });
    await run('npm', ['run', 'build:replay'], { cwd: repo });
    site = await serveFixturePages();
    app = await CustosApp.launch(binary.path);
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await site?.close();
  });

  it('opens on the first-run screen, makes the profile and key, then a case', async () => {
    await app.completeFirstRun('Ana Ruiz');
    await app.createCase('BE-2026-0142', 'Boat crossing adverts');
    expect(fs.existsSync(path.join(app.storeDir, 'custos.sqlite'))).toBe(true);
  }, 60_000);

  it('gives the page named API methods only, and no Node', async () => {
    const seen = await app.window.evaluate(() => ({
      methods: Object.keys((globalThis as unknown as PageGlobals).custos).sort(),
      bridge: Object.keys((globalThis as unknown as PageGlobals).custosIpc).sort(),
      node:
        typeof (globalThis as unknown as PageGlobals).require !== 'undefined' ||
        typeof (globalThis as unknown as PageGlobals).process !== 'undefined',
    }));
    expect(seen.methods).toEqual([...API_METHODS].sort());
    expect(seen.bridge).toEqual([...API_METHODS, 'cancel'].sort());
    expect(seen.node).toBe(false);
  });

  it('captures a fixture page and lists the item with its digest', async () => {
    const digest = await app.captureAddress(site.listingUrl);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    await app.window.locator('.table-row', { hasText: digest.slice(0, 10) }).waitFor();
  }, 180_000);

  it('refuses a pop-up and a file: navigation from the app window', async () => {
    const before = await app.windowCount();
    const opened = await app.window.evaluate(
      (url) => (globalThis as unknown as PageGlobals).open(url) !== null,
      site.listingUrl,
    );
    expect(opened).toBe(false);
    expect(await app.windowCount()).toBe(before);
    await app.window.evaluate(() => {
      (globalThis as unknown as PageGlobals).location.href = 'file:///etc/passwd';
    });
    await app.window.waitForTimeout(500);
    expect(app.window.url()).toMatch(/^custos-app:\/\/app\//);
  });

  it('captures the page open in the live browser as seen, with every artifact and the network of its load', async () => {
    await app.openLiveBrowser();
    await app.browseLive(site.listingUrl);
    const digest = await app.captureWithShortcut('S');
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    const item = (await app.itemByDigest('BE-2026-0142', digest)) as {
      artifacts: { role: string }[];
      webRecord: { live?: { view: string }; requestedUrl: string };
    };
    expect(item.artifacts.map((a) => a.role).sort()).toEqual(
      ['html', 'metadata', 'mhtml', 'screenshot', 'text', 'viewport', 'warc'].sort(),
    );
    expect(item.webRecord.live?.view).toBe('live');
    expect(item.webRecord.requestedUrl).toBe(site.listingUrl);
  }, 180_000);

  it('captures the visible area and a dragged region of the live view as PNGs with their records', async () => {
    const visible = await app.captureWithShortcut('E');
    const visibleItem = (await app.itemByDigest('BE-2026-0142', visible)) as {
      artifacts: { role: string }[];
    };
    expect(visibleItem.artifacts.map((a) => a.role)).toEqual(['viewport', 'metadata']);
    const region = await app.captureRegion({ x: 40, y: 30, width: 200, height: 120 });
    const regionItem = (await app.itemByDigest('BE-2026-0142', region)) as {
      artifacts: { role: string; mediaType: string }[];
      record: { metadata: { region: { width: number; height: number } } };
    };
    expect(regionItem.artifacts.map((a) => [a.role, a.mediaType])).toContainEqual([
      'screenshot',
      'image/png',
    ]);
    expect(regionItem.record.metadata.region).toMatchObject({ width: 200, height: 120 });
  }, 180_000);

  it('refuses a pop-up of the live page and writes it into the next capture’s record', async () => {
    const before = await app.windowCount();
    await app.inLiveView(site.listingUrl, `window.open(${JSON.stringify(site.listingUrl)}); true`);
    expect(await app.windowCount()).toBe(before);
    const digest = await app.captureWithShortcut('S');
    const item = (await app.itemByDigest('BE-2026-0142', digest)) as {
      webRecord: { blocked: { kind: string }[] };
    };
    expect(item.webRecord.blocked.map((b) => b.kind)).toContain('popup');
  }, 180_000);

  it('replays the captured listing from its WARC on the replay scheme, with its service worker', async () => {
    const replayed = await app.openReplay('BE-2026-0142', 'رحلة بحرية إلى أوروبا');
    await replayed
      .getByRole('heading', { name: 'رحلة بحرية إلى أوروبا — مقاعد متاحة' })
      .waitFor({ timeout: 60_000 });
    const frame = app.window.frames().find((f) => f.name() === '___wb_replay_top_frame');
    expect(frame?.url()).toMatch(
      /^custos-replay:\/\/replay\/w\/item-[^/]+\/\d{14}mp_\/http:\/\/127\.0\.0\.1:/,
    );
  }, 120_000);

  it('exports the case as a bundle in the suggested folder', async () => {
    const bundle = await app.exportCase();
    expect(path.dirname(bundle)).toBe(app.exportDir);
    expect(fs.statSync(bundle).size).toBeGreaterThan(0);
  }, 180_000);
});
