import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adPicture, importAdWithReading } from '../support/picture-reading.js';
import { focusedElement, watchFocusOnBody } from './support/focused-element.js';
import { countCalls, holdCalls } from './support/hold-calls.js';
import { UiSession } from './support/ui-session.js';

/**
 * Dismissing a number read in a picture, on the item screen, in real Chromium through the loopback
 * harness to a real store: its Confirm… and Dismiss buttons go once the list shows it decided, and
 * the focus must not fall to the page's body with them (a keyboard user would start over from the
 * top), nor while the dismissal is saved. Screenshots under test-results/ui/.
 */

let ui: UiSession;
let page: Page;

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  const picture = ui.writeFile('boat-ad.png', await adPicture());
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police, Unit 3' }, async (store) => {
    store.createCase({ number: 'LY-2026-02', title: 'Zuwara crossings' });
    await importAdWithReading(store, 'LY-2026-02', picture);
  });
  await page.getByRole('button', { name: /LY-2026-02/ }).click();
  await page.getByText('boat-ad.png').first().dblclick();
  await page.getByRole('heading', { name: 'boat-ad.png' }).waitFor();
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

describe('a number read in a picture, dismissed', () => {
  it('from the keyboard keeps the focus on its Dismiss button while the save runs (never the page’s body; a second Enter sends nothing), then gives it to the list’s heading, none being left to check, and a polite status says what was dismissed', async () => {
    const candidates = page.getByRole('region', { name: '1 number read in a picture, to check' });
    const dismiss = candidates.getByRole('button', { name: 'Dismiss' });
    await dismiss.focus();
    const sent = countCalls(page, 'dismissCandidate');
    const release = await holdCalls(page, 'dismissCandidate');
    const onBody = await watchFocusOnBody(page);
    try {
      await page.keyboard.press('Enter');
      await expect.poll(sent.count).toBe(1);
      // Busy, and said so, yet still where the keyboard is: before, it was disabled and the focus fell to the body.
      await expect.poll(() => dismiss.getAttribute('aria-disabled')).toBe('true');
      expect(await focusedElement(page)).toBe('button.btn.small "Dismiss"');
      await page.keyboard.press('Enter');
      await ui.screenshot('candidate-dismiss-saving');
      expect(await focusedElement(page)).toBe('button.btn.small "Dismiss"');
    } finally {
      await release();
    }
    await page.getByText(/^Dismissed by Ana Ruiz/).waitFor();
    await expect.poll(() => focusedElement(page)).toBe('h4 "1 number read in a picture, to check"');
    expect(await onBody.stop()).toBe(0);
    expect(sent.count()).toBe(1); // the second Enter, while it saved, asked for nothing
    sent.stop();
    await page
      .getByRole('status')
      .filter({ hasText: /^The reading ۰۹۱۲۳۴۵۶۷۸۰ dismissed\. No number left to check\.$/ })
      .waitFor({ state: 'attached' });
    await ui.screenshot('candidate-dismissed');
  }, 90_000);
});
