/**
 * Replay in the app, in real Chromium through the harness: a page captured by real Chromium from
 * the fixture site is replayed in the item viewer's Replay tab from its stored WARC by
 * Webrecorder's wabac.js, with the site stopped. Every request the browser makes (pages, frames,
 * the engine's service worker) is logged by Chromium's network events through playwright-core, and
 * a listener on the stopped site's port records any hit: none may leave the app's two origins.
 * An item without a WARC gets a message instead of a frame. Screens are saved under test-results/ui/.
 */
import http from 'node:http';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureUrls } from '../../electron/core/capture/capture-service.js';
import { type FixtureServer, startFixtureServer } from '../support/fixture-server.js';
import { UiSession } from './support/ui-session.js';

let ui: UiSession;
let page: Page;
/** Every address the browser asked for while the test ran. */
const requested: string[] = [];
/** What reached the stopped site's port after it was stopped. */
const tripwireHits: string[] = [];
let tripwire: http.Server;
let site: FixtureServer;

/** The replayed page inside the Replay tab (the frame page's own frame). */
function replayedPage(): FrameLocator {
  return page.frameLocator('iframe.replay-frame').frameLocator('iframe[name="___wb_replay_top_frame"]');
}

beforeAll(async () => {
  site = await startFixtureServer();
  ui = await UiSession.start();
  page = ui.page;
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    store.createCase({ number: 'BE-2026-0142', title: 'Boat crossings advertised on Facebook' });
    const outcome = await captureUrls(store, {
      urls: [new URL(site.url('/post.html'))],
      caseRef: 'BE-2026-0142',
    });
    expect(outcome.failures.map((f) => f.error.message)).toEqual([]);
    // A capture of the visible area only (as the live browser makes): an address, no WARC.
    const picture = await store.blobs.putBuffer(await page.screenshot({ type: 'png' }));
    store.addItem({
      caseId: 'BE-2026-0142',
      kind: 'capture',
      source: site.url('/feed.html'),
      url: site.url('/feed.html'),
      title: 'Visible area of the feed',
      metadata: { kind: 'custos.area-capture', url: site.url('/feed.html') },
      artifacts: [{ role: 'viewport', name: 'visible-area.png', mediaType: 'image/png', ...picture }],
    });
  });
  // The site goes away, as a removed post does; anything that still asks its port is caught.
  const port = Number(new URL(site.origin).port);
  await site.close();
  tripwire = http.createServer((req, res) => {
    tripwireHits.push(req.url ?? '/');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => tripwire.listen(port, '127.0.0.1', resolve));
  ui.browser.on('request', (request) => requested.push(request.url()));
}, 240_000);

afterAll(async () => {
  await ui?.close();
  await new Promise<void>((resolve) => (tripwire ? tripwire.close(() => resolve()) : resolve()));
});

describe('replay of a captured page in the item viewer', () => {
  it('shows the captured post from its WARC with the site stopped, saying it is the archive, with no request leaving the app', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByRole('button', { name: /BE-2026-0142/ }).click();
    await page.locator('.table-row', { hasText: 'رحلات إلى إيطاليا' }).dblclick();
    await page.getByRole('tab', { name: 'Replay' }).click();
    const banner = page.getByRole('note', { name: 'About this replay' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Replay of the archived capture, not the live page');
    // The post's text and its photo, both read from the archive.
    await replayedPage().getByText('أبو سالم للسفريات').waitFor({ timeout: 60_000 });
    await replayedPage().getByText('2500 يورو').waitFor();
    const replayed = page.frames().find((f: Frame) => f.name() === '___wb_replay_top_frame');
    expect(replayed).toBeDefined();
    await replayed?.waitForFunction(
      "(document.querySelector('figure img')?.naturalWidth ?? 0) === 640",
      undefined,
      { timeout: 30_000 },
    );
    // The banner names the page the archive shows, once the replayed page reports it.
    await banner.getByText(site.url('/post.html')).waitFor({ timeout: 30_000 });
    await ui.screenshot('24-item-replay');

    const own = [ui.harness.origin, ui.harness.replayOrigin ?? 'no replay origin'];
    const elsewhere = requested.filter(
      (address) =>
        !own.some((origin) => address.startsWith(`${origin}/`)) && !/^(data|blob|about):/.test(address),
    );
    expect(elsewhere).toEqual([]);
    expect(requested.some((address) => address.startsWith(`${ui.harness.replayOrigin}/warc/`))).toBe(true);
    expect(tripwireHits).toEqual([]);
  });

  it('says an item without a WARC has nothing to replay, instead of showing an empty frame', async () => {
    await page.getByRole('button', { name: 'Evidence' }).first().click();
    await page.locator('.table-row', { hasText: 'Visible area of the feed' }).dblclick();
    await page.getByRole('tab', { name: 'Replay' }).click();
    await page.getByText('This item holds no web archive (WARC), so there is nothing to replay.').waitFor();
    expect(await page.locator('iframe.replay-frame').count()).toBe(0);
    await ui.screenshot('25-item-replay-no-warc');
  });
});
