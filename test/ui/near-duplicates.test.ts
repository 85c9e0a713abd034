/**
 * Near-duplicate pictures and photo metadata in the app, in real Chromium through the harness: a
 * phone photo imported into one case, a re-encoded copy into another; the item screen shows the
 * photo's camera and GPS position and the copy as a similar image; the case's near-duplicate screen
 * shows the group across both cases. Screens are saved under test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { makePhoto, PHONE_EXIF, repost } from '../support/photos.js';
import { UiSession } from './support/ui-session.js';

let ui: UiSession;
let page: Page;

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  // The store as an investigator would have it after two imports in two cases (and the hashing that follows).
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    store.createCase({ number: 'BE-2026-0142', title: 'Boat crossings advertised on Facebook' });
    store.createCase({ number: 'IT-2026-0077', title: 'Lampedusa arrivals' });
    const boat = await makePhoto(1, { exif: PHONE_EXIF });
    await importFile(store, 'BE-2026-0142', ui.writeFile('IMG_0412.JPG', boat));
    await importFile(store, 'BE-2026-0142', ui.writeFile('dinghy.jpg', await makePhoto(7)));
    await importFile(store, 'IT-2026-0077', ui.writeFile('repost-from-telegram.jpg', await repost(boat)));
  });
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

describe('near-duplicate images and media metadata in the app', () => {
  it('shows a photo’s camera, original time with offset and GPS coordinates, and its copy in another case', async () => {
    await page.getByRole('button', { name: /BE-2026-0142/ }).click();
    await page.locator('.table-row', { hasText: 'IMG_0412.JPG' }).dblclick();
    const media = page.getByRole('region', { name: 'Media metadata' });
    await media.waitFor();
    const text = await media.textContent();
    expect(text).toContain('Apple iPhone 12');
    // Readable, yet exactly the camera's clock and offset as written (2024:05:01 in the file).
    expect(text).toContain('2024-05-01 14:32:10 (offset +03:00)');
    expect(text).toContain('32.891667, 13.179167');
    const similar = page.getByRole('region', { name: 'Similar images (1)' });
    await similar.waitFor();
    const tile = similar.locator('.picture-tile');
    expect(await tile.textContent()).toContain('IT-2026-0077');
    expect(await tile.textContent()).toContain('repost-from-telegram.jpg');
    await tile.locator('img[src^="data:image/"]').waitFor();
    await ui.screenshot('20-item-media-similar');

    await tile.click();
    await expect.poll(() => page.locator('.sidebar-case .number').textContent()).toBe('IT-2026-0077');
    await page.getByRole('heading', { name: 'repost-from-telegram.jpg' }).waitFor();
    await page.getByRole('region', { name: 'Similar images (1)' }).getByText('IMG_0412.JPG').waitFor();
  });

  it('lists the case’s near-duplicate groups, flagging the one that crosses cases', async () => {
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Near-duplicate images' }).click();
    const group = page.getByRole('region', { name: 'Group 1 · 2 items' });
    await group.waitFor();
    expect(await group.textContent()).toContain('Across cases BE-2026-0142, IT-2026-0077');
    await expect.poll(() => group.locator('img[src^="data:image/"]').count()).toBe(2);
    expect(await page.locator('.picture-tile').count()).toBe(2);
    await ui.screenshot('21-near-duplicate-groups');
  });
});
