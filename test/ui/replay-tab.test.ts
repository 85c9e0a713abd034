/**
 * Replay in the app, in real Chromium through the harness: a page captured by real Chromium from
 * the fixture site is replayed in the item viewer's Replay tab from its stored WARC by
 * Webrecorder's wabac.js, with the site stopped. Every request the browser makes (pages, frames,
 * the engine's service worker) is logged by Chromium's network events through playwright-core, and
 * a listener on the stopped site's port records any hit: none may leave the app's two origins. A
 * captured page whose script tries to reach a loopback listener every way it can (fetch, an image,
 * a script, a WebSocket, a beacon) reaches nothing when replayed. An item without a WARC gets a
 * message instead of a frame. Screens are saved under test-results/ui/.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLAYED_PAGE_CSP } from '../../shared/replay.js';
import { type FixtureServer, startFixtureServer } from '../support/fixture-server.js';
import { SEEDED_CASE, seedPageCaptures } from './support/seed-captures.js';
import { UiSession } from './support/ui-session.js';

let ui: UiSession;
let page: Page;
/** Every address the browser asked for while the test ran. */
const requested: string[] = [];
/** The policy each replayed document came with, by its address on the replay origin. */
const replayedPolicies = new Map<string, Promise<string | null>>();
/** What reached the stopped site's port after it was stopped. */
const tripwireHits: string[] = [];
let tripwire: http.Server;
let site: FixtureServer;
/** A loopback listener the leaky page tries to reach: it records every hit, at capture and at replay. */
let listener: http.Server;
const listenerHits: string[] = [];

/**
 * A page whose script tries to reach `away` every way a page can, then says so: what a replay must
 * keep inside the archive.
 */
function leakyPage(away: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Leaky page</title></head><body>
<h1>Leaky page text</h1><p id="state">running</p>
<script>
const away = ${JSON.stringify(away)};
const settled = (target) => new Promise((resolve) => { target.onload = resolve; target.onerror = resolve; });
const image = new Image(); const imageDone = settled(image); image.src = away + '/pixel.png';
const script = document.createElement('script'); const scriptDone = settled(script);
script.src = away + '/late.js'; document.head.append(script);
let socketDone = Promise.resolve();
try {
  const socket = new WebSocket(away.replace('http:', 'ws:') + '/socket');
  socketDone = new Promise((resolve) => { socket.onerror = resolve; socket.onclose = resolve; socket.onopen = resolve; });
} catch (error) {}
navigator.sendBeacon(away + '/beacon', 'seen');
Promise.allSettled([fetch(away + '/fetch', { mode: 'no-cors' }), imageDone, scriptDone, socketDone]).then(() => {
  document.getElementById('state').textContent = 'every attempt settled';
});
</script></body></html>`;
}

/** The replayed page inside the Replay tab (the frame page's own frame). */
function replayedPage(): FrameLocator {
  return page.frameLocator('iframe.replay-frame').frameLocator('iframe[name="___wb_replay_top_frame"]');
}

beforeAll(async () => {
  site = await startFixtureServer();
  listener = http.createServer((req, res) => {
    listenerHits.push(req.url ?? '/');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const away = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  const leakySite = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(leakyPage(away));
  });
  await new Promise<void>((resolve) => leakySite.listen(0, '127.0.0.1', resolve));
  const leakyUrl = `http://127.0.0.1:${(leakySite.address() as AddressInfo).port}/leaky.html`;
  ui = await UiSession.start();
  page = ui.page;
  await seedPageCaptures(ui, [site.url('/post.html'), leakyUrl], async (store) => {
    // A capture of the visible area only (as the live browser makes): an address, no WARC.
    const picture = await store.blobs.putBuffer(await page.screenshot({ type: 'png' }));
    store.addItem({
      caseId: SEEDED_CASE.number,
      kind: 'capture',
      source: site.url('/feed.html'),
      url: site.url('/feed.html'),
      title: 'Visible area of the feed',
      metadata: { kind: 'custos.area-capture', url: site.url('/feed.html') },
      artifacts: [{ role: 'viewport', name: 'visible-area.png', mediaType: 'image/png', ...picture }],
    });
  });
  // The sites go away, as a removed post does; anything that still asks the post's port is caught,
  // and the leaky page's listener forgets what it heard while the page was captured live.
  const port = Number(new URL(site.origin).port);
  await site.close();
  leakySite.closeAllConnections();
  await new Promise<void>((resolve) => leakySite.close(() => resolve()));
  // Live, the page does reach the listener: the control that makes the replay's silence mean something.
  expect(listenerHits.length).toBeGreaterThan(0);
  listenerHits.length = 0;
  tripwire = http.createServer((req, res) => {
    tripwireHits.push(req.url ?? '/');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => tripwire.listen(port, '127.0.0.1', resolve));
  ui.browser.on('request', (request) => requested.push(request.url()));
  ui.browser.on('response', (response) => {
    if (/\/w\/item-[^/]+\/\d{14}mp_\//.test(response.url())) {
      replayedPolicies.set(response.url(), response.headerValue('content-security-policy'));
    }
  });
}, 240_000);

