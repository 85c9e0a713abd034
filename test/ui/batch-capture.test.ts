/**
 * Batch capture in the app, in real Chromium through the harness to the real services: a pasted
 * list of four lines, two of them not addresses, captures the two pages of the fixture site and
 * names the two lines with their reason; the dialog ends with its summary, never stuck; the new
 * items' timestamp badges turn to Stamped when the store's authority (OpenSSL on 127.0.0.1) has
 * answered; the lines that were not captured are still in the list when the dialog is reopened.
 * Screens are saved under test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../support/fixture-server.js';
import { localTsaForTests, trustAndAskLocalTsa } from '../support/local-tsa.js';
import { UiSession } from './support/ui-session.js';

const CASE_NUMBER = 'BE-2026-0142';
const localTsa = localTsaForTests();

let ui: UiSession;
let page: Page;
let site: FixtureServer;
let lines: string[];

beforeAll(async () => {
  site = await startFixtureServer();
  ui = await UiSession.start();
  page = ui.page;
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    store.createCase({ number: CASE_NUMBER, title: 'Boat crossings advertised on Facebook' });
    trustAndAskLocalTsa(store, localTsa());
  });
  lines = [site.url('/post.html'), 'not a url', site.url('/feed.html'), 'javascript:alert(1)'];
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await site?.close();
});

describe('batch capture with bad lines', () => {
  it('captures the two pages, names the two bad lines with their reason, and ends with its summary', async () => {
    await page.getByRole('button', { name: new RegExp(CASE_NUMBER) }).click();
    await page.getByRole('button', { name: 'Batch capture…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Batch capture' });
    await dialog.getByLabel('Addresses, one per line').fill(lines.join('\n'));
    await dialog.getByRole('button', { name: 'Capture 4 addresses' }).click();
    await dialog.getByText('2 captured, 2 failed.').waitFor({ timeout: 180_000 });
    const row = (line: string) => dialog.locator('.batch-row', { hasText: line });
    expect(await row(lines[0]!).getAttribute('data-status')).toBe('done');
    expect(await row(lines[2]!).getAttribute('data-status')).toBe('done');
    expect(await row('not a url').getAttribute('data-status')).toBe('failed');
    expect(await row('not a url').textContent()).toContain('"not a url" is not a valid URL');
    expect(await row('javascript:alert(1)').getAttribute('data-status')).toBe('failed');
    expect(await row('javascript:alert(1)').textContent()).toContain(
      'only http:// and https:// pages can be captured',
    );
    await ui.screenshot('30-batch-capture-bad-lines');
  }, 200_000);

  it('shows the two captures stamped by the authority once it has answered', async () => {
    await page
      .getByRole('dialog', { name: 'Batch capture' })
      .getByRole('button', { name: 'Close', exact: true })
      .last()
      .click();
    const stamped = page.locator('.table-row', { hasText: 'Stamped' });
    await expect.poll(() => stamped.count(), { timeout: 60_000 }).toBe(2);
    expect(await page.locator('.table-row').count()).toBe(2);
    await ui.screenshot('31-batch-capture-stamped');
  }, 90_000);

  it('keeps the lines that were not captured when the dialog is reopened', async () => {
    await page.getByRole('button', { name: 'Batch capture…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Batch capture' });
    expect(await dialog.getByLabel('Addresses, one per line').inputValue()).toBe(
      'not a url\njavascript:alert(1)',
    );
    await ui.screenshot('32-batch-capture-kept-lines');
    await dialog.getByRole('button', { name: 'Clear the list' }).click();
    expect(await dialog.getByLabel('Addresses, one per line').inputValue()).toBe('');
  });
});
