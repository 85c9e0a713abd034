/**
 * A text file saved as UTF-16 with its byte-order mark (Notepad's "Unicode", many Windows chat
 * exports), and one in UTF-32, in the app's item viewer, in real Chromium through the harness: shown as its text,
 * decoded by the mark as search and the report read it, not as UTF-8 with a NUL between letters.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { utf32Bytes } from '../support/utf32.js';
import { UiSession } from './support/ui-session.js';

let ui: UiSession;
let page: Page;

const CHAT = '[03/12/2026 21:14] Karim: the boat leaves Tuesday 03:00 — القارب يغادر الثلاثاء\r\n';

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CHAT, 'utf16le')]);
  const utf32be = utf32Bytes(CHAT, false);
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    store.createCase({ number: 'BE-2026-0142', title: 'Boat crossings advertised on Facebook' });
    await importFile(store, 'BE-2026-0142', ui.writeFile('chat-unicode.txt', utf16le));
    await importFile(store, 'BE-2026-0142', ui.writeFile('chat-utf32.txt', utf32be));
  });
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

describe('a UTF-16 text file in the item viewer', () => {
  it('shows the text decoded by its byte-order mark: no mark, no NUL between letters', async () => {
    await page.getByRole('button', { name: /BE-2026-0142/ }).click();
    await page.locator('.table-row', { hasText: 'chat-unicode.txt' }).dblclick();
    const shown = page.locator('pre.viewer-text');
    await shown.waitFor();
    const text = await shown.textContent();
    expect(text).toBe(CHAT);
    await ui.screenshot('84-text-viewer-utf16');
  });

  it("shows a UTF-32 file (which the window's TextDecoder does not offer) as its text too", async () => {
    await page.keyboard.press('Escape');
    await page.locator('.table-row', { hasText: 'chat-utf32.txt' }).dblclick();
    const shown = page.locator('pre.viewer-text');
    await expect.poll(() => shown.textContent()).toBe(CHAT);
  });
});
