/**
 * While a capture runs, the capture bar's Capture button and the batch dialog's × do as every
 * other running button of the window (`RunningButton`): aria-disabled and aria-busy, not
 * disabled, so that the keyboard keeps its place on them and a screen reader says the work is
 * under way; a press meanwhile does nothing (no second capture, no closed dialog). Each capture
 * call is held by the test until it has looked. Real Chromium through the loopback harness to a
 * real store, capturing a page served on 127.0.0.1.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixturePages, serveFixturePages } from './support/fixture-page.js';
import { focusedElement, watchFocusOnBody } from './support/focused-element.js';
import { countCalls, holdCalls } from './support/hold-calls.js';
import { UiSession } from './support/ui-session.js';

const CASE = 'BE-2026-0142';

let ui: UiSession;
let page: Page;
let site: FixturePages;

beforeAll(async () => {
  site = await serveFixturePages();
  ui = await UiSession.start();
  page = ui.page;
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    store.createCase({ number: CASE, title: 'Boat crossings advertised on Facebook' });
  });
  await page.getByRole('button', { name: new RegExp(CASE) }).click();
  await page.getByText('No evidence in this case yet').waitFor();
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await site?.close();
});

describe('the capture bar’s Capture button', () => {
  it('keeps the keyboard’s focus while its capture runs (never on the page body), says it is busy, and a second Enter sends nothing', async () => {
    await page.getByLabel('Address to capture').fill(site.listingUrl);
    const button = page.locator('.capture-bar button[type="submit"]');
    await button.focus();
    const release = await holdCalls(page, 'captureUrls');
    const sent = countCalls(page, 'captureUrls');
    const onBody = await watchFocusOnBody(page);
    try {
      await page.keyboard.press('Enter');
      await expect.poll(sent.count).toBe(1);
      await page.locator('.capture-status').waitFor();
      // Running and marked so, yet where the keyboard is: before, disabled, the focus fell to the body.
      expect(await focusedElement(page)).toBe('button.btn.primary "Capture"');
      expect(await button.getAttribute('aria-disabled')).toBe('true');
      expect(await button.getAttribute('aria-busy')).toBe('true');
      await ui.screenshotOf(page.locator('.capture-bar'), 'running-capture-button');
      await page.keyboard.press('Enter');
      await button.click({ force: true });
    } finally {
      await release();
    }
    await page.getByTestId('capture-digest').waitFor({ timeout: 120_000 });
    await expect.poll(() => button.getAttribute('aria-busy')).toBeNull();
    // Captured, the address is emptied for the next one (Capture has nothing to act on): the
    // keyboard goes there, not to the page's body.
    expect(await focusedElement(page)).toBe('input "Address to capture"');
    expect(await onBody.stop()).toBe(0);
    expect(sent.count()).toBe(1);
    sent.stop();
  }, 180_000);
});

describe('the batch dialog’s ×', () => {
  it('is reached by Tab while the batch runs, says it is busy, keeps the focus and does not close the dialog when pressed', async () => {
    await page.getByRole('button', { name: 'Batch capture…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Batch capture' });
    await dialog.getByLabel('Addresses, one per line').fill(site.listingUrl);
    const release = await holdCalls(page, 'captureUrls');
    const close = dialog.getByRole('button', { name: 'Close', exact: true }).first();
    let onBody: { stop(): Promise<number> } | null = null;
    try {
      await dialog.getByRole('button', { name: 'Capture 1 address' }).click();
      const cancel = dialog.getByRole('button', { name: 'Cancel the rest' });
      await cancel.waitFor();
      await cancel.focus();
      onBody = await watchFocusOnBody(page);
      // Before, disabled, the × was out of the dialog's Tab cycle: Shift+Tab stayed on Cancel.
      await page.keyboard.press('Shift+Tab');
      expect(await focusedElement(page)).toBe('button.btn.icon.dialog-close "Close"');
      expect(await close.getAttribute('aria-disabled')).toBe('true');
      expect(await close.getAttribute('aria-busy')).toBe('true');
      await ui.screenshotOf(dialog, 'running-batch-dialog-close');
      await page.keyboard.press('Enter');
      expect(await dialog.isVisible()).toBe(true);
      expect(await cancel.isVisible()).toBe(true);
      expect(await focusedElement(page)).toBe('button.btn.icon.dialog-close "Close"');
    } finally {
      await release();
    }
    await dialog.getByText('1 captured, 0 failed.').waitFor({ timeout: 120_000 });
    await expect.poll(() => close.getAttribute('aria-busy')).toBeNull();
    expect(await close.getAttribute('aria-disabled')).toBeNull();
    expect(await onBody?.stop()).toBe(0);
    // Done, the same × closes the dialog.
    expect(await focusedElement(page)).toBe('button.btn.icon.dialog-close "Close"');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
  }, 180_000);
});
