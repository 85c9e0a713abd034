/**
 * The investigator at the keyboard, in real Chromium through the harness to the real services:
 * after the profile and after a new case the focus is on the next thing to do (never the page's
 * body); the evidence list is a grid whose active row is one tab stop, moved by the arrows with a
 * visible selection, extended with Shift, toggled with Space and opened with Enter; a click selects
 * and a double click opens; Export offers the list's selection; the batch dialog keeps the focus
 * (Tab cycles inside it), closes with Escape and gives the focus back to its button; and the
 * export path has a Browse button that goes through the shell's save dialog (in the harness, its
 * stand-in asks with a prompt). Screens are saved under test-results/ui/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { UiSession } from './support/ui-session.js';

/** A screen's focus and rows follow its data, which a loaded machine can take seconds to load. */
const SCREEN_DATA_WAIT = { timeout: 10_000 };

const CASE_NUMBER = 'BE-2026-0457';
const ITEMS = 40;

let ui: UiSession;
let page: Page;

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

/** An element as the page's callbacks read it (this file is compiled with Node's types). */
interface PageElement {
  readonly tagName: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
}

/** What has the focus: its role, its row index in the grid, and its accessible label or text. */
function focused() {
  return page.evaluate(() => {
    const element = (globalThis as unknown as { document: { activeElement: PageElement | null } }).document
      .activeElement;
    return {
      tag: element?.tagName.toLowerCase() ?? null,
      role: element?.getAttribute('role') ?? null,
      row: element?.getAttribute('data-row-index') ?? null,
      label: element?.getAttribute('aria-label') ?? null,
      text: element?.textContent?.trim().slice(0, 80) ?? '',
      inDialog: Boolean(element?.closest('[role="dialog"]')),
    };
  });
}

/** The row indexes the grid marks selected. */
async function selectedRows(): Promise<number[]> {
  const rows = page.locator('[role="row"][aria-selected="true"]');
  return (
    await rows.evaluateAll((list) => list.map((row) => Number(row.getAttribute('data-row-index'))))
  ).sort((a, b) => a - b);
}

