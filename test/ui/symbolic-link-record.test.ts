/**
 * A file imported by a path that is a symbolic link: the bytes preserved are those of the file it
 * led to, and a court asks which file that was. The item's capture record panel says so as the
 * report does (`metadata.symbolicLink`): the path given, the link as written, and the file whose
 * bytes were preserved, each with its invisible characters shown as code points. The import goes
 * through the window's API (`importFiles`, as a dropped file's path); real Chromium through the
 * loopback harness to a real store. Screenshot under test-results/ui/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageWithRanges } from './support/page-ranges.js';
import { UiSession } from './support/ui-session.js';

const CASE = 'LY-2026-11';

/** The file the link leads to: its name holds a zero-width space, as a name copied from a page may. */
const REAL_NAME = 'boat\u200B-ad.txt';

let ui: UiSession;
let page: Page;
let link: string;
let target: string;

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  let caseId = '';
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    caseId = store.createCase({ number: CASE, title: 'Zuwara crossings' }).id;
  });
  const real = ui.writeFile(path.join('phone', REAL_NAME), 'Boat to Lampedusa every Thursday.');
  target = fs.realpathSync(real);
  link = path.join(path.dirname(path.dirname(real)), 'from-the-phone.txt');
  fs.symlinkSync(path.join('phone', REAL_NAME), link);
  expect(await ui.importThroughWindow(caseId, CASE, [link])).toBe(1);
  await page.locator('.table-row', { hasText: 'from-the-phone.txt' }).dblclick();
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

describe('an item imported through a symbolic link', () => {
  it('its capture record names the path given as a link, the link as written and the file whose bytes were preserved', async () => {
    const panel = page.getByRole('region', { name: 'Capture record' });
    await panel.waitFor();
    const value = (label: string) =>
      panel.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
    expect(await value('Original name').innerText()).toBe('from-the-phone.txt');
    expect(await value('Path given (a symbolic link)').innerText()).toBe(link);
    expect(await value('Symbolic link to (as written)').innerText()).toBe('phone/boat⟨U+200B⟩-ad.txt');
    expect(await value('Bytes preserved from (the file it led to)').innerText()).toBe(
      target.replace('\u200B', '⟨U+200B⟩'),
    );
    await ui.screenshotOf(panel, 'symbolic-link-record');
  });
});

describe('an item imported through a symbolic link into folders with Arabic names', () => {
  /** Two folders, as a phone's export names them: on disk "مستندات" (documents) holds "ملفات" (files). */
  const FOLDERS = ['مستندات', 'ملفات'] as const;

  it('its capture record draws the link’s folders in the order they have on disk, left to right', async () => {
    ui.writeFile(path.join(...FOLDERS, 'boat-ad.txt'), 'Boat to Lampedusa every Friday.');
    const written = path.join(...FOLDERS, 'boat-ad.txt');
    const second = path.join(path.dirname(link), 'from-the-laptop.txt');
    fs.symlinkSync(written, second);
    expect(await ui.importThroughWindow(CASE, CASE, [second])).toBe(1);
    await page.locator('.table-row', { hasText: 'from-the-laptop.txt' }).dblclick();
    const panel = page.getByRole('region', { name: 'Capture record' });
    await panel.waitFor();
    const value = panel
      .locator('dt', { hasText: 'Symbolic link to (as written)' })
      .locator('xpath=following-sibling::dd[1]');
    expect(await value.innerText()).toBe(written);
    // Where each folder's name is drawn: the first on disk must be the left one, as the path reads.
    const lefts = await value.evaluate((dd, names) => {
      type TextNode = { nodeType: number; textContent: string | null; childNodes: ArrayLike<TextNode> };
      const texts: TextNode[] = [];
      const collect = (node: TextNode) => {
        if (node.nodeType === 3) texts.push(node);
        for (const child of Array.from(node.childNodes)) collect(child);
      };
      collect(dd as unknown as TextNode);
      const { document } = globalThis as unknown as PageWithRanges;
      return names.flatMap((name) => {
        const node = texts.find((text) => text.textContent?.includes(name));
        if (!node) return [];
        const start = node.textContent?.indexOf(name) ?? 0;
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + name.length);
        return [range.getBoundingClientRect().left];
      });
    }, FOLDERS);
    expect(lefts).toHaveLength(2);
    expect(lefts[0]).toBeLessThan(lefts[1] ?? 0);
    await ui.screenshotOf(panel, 'symbolic-link-record-arabic');
  });
});
