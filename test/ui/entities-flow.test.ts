/**
 * Entities in the app, in real Chromium through the loopback harness: the case's entity panel
 * grouped by type with the cross-case flag, "all items that mention this" across cases, and the
 * entities of an item. Screens are saved under test-results/ui/ to be looked at.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { UiSession } from './support/ui-session.js';

const LIBYAN_AD = `رحلة من زوارة إلى لامبيدوزا كل جمعة — ليبيا
السعر ٥٠٠٠ يورو للشخص، الأطفال ألفين يورو
للتواصل واتساب wa.me/218912345678 أو تلغرام @zuwara_trips
هاتف: ٠٩٢٣٤٥٦٧٨٩
الدفع USDT TRC20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t
IBAN LY83 0020 4800 0020 1001 2036 1
`;
const ITALIAN_CHAT = `[12/05/2024, 21:14] Omar: il nuovo numero libico è +218 92 345 6789
[12/05/2024, 21:15] Omar: paga 3.500 € su IT60 X054 2811 1010 0000 0123 456
`;

let ui: UiSession;
let page: Page;

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police, Unit 3' }, async (store) => {
    const libya = store.createCase({ number: 'LY-2026-01', title: 'Zuwara crossings' }).id;
    const italy = store.createCase({ number: 'IT-2026-07', title: 'Chats seized in Agrigento' }).id;
    await importFile(store, libya, ui.writeFile('zuwara-ad.txt', LIBYAN_AD));
    await importFile(store, italy, ui.writeFile('chat-export.txt', ITALIAN_CHAT));
  });
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

describe('entities in the app', () => {
  it('the entity panel groups a case’s entities by type with counts, and flags one another case mentions', async () => {
    await page.getByRole('button', { name: /LY-2026-01/ }).click();
    await page.getByRole('button', { name: /^Entities/ }).click();
    await page.getByRole('heading', { name: 'Phone numbers' }).waitFor();
    const headings = await page.locator('.entity-groups h3').allTextContents();
    expect(headings).toEqual([
      'Phone numbers',
      'WhatsApp',
      'Telegram',
      'IBANs',
      'TRON (USDT) wallets',
      'Prices',
    ]);
    const phone = page.locator('.entity-row', { hasText: '+218923456789' });
    await expect.poll(() => phone.textContent()).toContain('Cross-case: IT-2026-07');
    expect(await phone.locator('.entity-value').getAttribute('dir')).toBe('ltr');
    expect(await phone.locator('.entity-written').textContent()).toBe('٠٩٢٣٤٥٦٧٨٩');
    const whatsapp = page.locator('.entity-row', { hasText: '+218912345678' });
    expect(await whatsapp.textContent()).not.toContain('Cross-case');
    await ui.screenshot('entities-01-case-panel');
  });

  it('clicking an entity lists every item that mentions it, in every case', async () => {
    await page.locator('.entity-row', { hasText: '+218923456789' }).click();
    await page.getByRole('heading', { name: /Items that mention/ }).waitFor();
    await expect.poll(() => page.locator('.mentions-table tbody tr').count()).toBe(2);
    const cases = await page.locator('.mentions-table tbody tr td:first-child').allTextContents();
    expect(cases).toEqual(['IT-2026-07', 'LY-2026-01']);
    expect(await page.locator('.mentions-table tbody').textContent()).toContain('+218 92 345 6789');
    await ui.screenshot('entities-02-mentions');
  });

  it('an item of the other case opens in its case and shows its own entities, flagged', async () => {
    await page.getByRole('button', { name: 'chat-export.txt' }).click();
    await page.getByRole('heading', { name: /entities found/ }).waitFor();
    expect(await page.locator('.sidebar-case .number').textContent()).toBe('IT-2026-07');
    const panel = page.locator('section[aria-labelledby="item-entities-head"]');
    await expect.poll(() => panel.locator('.entity-row').count()).toBe(3);
    expect(await panel.locator('.entity-row', { hasText: '+218923456789' }).textContent()).toContain(
      'Cross-case: LY-2026-01',
    );
    await ui.screenshot('entities-03-item');
  });
});
