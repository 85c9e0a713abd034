/**
 * The Watched URLs screen through the browser harness: adding a watch to the open case, checking it
 * now, its timeline with links to the items proving each state, and the navigation's badge once a
 * watched URL is found removed. Screenshots under test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWatchSite, type WatchSite } from '../support/watch-site.js';
import { focusedElement, watchFocusOnBody } from './support/focused-element.js';
import { countCalls, holdCalls } from './support/hold-calls.js';
import { UiSession } from './support/ui-session.js';

let ui: UiSession;
let site: WatchSite;
let page: Page;

beforeAll(async () => {
  site = await startWatchSite();
  ui = await UiSession.start();
  page = ui.page;
  await page.getByLabel('Investigator name').fill('Ana Ruiz');
  await page.getByRole('button', { name: 'Create profile and key' }).click();
  await page.getByLabel('Case number').fill('BE-2026-0142');
  await page.getByLabel('Title', { exact: true }).fill('Boat crossings advertised on Facebook');
  await page.getByRole('button', { name: 'Create case' }).click();
  await page.getByText('No evidence in this case yet').waitFor();
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await site?.stop();
});

const timeline = () => page.getByRole('table', { name: `State history of ${site.postUrl}` });

describe('the Watched URLs screen', () => {
  it('refuses a bad interval, saying what to write, and adds nothing', async () => {
    await page.getByRole('button', { name: /^Watches/ }).click();
    await page.getByLabel('Address to watch').fill(site.postUrl);
    await page.getByLabel('Check every').fill('hourly');
    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    // The refusal's alert is put on the page empty, its text a frame later (LiveRegion): waited for.
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/e\.g\. 30m, 6h, 1d/);
    expect(await page.getByText('Nothing is watched yet.').isVisible()).toBe(true);
  });

  it('with the interval emptied, Enter says how often to check first, as for an empty address, and adds nothing', async () => {
    const every = page.getByLabel('Check every');
    await every.fill('');
    await every.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: 'Enter how often to check first: a number and m, h, d or w (30m, 6h, 1d).' })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Watch', exact: true }).getAttribute('aria-disabled')).toBe(
      'true',
    );
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByText('Nothing is watched yet.').isVisible()).toBe(true);
  });

  it('adds a watch, checks it now and shows the live state with a link to the item proving it', async () => {
    await page.getByLabel('Check every').fill('6h');
    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    await page.getByRole('heading', { name: site.postUrl }).waitFor();
    await page.getByRole('button', { name: 'Check now' }).click();
    await timeline().waitFor({ timeout: 120_000 });
    expect(await timeline().locator('tbody tr').first().textContent()).toMatch(
      /live.*first capture.*Open item/,
    );
  }, 150_000);

  it('Check now pressed from the keyboard keeps the focus while the check runs (never the page’s body; a second Enter checks nothing more), and is pressable again once it is done', async () => {
    const checkNow = page.getByRole('button', { name: 'Check now' });
    await checkNow.focus();
    const sent = countCalls(page, 'runWatches');
    const release = await holdCalls(page, 'runWatches');
    const onBody = await watchFocusOnBody(page);
    try {
      await page.keyboard.press('Enter');
      await expect.poll(sent.count).toBe(1);
      const checking = page.getByRole('button', { name: 'Checking…' });
      // Busy, and said so, yet still where the keyboard is: before, it was disabled and the focus fell to the body.
      await expect.poll(() => focusedElement(page)).toBe('button.btn "Checking…"');
      expect(await checking.getAttribute('aria-disabled')).toBe('true');
      await page.keyboard.press('Enter');
      await ui.screenshot('41-watch-checking');
    } finally {
      await release();
    }
    await expect.poll(() => focusedElement(page), { timeout: 120_000 }).toBe('button.btn "Check now"');
    expect(await onBody.stop()).toBe(0);
    expect(sent.count()).toBe(1); // the second Enter, while it checked, asked for nothing
    sent.stop();
    expect(await checkNow.getAttribute('aria-disabled')).toBeNull();
  }, 150_000);

  it('shows a removal at the top of the timeline, and a badge on the navigation', async () => {
    site.mode = 'removal-notice';
    await page.getByRole('button', { name: 'Check now' }).click();
    await timeline().locator('tbody tr').first().getByText('removed').waitFor({ timeout: 120_000 });
    expect(await timeline().locator('tbody tr').first().textContent()).toMatch(
      /removal notice: "This content isn't available right now"/,
    );
    await page.getByRole('status', { name: '1 watched URL removed' }).waitFor();
    await ui.screenshot('40-watched-urls');
  }, 150_000);

  it('opens the item that proves a state', async () => {
    await timeline()
      .locator('tbody tr')
      .first()
      .getByRole('button', { name: /Open item/ })
      .click();
    await page.getByText('Facebook').first().waitFor();
    await ui.screenshot('41-watched-url-item');
  });
});
