/**
 * Text from outside shown in a tooltip, a screen reader's label or a panel's line, each from the
 * one list of shared/untrusted-text.ts like the rest of the window: a right-to-left override
 * (U+202E: `seat‮gnp.exe` reads as `seatexe.png`) and tag characters (text no one sees) drawn as
 * their code points. The places: a photo's metadata (the editor its XMP names), the lines read in it (the panel,
 * the picture's name and address, and the boxes over the picture: their tooltip and their label for
 * a screen reader), and a custody entry's subject (a received bundle's timestamp names what it
 * covers). Real Chromium through the loopback harness to a real store; screenshots under
 * test-results/ui/.
 */
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { replaceItemPictureText } from '../../electron/core/ocr/ocr-queries.js';
import { makePhoto } from '../support/photos.js';
import { tagCharacters } from '../support/tag-characters.js';
import { UiSession } from './support/ui-session.js';

const CASE = 'LY-2026-31';

/** Text written in tag characters: invisible, one tag per ASCII character. */
const tags = tagCharacters;

/** A string that reads `seatexe.png` drawn raw, with "hi" hidden after it. */
const HOSTILE = `seat\u202Egnp.exe${tags('hi')}`;
const SHOWN = 'seat⟨U+202E⟩gnp.exe⟨U+E0068⟩⟨U+E0069⟩';
/** A picture's address on a page, its file name hostile. */
const URI = `http://127.0.0.1:9/img/${HOSTILE}`;
const URI_SHOWN = `http://127.0.0.1:9/img/${SHOWN}`;

let ui: UiSession;
let page: Page;

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    const caseId = store.createCase({ number: CASE, title: 'Seats sold' }).id;
    // The editor an XMP packet names (UTF-8: EXIF's ASCII fields cannot carry these characters).
    const xmp = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="${HOSTILE}"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
    const photo = await sharp(await makePhoto(3))
      .withXmp(xmp)
      .jpeg()
      .toBuffer();
    const item = await importFile(store, CASE, ui.writeFile('boat.jpg', photo));
    const picture = item.artifacts[0]!;
    store.transaction((db) => {
      replaceItemPictureText(
        db,
        { id: item.id, caseId },
        {
          pictures: [
            {
              sha256: picture.sha256,
              role: 'original',
              uri: URI,
              width: 640,
              height: 480,
              lines: [{ text: HOSTILE, confidence: 90, box: { x0: 20, y0: 20, x1: 400, y1: 80 } }],
            },
          ],
          scan: { pictures: 1, read: 1, skipped: 0, note: null },
        },
      );
      // As a received bundle's timestamp records what it covers: a name the bundle chose.
      store.appendInTransaction(db, {
        action: 'timestamp.granted',
        caseId,
        subject: HOSTILE,
        details: { tsa: 'Test TSA' },
      });
    });
  });
  await page.getByRole('button', { name: new RegExp(CASE) }).click();
  await page.locator('.table-row', { hasText: 'boat.jpg' }).dblclick();
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

describe('a photo whose EXIF and recognised text hold an override and tag characters', () => {
  it('the media metadata panel shows the editor its XMP names with its code points', async () => {
    const media = page.getByRole('region', { name: 'Media metadata' });
    await media.waitFor();
    const tool = media.locator('tr', { has: page.locator('th', { hasText: 'Creator tool' }) }).locator('td');
    expect(await tool.innerText()).toBe(SHOWN);
  });

  it('the panel of text read shows the line, the picture’s name and address, and names the list so to a screen reader', async () => {
    const panel = page.getByRole('region', { name: 'Text read in 1 picture' });
    await panel.waitFor();
    const list = panel.locator('ol.picture-lines');
    expect(await list.getAttribute('aria-label')).toBe(`Lines read in ${SHOWN}`);
    expect(await list.locator('li').innerText()).toBe(SHOWN);
    const name = panel.locator('.picture-text-block > div').first();
    expect(await name.innerText()).toBe(SHOWN);
    expect(await name.getAttribute('title')).toBe(URI_SHOWN);
    await ui.screenshotOf(panel, 'outside-text-picture-panel');
  });

  it('the box over the picture gives the line with its code points as its tooltip and its label', async () => {
    const box = page.locator('.ocr-overlay .ocr-box').first();
    await box.waitFor({ state: 'attached' });
    expect(await box.getAttribute('title')).toBe(`${SHOWN} (90%)`);
    expect(await box.getAttribute('aria-label')).toBe(SHOWN);
  });
});

describe('a custody entry whose subject holds an override and tag characters', () => {
  it('shows the subject, and its tooltip, with the code points', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Alt+3');
    await page.getByRole('heading', { name: 'Custody log' }).waitFor();
    const row = page.locator('.table-row', { hasText: SHOWN });
    await row.waitFor();
    const subject = row.locator('.cell').last().locator('xpath=preceding-sibling::span[1]');
    expect(await subject.innerText()).toBe(SHOWN);
    expect(await subject.getAttribute('title')).toBe(SHOWN);
    await ui.screenshotOf(row, 'outside-text-custody');
  });
});
