/**
 * Text read in a picture of a captured page, in real Chromium through the harness: the capture of
 * a page whose phone number is only inside an image (fixture site on 127.0.0.1, real capture into
 * a real store) offers that image as a tab of the item viewer, read from the capture's WARC, with
 * the lines read drawn over it and the selector's line highlighted; the entity says it came from
 * that picture, with its URL. The image's recognised text is given as the OCR deriver stores it
 * (test/support/picture-reading.ts says why). Screenshots under test-results/ui/.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureUrls } from '../../electron/core/capture/capture-service.js';
import { replaceItemPictureText } from '../../electron/core/ocr/ocr-queries.js';
import { addSelector } from '../../electron/core/selectors/selector-service.js';
import { FIXTURE_SITE, type FixtureServer, startFixtureServer } from '../support/fixture-server.js';
import { UiSession } from './support/ui-session.js';

let ui: UiSession;
let page: Page;
let server: FixtureServer;
const image = fs.readFileSync(path.join(FIXTURE_SITE, 'img', 'crossing-number.png'));

beforeAll(async () => {
  server = await startFixtureServer();
  ui = await UiSession.start();
  page = ui.page;
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    const caseId = store.createCase({ number: 'LY-9', title: 'Numbers in pictures' }).id;
    addSelector(store, { value: '+218 91 234 5678', label: 'broker' });
    const outcome = await captureUrls(store, {
      urls: [new URL(server.url('/ads/number-in-picture.html'))],
      caseRef: 'LY-9',
    });
    expect(outcome.failures.map((f) => f.error.message)).toEqual([]);
    const itemId = outcome.items[0]!.id;
    store.transaction((db) =>
      replaceItemPictureText(
        db,
        { id: itemId, caseId },
        {
          pictures: [
            {
              sha256: crypto.createHash('sha256').update(image).digest('hex'),
              role: 'page-image',
              uri: server.url('/img/crossing-number.png'),
              width: 720,
              height: 300,
              lines: [
                { text: 'Lampedusa crossing', confidence: 95, box: { x0: 105, y0: 55, x1: 615, y1: 98 } },
                {
                  text: 'WhatsApp +218 91 234 5678',
                  confidence: 93,
                  box: { x0: 2, y0: 135, x1: 718, y1: 178 },
                },
              ],
            },
          ],
          scan: { pictures: 3, read: 1, skipped: 0, note: null },
        },
      ),
    );
  });
}, 240_000);

afterAll(async () => {
  await ui?.close();
  await server?.close();
});

describe('text read in a picture of a captured page', () => {
  it('shows the page’s picture from the WARC as a tab, with the lines read over it and the selector’s line highlighted', async () => {
    await page.getByRole('button', { name: /LY-9/ }).click();
    await page.locator('.table-row', { hasText: 'Crossings this week' }).dblclick();
    const viewer = page.getByRole('region', { name: 'Item viewer' });
    await viewer.getByRole('tab', { name: 'Page image · crossing-number.png' }).click();
    await viewer
      .locator(`img[alt="Picture of the captured page: ${server.url('/img/crossing-number.png')}"]`)
      .waitFor();
    const lines = viewer.getByRole('list', { name: 'Lines read on the picture' }).getByRole('listitem');
    await expect.poll(() => lines.count()).toBe(2);
    expect(await lines.nth(1).getAttribute('class')).toBe('ocr-box hit');
    expect(await lines.nth(0).getAttribute('class')).toBe('ocr-box');
    const entities = page.getByRole('region', { name: /entities found/ });
    const origin = entities.locator('.entity-row', { hasText: 'Phone numbers' }).locator('.picture-origin');
    expect(await origin.textContent()).toBe('from a picturecrossing-number.png, box 2,135–718,178');
    expect(await origin.getAttribute('title')).toContain(server.url('/img/crossing-number.png'));
    await ui.screenshot('selectors-06-page-image');
  });
});