describe('the investigator at the keyboard', () => {
  it('after the profile is created, the focus is on the new case form, not the page', async () => {
    await page.getByLabel('Investigator name').fill('Ana Ruiz');
    await page.getByLabel('Investigator name').press('Enter');
    await page.getByRole('heading', { name: 'Cases', level: 1 }).waitFor();
    await expect.poll(async () => (await focused()).tag, SCREEN_DATA_WAIT).toBe('input');
    expect(await page.getByLabel('Case number').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(
      true,
    );
  });

  it('after a case is created, the focus is on its first action: the address to capture', async () => {
    await page.keyboard.type(CASE_NUMBER);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Crossings advertised on Telegram');
    await page.keyboard.press('Enter');
    await page.getByText('No evidence in this case yet').waitFor();
    // The address becomes the first action once the case is known to be empty.
    await page.locator('main [data-autofocus]').waitFor();
    await expect.poll(async () => (await focused()).label, SCREEN_DATA_WAIT).toBe('Address to capture');
  });

  it('completes an address typed without https:// in the capture bar and shows it', async () => {
    await page.keyboard.type('example.com/post/123');
    await page.keyboard.press('Tab');
    expect(await page.getByLabel('Address to capture').inputValue()).toBe('https://example.com/post/123');
    await page.getByLabel('Address to capture').fill('');
  });

  it('Tab reaches the list’s active row; arrows move a visible selection; Enter opens the row', async () => {
    await ui.seedStore({ name: 'Ana Ruiz', agency: null }, async (store) => {
      const caseId = store.getCase(CASE_NUMBER).id;
      for (let i = 0; i < ITEMS; i++) {
        const name = `chat-${String(i).padStart(2, '0')}.txt`;
        await importFile(store, caseId, ui.writeFile(name, `message ${i}: the boat leaves on Friday`));
      }
    });
    await page.getByRole('button', { name: new RegExp(CASE_NUMBER) }).click();
    await expect
      .poll(() => page.locator('.list-toolbar .count').textContent(), SCREEN_DATA_WAIT)
      .toBe(`${ITEMS} items`);
    // The count comes from its own call; the rows from a block call that can answer later under load.
    await page.locator('[data-row-index="0"]').waitFor(SCREEN_DATA_WAIT);
    // From the search box, Tab passes the two filters and the column headers (to sort by) and
    // lands on the list's active row: the list is one tab stop.
    await page.keyboard.press('/');
    let presses = 0;
    while ((await focused()).role !== 'row' && presses < 10) {
      await page.keyboard.press('Tab');
      presses++;
    }
    expect(await focused()).toMatchObject({ role: 'row', row: '0' });
    expect(presses).toBe(2 + 4 + 1);
    // One tab stop: Shift+Tab leaves the list for the column headers, and Tab comes back to its
    // active row. (Not Tab then Shift+Tab: nothing follows the list, so Tab leaves the page, and
    // where Chromium's Shift+Tab lands from there varies from run to run.)
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toMatchObject({ tag: 'button', role: null });
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ role: 'row', row: '0' });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toMatchObject({ role: 'row', row: '2' });
    expect(await selectedRows()).toEqual([2]);
    // The selection is visible: the row's background is the theme's selection colour, and it has a focus ring.
    const look = await page.locator('[data-row-index="2"]').evaluate((row) => {
      const style = row.ownerDocument.defaultView?.getComputedStyle(row);
      const plain = row.ownerDocument.defaultView?.getComputedStyle(
        row.ownerDocument.querySelector('[data-row-index="5"]') as typeof row,
      );
      return {
        background: style?.backgroundColor,
        plain: plain?.backgroundColor,
        outline: style?.outlineStyle,
      };
    });
    expect(look.background).not.toBe(look.plain);
    expect(look.outline).toBe('solid');
    await ui.screenshot('80-keyboard-row-selected');
    await page.keyboard.press('End');
    expect(await focused()).toMatchObject({ row: String(ITEMS - 1) });
    await page.keyboard.press('Home');
    await page.keyboard.press('PageDown');
    const afterPage = Number((await focused()).row);
    expect(afterPage).toBeGreaterThan(3);
    await page.keyboard.press('PageUp');
    expect(await focused()).toMatchObject({ row: '0' });
    await page.keyboard.press('ArrowDown');
    const title = (await page.locator('[data-row-index="1"] .bidi').first().textContent()) ?? '';
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.keyboard.press('Escape');
    // Back on the list, the focus returns to the row that was opened.
    await expect.poll(async () => (await focused()).row, SCREEN_DATA_WAIT).toBe('1');
  });

  it('Shift+arrows extend the selection, Space toggles a row, and Export offers the selection', async () => {
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    expect(await selectedRows()).toEqual([1, 2, 3]);
    await page.keyboard.press('Space');
    expect(await selectedRows()).toEqual([1, 2]);
    await page.keyboard.press('Control+ArrowDown');
    await page.keyboard.press('Space');
    expect(await selectedRows()).toEqual([1, 2, 4]);
    await page.getByRole('button', { name: 'Export 3 selected' }).waitFor();
    await ui.screenshot('81-keyboard-extended-selection');
    await page.keyboard.press('Alt+4');
    const selected = page.getByRole('radio', { name: 'The 3 selected items' });
    await selected.waitFor();
    expect(await selected.isEnabled()).toBe(true);
    await selected.check();
    await ui.screenshot('82-export-selection');
  });

  it('exports the selection to a path chosen with Browse… (the save dialog’s stand-in)', async () => {
    const chosen = path.join(ui.work, 'chosen', 'three-chats.zip');
    fs.mkdirSync(path.dirname(chosen), { recursive: true });
    page.once('dialog', (dialog) => void dialog.accept(chosen));
    await page.getByRole('button', { name: 'Browse…' }).click();
    await expect
      .poll(() => page.getByLabel('Save the bundle as').inputValue(), SCREEN_DATA_WAIT)
      .toBe(chosen);
    await page.getByRole('button', { name: 'Export bundle' }).click();
    await page.getByTestId('bundle-hash').waitFor({ timeout: 90_000 });
    expect(fs.existsSync(chosen)).toBe(true);
    expect(await page.getByRole('heading', { name: 'Bundle written: 3 items' }).count()).toBe(1);
  }, 120_000);

  it('a click selects one row, Ctrl+click adds one, Shift+click a range; a double click opens', async () => {
    await page.keyboard.press('Alt+2');
    const row = (index: number) => page.locator(`[data-row-index="${index}"]`);
    await row(5).click();
    expect(await selectedRows()).toEqual([5]);
    await row(7).click({ modifiers: ['Control'] });
    expect(await selectedRows()).toEqual([5, 7]);
    await row(9).click({ modifiers: ['Shift'] });
    expect(await selectedRows()).toEqual([7, 8, 9]);
    const title = (await row(8).locator('.bidi').first().textContent()) ?? '';
    await row(8).dblclick();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('the batch dialog keeps the focus, closes with Escape and gives the focus back to its button', async () => {
    const opener = page.getByRole('button', { name: 'Batch capture…' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Batch capture' });
    await dialog.waitFor();
    await page.keyboard.type('example.com/a\nnot a url');
    expect((await focused()).inDialog).toBe(true);
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      const now = await focused();
      expect(now.inDialog).toBe(true);
      seen.add(`${now.tag} ${now.label ?? now.text}`);
    }
    // Round the whole dialog and back: the text, Close, Clear, Capture, the × button.
    expect(seen.size).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Shift+Tab');
      expect((await focused()).inDialog).toBe(true);
    }
    await ui.screenshot('83-batch-dialog-focus');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused()).toMatchObject({ tag: 'button', text: 'Batch capture…' });
  });
});
