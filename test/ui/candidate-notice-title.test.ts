import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adPicture, importAdWithReading } from '../support/picture-reading.js';
import type { PageWithRanges } from './support/page-ranges.js';
import { UiSession } from './support/ui-session.js';

/**
 * The notice of a number read in a picture names its item by its title, else its source: text from
 * outside, which may hold a right-to-left override (U+202E). Set into the notice's sentence as it
 * is, the override turned everything after it around, the custody entry's number included ("#12"
 * read "21#"). In real Chromium through the loopback harness to a real store. Screenshots under
 * test-results/ui/.
 */

/** The file the ad is imported from: its name, the item's source, holds an override. */
const NAME = 'boat-ad\u202Egnp.png';
/** How the window shows that name (its heading, its row): the override as its code point. */
const SHOWN = 'boat-ad⟨U+202E⟩gnp.png';
let ui: UiSession;
let page: Page;

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  const picture = ui.writeFile(NAME, await adPicture());
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police, Unit 3' }, async (store) => {
    store.createCase({ number: 'LY-2026-04', title: 'Zuwara crossings' });
    await importAdWithReading(store, 'LY-2026-04', picture);
  });
  await page.getByRole('button', { name: /LY-2026-04/ }).click();
  await page.getByText(SHOWN).first().dblclick();
  await page.getByRole('heading', { name: SHOWN }).waitFor();
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

describe('a number read in a picture, dismissed, in an item whose name holds a bidi override', () => {
  it('the notice shows the override as its code point, and the custody entry after the name reads left to right', async () => {
    const candidates = page.getByRole('region', { name: '1 number read in a picture, to check' });
    await candidates.getByRole('button', { name: 'Dismiss' }).click();
    const notice = page.locator('.notice').filter({ hasText: 'Dismissed the reading' });
    await notice.waitFor();
    const title = notice.locator('.title');
    await ui.screenshot('candidate-notice-bidi-title');
    // As drawn: "custody" left of "entry", and the entry's digits in their order, left to right.
    const order = await title.evaluate((element) => {
      const text = element.firstChild as unknown as { textContent: string };
      const at = (word: string) => {
        const range = (globalThis as unknown as PageWithRanges).document.createRange();
        const start = text.textContent.lastIndexOf(word);
        range.setStart(text, start);
        range.setEnd(text, start + 1);
        return range.getBoundingClientRect().left;
      };
      return { custody: at('custody'), entry: at('entry'), hash: at('#') };
    });
    expect(order.custody).toBeLessThan(order.entry);
    expect(order.entry).toBeLessThan(order.hash);
    // Shown as elsewhere in the window (PathText): the override as its code point, nothing turned around.
    expect(await title.textContent()).toMatch(
      /^Dismissed the reading ۰۹۱۲۳۴۵۶۷۸۰ in boat-ad⟨U\+202E⟩gnp\.png; custody entry #\d+$/,
    );
  }, 90_000);
});
