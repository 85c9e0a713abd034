/**
 * The custody log of a case with 100,000 entries opens at once and scrolls to either end: the
 * screen asks the service for the pages in view, never for the whole ledger.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLedger } from '../support/seed-ledger.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { UiSession } from './support/ui-session.js';

const SEEDED = 100_000;

let temp: TempStore;
let ui: UiSession;
let page: Page;
let head = 0;

beforeAll(async () => {
  temp = makeTempStore({ caseNumber: 'BE-2026-0777' });
  head = seedLedger(temp, SEEDED);
  ui = await UiSession.start({ storeDir: temp.dir });
  page = ui.page;
}, 180_000);

afterAll(async () => {
  await ui?.close();
  temp?.remove();
});

const count = () => page.getByTestId('custody-count').textContent();
const firstSeq = () => page.locator('.table-row[data-seq]').first().getAttribute('data-seq');

describe('a case with 100,000 custody entries', () => {
  it('opens its custody log with the count and the first entries, asking only for pages in view', async () => {
    const asked: number[] = [];
    page.on('request', (request) => {
      if (!request.url().endsWith('/api/queryLedger')) return;
      const body = JSON.parse(request.postData() ?? '{}') as { limit?: number };
      asked.push(body.limit ?? 0);
    });
    await page.locator('.case-row', { hasText: 'BE-2026-0777' }).click();
    await page.keyboard.press('Alt+3');
    await page.getByRole('heading', { name: 'Custody log' }).waitFor();
    await expect.poll(count, { timeout: 30_000 }).toBe('100,001 entries');
    await page.locator('.table-row', { hasText: 'Case created' }).waitFor();
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((limit) => limit <= 100)).toBe(true);
    await ui.screenshot('20-custody-100k');
  }, 60_000);

  it('jumps to the last entry with End, and shows the newest first when asked', async () => {
    await page.locator('section.vlist').focus();
    await page.keyboard.press('End');
    await page.locator(`.table-row[data-seq="${head}"]`).waitFor({ timeout: 30_000 });
    await page.getByLabel('Order').selectOption('newest');
    await expect.poll(firstSeq, { timeout: 30_000 }).toBe(String(head));
    expect(await count()).toBe('100,001 entries');
  }, 60_000);

  it('filters on the service: a tag search counts the matches without loading them', async () => {
    await page.getByLabel('Filter entries').fill('tag added');
    await expect.poll(count, { timeout: 30_000 }).toBe('20,000 entries');
    expect(await page.locator('.table-row[data-seq]').first().textContent()).toContain('Tag added');
    await page.getByLabel('Filter entries').fill('');
    await expect.poll(count, { timeout: 30_000 }).toBe('100,001 entries');
  }, 60_000);
});
