/**
 * Photos inside captured pages in the app, in real Chromium through the harness: two accounts'
 * pages posting the same boat photo, captured into two cases; the item screen's Similar images
 * panel shows the other capture with the matching image's URL and a thumbnail made from the WARC.
 * Screens are saved under test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureUrls } from '../../electron/core/capture/capture-service.js';
import { type FixtureServer, startFixtureServer } from '../support/fixture-server.js';
import { UiSession } from './support/ui-session.js';

let ui: UiSession;
let page: Page;
let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer();
  ui = await UiSession.start();
  page = ui.page;
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    store.createCase({ number: 'BE-2026-0142', title: 'Boat crossings advertised on Facebook' });
    store.createCase({ number: 'IT-2026-0077', title: 'Lampedusa arrivals' });
    for (const [pathname, caseRef] of [
      ['/accounts/abu-salem.html', 'BE-2026-0142'],
      ['/accounts/sea-routes.html', 'IT-2026-0077'],
    ] as const) {
      const outcome = await captureUrls(store, { urls: [new URL(server.url(pathname))], caseRef });
      expect(outcome.failures.map((f) => f.error.message)).toEqual([]);
    }
  });
}, 240_000);

afterAll(async () => {
  await ui?.close();
  await server?.close();
});

describe('photos inside captured pages in the app', () => {
  it('shows the other account’s capture as a similar image, with the URL of its photo and a thumbnail', async () => {
    await page.getByRole('button', { name: /BE-2026-0142/ }).click();
    await page.locator('.table-row', { hasText: 'أبو سالم للسفريات' }).dblclick();
    const similar = page.getByRole('region', { name: 'Similar images (1)' });
    await similar.waitFor();
    const tile = similar.locator('.picture-tile');
    expect(await tile.textContent()).toContain('IT-2026-0077');
    expect(await tile.textContent()).toContain(server.url('/img/boat-repost.webp'));
    await tile.locator('img[src^="data:image/webp"]').waitFor();
    await ui.screenshot('22-item-similar-page-image');
  });
});
