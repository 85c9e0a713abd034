import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { UiSession } from './support/ui-session.js';

/**
 * An item's title is text from outside: a file imported as `invoice‮fdp.exe` holds a right-to-left
 * override (U+202E), which, shown as it is, makes the name read `invoiceexe.pdf`, a harmless PDF
 * where the evidence is a program. The item's heading and its row in the evidence list show the
 * override as its code point, as the report and the command line show it, and the real extension
 * last; a genuine Arabic title still reads right to left. In real Chromium through the loopback
 * harness to a real store. Screenshots under test-results/ui/.
 */

/** The file's name on disk: an executable whose name claims to be a PDF. */
const DISGUISED = 'invoice\u202Efdp.exe';
/** How the window must show it: the override as its code point, `.exe` last. */
const SHOWN = 'invoice⟨U+202E⟩fdp.exe';
/** A genuine Arabic name (boat trip to Lampedusa), whose title must read right to left. */
const ARABIC = 'رحلة القارب إلى لامبيدوزا';
/** An Arabic name with a right-to-left mark before its number, as Arabic text legitimately holds one. */
const MARKED = 'عقد \u200F2026';

let ui: UiSession;
let page: Page;

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  const disguised = ui.writeFile(DISGUISED, 'MZ not really a program');
  const arabic = ui.writeFile(`${ARABIC}.txt`, 'نص');
  const marked = ui.writeFile(`${MARKED}.txt`, 'نص');
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police, Unit 3' }, async (store) => {
    store.createCase({ number: 'LY-2026-07', title: 'Zuwara crossings' });
    await importFile(store, 'LY-2026-07', disguised);
    await importFile(store, 'LY-2026-07', arabic);
    await importFile(store, 'LY-2026-07', marked);
  });
  await page.getByRole('button', { name: /LY-2026-07/ }).click();
  await page.locator('.table-row').nth(1).waitFor();
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

/**
 * The characters of an element's text in the order they are drawn, left to right (each character's
 * box measured with a Range, as a person reads the screen); characters drawn with no width (a bidi
 * control) are left out.
 */
function drawnLeftToRight(element: Locator): Promise<string> {
  return element.evaluate((root) => {
    interface TextNode {
      readonly nodeType: number;
      readonly textContent: string;
      readonly childNodes: readonly TextNode[];
    }
    const document = (
      globalThis as unknown as {
        document: {
          createRange(): {
            setStart(node: unknown, offset: number): void;
            setEnd(node: unknown, offset: number): void;
            getBoundingClientRect(): { left: number; width: number };
          };
        };
      }
    ).document;
    const drawn: { character: string; left: number }[] = [];
    const walk = (node: TextNode) => {
      if (node.nodeType === 3) {
        for (let index = 0; index < node.textContent.length; index++) {
          const range = document.createRange();
          range.setStart(node, index);
          range.setEnd(node, index + 1);
          const box = range.getBoundingClientRect();
          if (box.width > 0) drawn.push({ character: node.textContent[index] ?? '', left: box.left });
        }
      }
      for (const child of node.childNodes) walk(child);
    };
    walk(root as unknown as TextNode);
    return drawn
      .sort((a, b) => a.left - b.left)
      .map((d) => d.character)
      .join('');
  });
}

describe('a file whose name holds a right-to-left override', () => {
  it('the evidence list shows the override as its code point and ".exe" last, in its text and as drawn', async () => {
    const row = page.locator('.table-row').filter({ hasText: 'invoice' });
    const title = row.locator('[role="gridcell"] .bidi').first();
    expect(await title.innerText()).toBe(SHOWN);
    expect(await drawnLeftToRight(title)).toBe(SHOWN);
    expect(await title.getAttribute('title')).toBe(SHOWN);
    await ui.screenshotOf(page.locator('.vlist'), 'untrusted-title-list');
  });

  it('the item heading shows the override as its code point and ".exe" last, in its text and as drawn', async () => {
    await page.locator('.table-row').filter({ hasText: 'invoice' }).dblclick();
    const heading = page.getByRole('heading', { level: 1 });
    await expect.poll(() => heading.innerText()).toBe(SHOWN);
    expect(await drawnLeftToRight(heading)).toBe(SHOWN);
    // The line under it (the file's name, its source) says the same.
    expect(await page.locator('.screen-head .sub').innerText()).toBe(SHOWN);
    await ui.screenshot('untrusted-title-item');
    await page.keyboard.press('Escape');
  });
});

describe('a genuine Arabic title', () => {
  it('reads right to left in the list and the heading, with no code point shown', async () => {
    const row = page.locator('.table-row').filter({ hasText: 'رحلة' });
    const title = row.locator('[role="gridcell"] .bidi').first();
    expect(await title.innerText()).toBe(`${ARABIC}.txt`);
    expect(await title.evaluate((el) => (globalThis as unknown as Css).getComputedStyle(el).direction)).toBe(
      'rtl',
    );
    // Right to left: the name's first letter drawn at the right end, its extension at the left.
    const drawn = await drawnLeftToRight(title);
    expect(drawn.endsWith('ر')).toBe(true);
    expect(drawn.startsWith('txt.')).toBe(true);
    await row.dblclick();
    const heading = page.getByRole('heading', { level: 1 });
    await expect.poll(() => heading.innerText()).toBe(`${ARABIC}.txt`);
    const span = heading.locator('.bidi');
    expect(await span.evaluate((el) => (globalThis as unknown as Css).getComputedStyle(el).direction)).toBe(
      'rtl',
    );
    await ui.screenshot('untrusted-title-arabic');
  });
});

describe('an Arabic title holding a right-to-left mark', () => {
  it('still reads right to left, the mark shown as its code point as the report shows it (\\u200f)', async () => {
    await page
      .getByRole('button', { name: /Evidence/ })
      .first()
      .click();
    const row = page.locator('.table-row').filter({ hasText: 'عقد' });
    const title = row.locator('[role="gridcell"] .bidi').first();
    expect(await title.innerText()).toBe('عقد ⟨U+200F⟩2026.txt');
    expect(await title.evaluate((el) => (globalThis as unknown as Css).getComputedStyle(el).direction)).toBe(
      'rtl',
    );
    // The word first at the right, the code point drawn left to right as one piece to its left.
    const drawn = await drawnLeftToRight(title);
    expect(drawn.endsWith('ع')).toBe(true);
    expect(drawn).toContain('⟨U+200F⟩');
    await ui.screenshotOf(row, 'untrusted-title-arabic-mark');
  });
});

/** The page's computed style (the tests are typed without the DOM's types). */
interface Css {
  getComputedStyle(element: unknown): { direction: string };
}
