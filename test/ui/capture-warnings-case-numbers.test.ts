/**
 * In real Chromium through the harness: a case number written with slashes (BE/2026/0457) is
 * accepted once the refusal of a bad one has gone, and the bundle's default file name is safe; a
 * capture of a page that answered 404 is a warning, not a green success, in the capture notice and
 * in the batch dialog. Screens at 1024×700 and 1440×900, light and dark, under test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixturePages, serveFixturePages } from './support/fixture-page.js';
import { screenshotsAtEverySize } from './support/screens.js';
import { UiSession } from './support/ui-session.js';

const CASE = 'BE/2026/0457';
let ui: UiSession;
let site: FixturePages;
let page: Page;

beforeAll(async () => {
  site = await serveFixturePages();
  ui = await UiSession.start();
  page = ui.page;
  await page.getByLabel('Investigator name').fill('Ana Ruiz');
  await page.getByRole('button', { name: 'Create profile and key' }).click();
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await site?.close();
});

describe('a case number with slashes', () => {
  it('is accepted, and the refusal of a bad number goes once it is corrected', async () => {
    await page.getByLabel('Case number').fill('BE 2026 0457');
    await page.getByLabel('Title', { exact: true }).fill('Crossings from Zuwara');
    await page.getByRole('button', { name: 'Create case' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('e.g. BE/2026/0457');
    await screenshotsAtEverySize(ui, 'case-01-number-refused');
    await page.getByLabel('Case number').fill(CASE);
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    await page.getByRole('button', { name: 'Create case' }).click();
    await page.getByText('No evidence in this case yet').waitFor();
    expect(await page.locator('.sidebar-case .number').textContent()).toBe(CASE);
  });

  it('gives the bundle a file name without the slashes', async () => {
    await page.keyboard.press('Alt+4');
    const out = page.getByLabel('Save the bundle as');
    await expect.poll(() => out.inputValue()).toMatch(/\/BE-2026-0457-\d{8}-\d{6}\.zip$/);
    await page.keyboard.press('Alt+2');
  });
});

describe('a capture of a removed page', () => {
  it('says the page may not show the content (HTTP 404), not "captured and sealed" in green', async () => {
    await page.getByLabel('Address to capture').fill(site.removedUrl);
    await page.getByRole('button', { name: 'Capture', exact: true }).click();
    const warning = page.locator('.notice.warn');
    await warning.waitFor({ timeout: 120_000 });
    expect(await warning.textContent()).toContain(
      'Captured and sealed, but the page may not show the content',
    );
    expect(await warning.textContent()).toContain('The server answered HTTP 404.');
    expect(await page.locator('.notice.good').count()).toBe(0);
    await screenshotsAtEverySize(ui, 'capture-01-removed-page-warning');
    await warning.getByRole('button', { name: /Dismiss/ }).click();
  }, 150_000);

  it('the batch dialog marks it with a warning and the good page as captured', async () => {
    await page.getByRole('button', { name: 'Batch capture…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Batch capture' });
    await dialog.getByLabel('Addresses, one per line').fill(`${site.listingUrl}\n${site.removedUrl}`);
    await dialog.getByRole('button', { name: 'Capture 2 addresses' }).click();
    await dialog
      .getByText('2 captured (1 may not show the content), 0 failed.')
      .waitFor({ timeout: 180_000 });
    const row = (url: string) => dialog.locator('.batch-row', { hasText: url });
    expect(await row(site.listingUrl).getAttribute('data-status')).toBe('done');
    expect(await row(site.removedUrl).getAttribute('data-status')).toBe('warning');
    expect(await row(site.removedUrl).textContent()).toContain('Captured: check it');
    expect(await row(site.removedUrl).locator('.warn-box').textContent()).toContain('HTTP 404');
    await screenshotsAtEverySize(ui, 'capture-02-batch-warning');
  }, 200_000);
});