afterAll(async () => {
  await ui?.close();
  for (const server of [tripwire, listener]) {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
});

/** Opens the case's item with this title and its Replay tab. */
async function openReplay(title: string): Promise<void> {
  await page.getByRole('button', { name: /^Cases/ }).click();
  await page.getByRole('button', { name: /BE-2026-0142/ }).click();
  await page.locator('.table-row', { hasText: title }).dblclick();
  await page.getByRole('tab', { name: 'Replay' }).click();
}

/** Addresses the browser asked for outside the harness's two origins (the app's page, the replay origin). */
function requestsElsewhere(): string[] {
  const own = [ui.harness.origin, ui.harness.replayOrigin ?? 'no replay origin'];
  return requested.filter(
    (address) =>
      !own.some((origin) => address.startsWith(`${origin}/`)) && !/^(data|blob|about):/.test(address),
  );
}

describe('replay of a captured page in the item viewer', () => {
  it('shows the captured post from its WARC with the site stopped, saying it is the archive, with no request leaving the app', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await openReplay('رحلات إلى إيطاليا');
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
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await ui.screenshot('24-item-replay-dark');
    await page.getByRole('button', { name: 'Light theme' }).click();

    // The page came with the replay's own policy, which allows the replay origin alone.
    const post = [...replayedPolicies].find(([address]) => address.endsWith(`mp_/${site.url('/post.html')}`));
    expect(await post?.[1]).toBe(REPLAYED_PAGE_CSP);
    expect(requestsElsewhere()).toEqual([]);
    expect(requested.some((address) => address.startsWith(`${ui.harness.replayOrigin}/warc/`))).toBe(true);
    expect(tripwireHits).toEqual([]);
  });

  it('keeps a replayed page’s every attempt to reach a loopback listener inside the archive', async () => {
    await openReplay('Leaky page');
    await replayedPage().getByText('Leaky page text').waitFor({ timeout: 60_000 });
    // The page's script ran in the replay, and each of its attempts has failed or been answered.
    await replayedPage().getByText('every attempt settled').waitFor({ timeout: 30_000 });
    expect(listenerHits).toEqual([]);
    expect(tripwireHits).toEqual([]);
    expect(requestsElsewhere()).toEqual([]);
  });

  it('says an item without a WARC has nothing to replay, instead of showing an empty frame', async () => {
    await openReplay('Visible area of the feed');
    await page.getByText('This item holds no web archive (WARC), so there is nothing to replay.').waitFor();
    expect(await page.locator('iframe.replay-frame').count()).toBe(0);
    await ui.screenshot('25-item-replay-no-warc');
  });
});
