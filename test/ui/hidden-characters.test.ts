/**
 * The characters a page or a file's name can hide text with, beyond the bidi controls and the
 * zero-width space: tag characters ("ASCII smuggling": U+E0041 is an `A` no one sees), a soft
 * hyphen, runs of variation selectors after an emoji, a Hangul filler drawn blank. The window draws
 * each as its code point wherever it shows the text, in its tooltips and in what a screen reader
 * is given (the row's checkbox label), from the one list in shared/untrusted-text.ts; a path (the
 * capture record of a file imported through a symbolic link, `PathText`) from the same list, so a
 * Persian folder's joiner is kept there as it is in a title. Emoji drawn as one picture (a ZWJ
 * sequence, a flag made of tags, a heart with its presentation selector) are left as they are. Real
 * Chromium through the loopback harness to a real store; screenshots under test-results/ui/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { tagCharacters } from '../support/tag-characters.js';
import { UiSession } from './support/ui-session.js';

const CASE = 'LY-2026-21';

/** Text written in tag characters: invisible, one tag per ASCII character. */
const tags = tagCharacters;

/** A file's name with a hidden instruction after its visible words. */
const SMUGGLED = `Boat trips${tags('hi')}.txt`;
const SMUGGLED_SHOWN = 'Boat trips⟨U+E0068⟩⟨U+E0069⟩.txt';
/** A soft hyphen, drawn only where a line breaks, and a Hangul filler, drawn blank. */
const SOFT = 'in\u00ADvoice\u3164.txt';
const SOFT_SHOWN = 'in⟨U+00AD⟩voice⟨U+3164⟩.txt';
/** An emoji with its presentation selector (kept) and a second selector hiding a byte (shown). */
const SELECTORS = 'crossing 😊\uFE0F\uFE01.txt';
const SELECTORS_SHOWN = 'crossing 😊\uFE0F⟨U+FE01⟩.txt';
/** Emoji drawn as one picture each: Scotland's flag (tags), a ZWJ sequence, a heart (selector). */
const EMOJI = `report 🏴${tags('gbsct')}\u{E007F} 👩\u200D💻 ❤\uFE0F.txt`;

let ui: UiSession;
let page: Page;
let caseId = '';

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  const files = [SMUGGLED, SOFT, SELECTORS, EMOJI].map((name) => ui.writeFile(name, 'Boat to Lampedusa.'));
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    caseId = store.createCase({ number: CASE, title: 'Zuwara crossings' }).id;
    for (const file of files) await importFile(store, CASE, file);
  });
  await page.getByRole('button', { name: new RegExp(CASE) }).click();
  await page.locator('.table-row').nth(3).waitFor();
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

/** The evidence list's row whose text holds `part`, and its title cell. */
function row(part: string) {
  const found = page.locator('.table-row').filter({ hasText: part });
  return { row: found, title: found.locator('[role="gridcell"] .bidi').first() };
}

describe('file names hiding text in tag characters, a soft hyphen, a Hangul filler, a run of selectors', () => {
  it('the evidence list, its tooltip and its checkbox’s label for a screen reader show them as code points', async () => {
    for (const [part, shown] of [
      ['Boat trips', SMUGGLED_SHOWN],
      ['voice', SOFT_SHOWN],
      ['crossing', SELECTORS_SHOWN],
    ] as const) {
      const { row: found, title } = row(part);
      expect(await title.innerText()).toBe(shown);
      expect(await title.getAttribute('title')).toBe(shown);
      expect(await found.getByRole('checkbox').getAttribute('aria-label')).toBe(`Select ${shown}`);
    }
    await ui.screenshotOf(page.locator('.vlist'), 'hidden-characters-list');
  });

  it('the item’s heading shows the tag characters as code points', async () => {
    await row('Boat trips').row.dblclick();
    const heading = page.getByRole('heading', { level: 1 });
    await expect.poll(() => heading.innerText()).toBe(SMUGGLED_SHOWN);
    await page.keyboard.press('Escape');
    await page.locator('.table-row').nth(3).waitFor();
  });
});

describe('a file name made of emoji drawn as one picture each', () => {
  it('is drawn as it is: the flag’s tags, the ZWJ and the heart’s selector are not code points', async () => {
    const { row: found, title } = row('report');
    expect(await title.innerText()).toBe(EMOJI);
    expect(await title.locator('.invisible-char').count()).toBe(0);
    expect(await found.getByRole('checkbox').getAttribute('aria-label')).toBe(`Select ${EMOJI}`);
  });
});

describe('a path in the capture record (PathText), from the same list', () => {
  it('shows a Hangul filler folder and tag characters as code points, and keeps a Persian folder’s joiner', async () => {
    const persian = 'می\u200Cخواهم';
    const written = path.join(persian, '\u3164', `boat${tags('x')}.txt`);
    ui.writeFile(written, 'Boat to Lampedusa every Friday.');
    const link = path.join(path.dirname(ui.writeFile('placeholder.txt', '')), 'from-the-phone.txt');
    fs.symlinkSync(written, link);
    expect(await ui.importThroughWindow(caseId, CASE, [link])).toBe(1);
    await page.locator('.table-row', { hasText: 'from-the-phone.txt' }).dblclick();
    const panel = page.getByRole('region', { name: 'Capture record' });
    await panel.waitFor();
    const value = panel
      .locator('dt', { hasText: 'Symbolic link to (as written)' })
      .locator('xpath=following-sibling::dd[1]');
    expect(await value.innerText()).toBe(`${persian}/⟨U+3164⟩/boat⟨U+E0078⟩.txt`);
    await ui.screenshotOf(panel, 'hidden-characters-path');
  });
});
