/**
 * Selectors, text read in pictures and entity export in the app, in real Chromium through the
 * loopback harness to a real store: the Selectors screen (add, hits, open, remove) and its badge,
 * the lines read on a picture drawn over it with the selector's line highlighted, a Persian-digit
 * number shown as a candidate and confirmed as a custody entry, the selector marked in an item's
 * text, and the Entities screen's Export CSV and GraphML files read back. The picture's recognised
 * text is given as the OCR deriver stores it (test/support/picture-reading.ts says why).
 * Screenshots under test-results/ui/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { ENTITY_CSV_HEADER, parseCsv, parseGraphml } from '../support/link-formats.js';
import { adPicture, importAdWithReading } from '../support/picture-reading.js';
import { focusedElement, watchFocusOnBody } from './support/focused-element.js';
import { holdCalls } from './support/hold-calls.js';
import { noteLiveRegions } from './support/live-regions.js';
import { screenshotsAtEverySize } from './support/screens.js';
import { UiSession } from './support/ui-session.js';

const CHAT = 'Omar: the boat leaves Friday, call +218 91 234 5678 for a place\n';

let ui: UiSession;
let page: Page;
let adId = '';

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  const picture = ui.writeFile('boat-ad.png', await adPicture());
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police, Unit 3' }, async (store) => {
    store.createCase({ number: 'LY-2026-01', title: 'Zuwara crossings' });
    ({ itemId: adId } = await importAdWithReading(store, 'LY-2026-01', picture));
    await importFile(store, 'LY-2026-01', ui.writeFile('chat-export.txt', CHAT));
  });
  await page.getByRole('button', { name: /LY-2026-01/ }).click();
  await page.getByRole('button', { name: /^Selectors/ }).click();
  await page.getByRole('heading', { name: 'Selectors', level: 1 }).waitFor();
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

/** Counts, in the page, each time the viewer's text is put on it without a selector marked. */
const COUNT_UNMARKED_DRAWS = `(() => {
  globalThis.unmarkedDraws = 0;
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) {
        const text = node.matches?.('pre.viewer-text') ? node : node.querySelector?.('pre.viewer-text');
        if (text && !text.querySelector('mark.selector-mark')) globalThis.unmarkedDraws++;
      }
  }).observe(document.body, { childList: true, subtree: true });
})()`;

const hitRows = () => page.getByRole('table', { name: 'Items that hold a selector' }).locator('tbody tr');

/** The custody entries of an action, read through the app's API as the custody screen reads them. */
function ledgerActions(action: string): Promise<{ subject: string; details: Record<string, unknown> }[]> {
  return page.evaluate(async (wanted) => {
    const custos = (
      globalThis as unknown as {
        custos: { getLedger(i: object): Promise<{ ok: boolean; value: { action: string }[] }> };
      }
    ).custos;
    const result = await custos.getLedger({});
    return result.value.filter((e) => e.action === wanted) as never;
  }, action);
}

describe('the Selectors screen', () => {
  it('offers the value as the screen’s first action, adds a selector for the open case as a custody entry and lists its hits from a picture and a text', async () => {
    // The field a keyboard arrival (or a lost focus) lands on.
    expect(await page.getByLabel('Number, account or words').getAttribute('data-autofocus')).toBe('true');
    await page.getByLabel('Number, account or words').fill('00218 91 234 5678');
    await page.getByLabel('Label (optional)').fill('Zuwara broker');
    expect(await page.getByLabel('Only in case LY-2026-01 (else every case)').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Add selector' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Selector +218912345678 added for LY-2026-01' })
      .waitFor();
    await expect.poll(() => hitRows().count()).toBe(2);
    const rows = await hitRows().allTextContents();
    expect(rows.find((r) => r.includes('boat-ad.png'))).toMatch(
      /\+218912345678New.*Zuwara broker.*written \+218 91 234 5678.*text in a picture/,
    );
    expect(rows.find((r) => r.includes('chat-export.txt'))).toMatch(/file/);
    const [added] = await ledgerActions('selector.add');
    expect(added?.details).toMatchObject({ value: '+218912345678', label: 'Zuwara broker', type: 'phone' });
  });

  it('adds a selector for every case whose number a picture holds one digit off, as a possible match to check', async () => {
    await page.getByLabel('Number, account or words').fill('+98 912 345 6789');
    await page.getByLabel('Label (optional)').fill('Tehran contact');
    await page.getByLabel('Only in case LY-2026-01 (else every case)').uncheck();
    await page.getByRole('button', { name: 'Add selector' }).click();
    await expect.poll(() => hitRows().count()).toBe(3);
    const possible = hitRows().filter({ hasText: '+989123456789' });
    expect(await possible.textContent()).toMatch(
      /possible match: read ۰۹۱۲۳۴۵۶۷۸۰ in a picture; check its digits/,
    );
    // The list of selectors comes from its own call, which can answer after the hits' call.
    const list = page.getByRole('table', { name: 'Active selectors' });
    await expect
      .poll(() => list.locator('tbody tr').allTextContents())
      .toEqual([
        expect.stringMatching(/^\+218912345678Phone numbersZuwara brokerLY-2026-01/),
        expect.stringMatching(/^\+989123456789Phone numbersTehran contactevery case/),
      ]);
    await screenshotsAtEverySize(ui, 'selectors-01-screen');
  });

  it('badges a hit of new evidence imported through the app, until the Selectors screen shows it', async () => {
    await page.getByRole('button', { name: /^Evidence/ }).click();
    const file = ui.writeFile('second-chat.txt', 'Omar: same number as before, +218 91 234 5678');
    const imported = await page.evaluate(async (p) => {
      const custos = (
        globalThis as unknown as { custos: { importFiles(i: object): Promise<{ ok: boolean }> } }
      ).custos;
      return (await custos.importFiles({ caseRef: 'LY-2026-01', paths: [p] })).ok;
    }, file);
    expect(imported).toBe(true);
    await page.getByRole('button', { name: /^Custody log/ }).click();
    const badge = page.getByRole('status', { name: '1 new selector hit' });
    await badge.waitFor();
    await ui.screenshot('selectors-02-badge');
    await page.getByRole('button', { name: /^Selectors/ }).click();
    await expect.poll(() => hitRows().count()).toBe(4);
    expect(await hitRows().filter({ hasText: 'second-chat.txt' }).textContent()).toContain('New');
    await expect.poll(() => badge.count()).toBe(0);
  });
});

describe('text read in a picture, on the item screen', () => {
  const viewer = () => page.getByRole('region', { name: 'Item viewer' });
  const lines = () => viewer().getByRole('list', { name: 'Lines read on the picture' }).getByRole('listitem');
  /** The viewer's warning that the selectors could not be marked, found as a screen reader meets it. */
  const marksWarning = () =>
    viewer().getByRole('status').filter({ hasText: 'The selectors could not be marked' });

  it('opens a hit’s item and draws the lines read over the picture once it knows which hold a selector (never unmarked first), the selector’s line highlighted, the one-digit-off line dashed', async () => {
    // The marks answer after the picture and its lines (an order the network can give): the
    // lines wait for them. Before, they were drawn unmarked and marked a moment later.
    const panel = page.getByRole('region', { name: /Text read in 1 picture/ });
    const released = await holdCalls(page, 'getItemSelectorMarks');
    try {
      await hitRows()
        .filter({ hasText: '+218912345678' })
        .filter({ hasText: 'boat-ad.png' })
        .getByRole('button')
        .click();
      await page.getByRole('heading', { name: 'boat-ad.png' }).waitFor();
      // The picture is shown and its lines are read (the side panel lists them): no line is drawn yet.
      await viewer().locator('.picture-frame img').waitFor();
      await expect.poll(() => panel.getByRole('list').getByRole('listitem').count()).toBe(2);
      expect(await lines().count()).toBe(0);
    } finally {
      await released();
    }
    await expect.poll(() => lines().count()).toBe(2);
    expect(await lines().nth(0).getAttribute('aria-label')).toBe(
      'WhatsApp +218 91 234 5678 (holds a selector)',
    );
    expect(await lines().nth(0).getAttribute('class')).toBe('ocr-box hit');
    expect(await lines().nth(1).getAttribute('class')).toBe('ocr-box hit possible');
    // The box sits where the line is: 55/300 of the picture's height from its top.
    const picture = await viewer().locator('.picture-frame img').boundingBox();
    const box = await lines().nth(0).boundingBox();
    expect(Math.round(((box!.y - picture!.y) / picture!.height) * 300)).toBe(55);
    expect(await panel.getByRole('list').getByRole('listitem').allTextContents()).toEqual([
      'WhatsApp +218 91 234 5678',
      '۰۹۱۲۳۴۵۶۷۸۰ تماس',
    ]);
    await screenshotsAtEverySize(ui, 'selectors-03-item-picture');
  });

  it('hides and shows the lines with the viewer’s toggle', async () => {
    const toggle = viewer().getByRole('button', { name: '2 lines read' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await lines().count()).toBe(0);
    await toggle.click();
    await expect.poll(() => lines().count()).toBe(2);
  });

  it('marks an entity found in the picture as from a picture, with the picture and the box', async () => {
    const entities = page.getByRole('region', { name: /entities found/ });
    const phone = entities.locator('.entity-row', { hasText: 'Phone numbers' });
    expect(await phone.locator('.picture-origin').textContent()).toBe(
      'from a pictureOriginal, box 38,55–635,98',
    );
  });

  it('shows the Persian-digit number as a candidate with its confidence and the selector one digit away, never as an entity', async () => {
    const candidates = page.getByRole('region', { name: '1 number read in a picture, to check' });
    const text = await candidates.textContent();
    expect(text).toMatch(/۰۹۱۲۳۴۵۶۷۸۰read as\+989123456780.*64% sure/);
    expect(text).toMatch(/Possible match\+989123456789selector Tehran contact · one digit different/);
    const entities = await page
      .getByRole('region', { name: /entities found/ })
      .locator('.entity-list .entity-value')
      .allTextContents();
    expect(entities).not.toContain('+989123456780');
  });

  it('confirms the candidate in a dialog that keeps the keyboard and stays open saying to wait while it saves: a custody entry naming the reading, and an entity of the item; the focus then goes to the list’s heading, none being left to confirm, and a polite status says so; the marks, asked again then and failing, are dropped with a warning, not left as they were', async () => {
    const opener = page.getByRole('button', { name: 'Confirm…' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Confirm a number read in a picture' });
    const field = dialog.getByLabel('The number as the picture gives it');
    expect(await field.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await field.inputValue()).toBe('+989123456789');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    expect(await dialog.evaluate((el) => el.contains(el.ownerDocument.activeElement))).toBe(true);
    await screenshotsAtEverySize(ui, 'selectors-04-confirm-dialog');
    const regions = await noteLiveRegions(page);
    // The decision has the marks asked again: that ask fails.
    await page.route('**/api/getItemSelectorMarks', (route) => route.abort());
    try {
      // While the confirmation is written (held here), Escape and Cancel leave the dialog open and
      // say to wait: closed, it hid whether the custody entry was written. Then it closes itself.
      const released = await holdCalls(page, 'confirmCandidate');
      try {
        await dialog.getByRole('button', { name: 'Confirm number' }).click();
        await page.keyboard.press('Escape');
        await dialog
          .getByRole('status')
          .filter({ hasText: 'Still saving: wait for it to finish.' })
          .waitFor();
        await expect
          .poll(() => dialog.getByRole('button', { name: 'Cancel' }).getAttribute('aria-disabled'))
          .toBe('true');
        await dialog.getByRole('button', { name: 'Cancel' }).click({ force: true });
        expect(await dialog.isVisible()).toBe(true);
      } finally {
        await released();
      }
      await dialog.waitFor({ state: 'detached' });
      // The button that opened the dialog is gone (the decision replaces it): the focus is not lost
      // to the page's body but goes to the next number's Confirm…, here none left: the list's heading.
      await expect.poll(() => focusedElement(page)).toBe('h4 "1 number read in a picture, to check"');
      // And the polite status says what happened.
      await page
        .getByRole('status')
        .filter({ hasText: /^\+989123456789 confirmed\. No number left to check\.$/ })
        .waitFor({ state: 'attached' });
      await page.getByText(/^Confirmed as \+989123456789 by Ana Ruiz \(custody entry #\d+\)$/).waitFor();
      const confirmed = page
        .getByRole('region', { name: /entities found/ })
        .locator('.entity-row', { hasText: '+989123456789' });
      await confirmed.waitFor();
      expect(await confirmed.locator('.picture-origin .badge').textContent()).toBe(
        'confirmed from a picture',
      );
      const [entry] = await ledgerActions('entity.confirm');
      expect(entry).toMatchObject({
        subject: adId,
        details: { read: '+989123456780', original: '۰۹۱۲۳۴۵۶۷۸۰', value: '+989123456789', confidence: 64 },
      });
      expect(await page.getByRole('region', { name: /Custody history/ }).textContent()).toContain(
        'Number read in a picture confirmed',
      );
      // Before, the marks from before the decision stayed, without a word that they might be out of
      // date: now none is drawn, and the warning says why, as when the first ask fails, as a
      // status, so that a screen reader is told when it appears.
      await marksWarning().waitFor();
      expect(await marksWarning().textContent()).toMatch(
        /^The selectors could not be marked: [A-Z][^.]+[^.]\. Nothing here is highlighted\.$/,
      );
      // Its live region was on the page, empty, before its text: a screen reader announces the change.
      expect(
        (await regions()).find((r) => r.filled.startsWith('The selectors could not be marked')),
      ).toMatchObject({ role: 'status', added: '' });
      expect(await lines().count()).toBe(2);
      expect(await viewer().locator('.ocr-box.hit').count()).toBe(0);
      await ui.screenshot('selectors-05-confirmed');
    } finally {
      await page.unroute('**/api/getItemSelectorMarks');
    }
  });

  it('draws an item’s text once the selector marks have answered, the selector marked (never unmarked first)', async () => {
    await page.getByRole('button', { name: /^Selectors/ }).click();
    // Every time the viewer's text is put on the page without a mark is counted, from before it opens.
    await page.evaluate(COUNT_UNMARKED_DRAWS);
    // The marks answer after the text (an order the network can give): the text waits for them.
    // Before, it was drawn unmarked and redrawn marked a moment later.
    const released = await holdCalls(page, 'getItemSelectorMarks');
    try {
      await hitRows().filter({ hasText: 'chat-export.txt' }).getByRole('button').click();
      await page.getByRole('heading', { name: 'chat-export.txt' }).waitFor();
      // The text is read: drawn (unmarked) without the fix, said to wait for the marks with it.
      await viewer()
        .locator('pre.viewer-text')
        .or(viewer().getByText('Marking the selectors in the text…'))
        .waitFor();
      expect(await viewer().locator('pre.viewer-text').count()).toBe(0);
      await ui.screenshot('selectors-06-item-text-marking');
    } finally {
      await released();
    }
    const mark = viewer().locator('mark.selector-mark');
    await mark.first().waitFor();
    expect(await mark.allTextContents()).toEqual(['+218 91 234 5678']);
    expect(await page.evaluate('globalThis.unmarkedDraws')).toBe(0);
    await screenshotsAtEverySize(ui, 'selectors-07-item-text-marked');
  });

  it('shows an item’s text unmarked, saying why, when the selector marks cannot be read', async () => {
    await page.getByRole('button', { name: /^Selectors/ }).click();
    await page.route('**/api/getItemSelectorMarks', (route) => route.abort());
    try {
      await hitRows().filter({ hasText: 'chat-export.txt' }).getByRole('button').click();
      await page.getByRole('heading', { name: 'chat-export.txt' }).waitFor();
      await viewer().locator('pre.viewer-text').waitFor();
      expect(await viewer().locator('pre.viewer-text').textContent()).toBe(CHAT);
      expect(await viewer().locator('mark.selector-mark').count()).toBe(0);
      // A status (as the item's other warnings), so that a screen reader is told when it appears.
      expect(await marksWarning().textContent()).toMatch(
        /^The selectors could not be marked: .+\. Nothing here is highlighted\.$/,
      );
      await ui.screenshot('selectors-08-item-text-marks-failed');
    } finally {
      await page.unroute('**/api/getItemSelectorMarks');
    }
  });

  it('removes a selector as a custody entry, the focus kept on Remove while it runs and then on the list’s heading, never on the page body; its hits leave the screen', async () => {
    await page.getByRole('button', { name: /^Selectors/ }).click();
    const remove = page.getByRole('button', { name: 'Remove selector +989123456789' });
    await remove.focus();
    const release = await holdCalls(page, 'removeSelector');
    const onBody = await watchFocusOnBody(page);
    try {
      await page.keyboard.press('Enter');
      await expect.poll(() => remove.getAttribute('aria-disabled')).toBe('true');
      expect(await focusedElement(page)).toBe('button.btn.small "Remove selector +989123456789"');
    } finally {
      await release();
    }
    await page.getByRole('status').filter({ hasText: 'Selector +989123456789 removed' }).waitFor();
    await expect.poll(() => focusedElement(page)).toMatch(/^h3 "\d+ selectors?"$/);
    expect(await onBody.stop()).toBe(0);
    await expect.poll(() => hitRows().filter({ hasText: '+989123456789' }).count()).toBe(0);
    expect(await hitRows().count()).toBe(3);
    expect(await ledgerActions('selector.remove')).toHaveLength(1);
  });
});

describe('the Entities screen’s export', () => {
  it('writes CSV and GraphML files a spreadsheet and a GraphML reader open, one link per entity and item', async () => {
    await page.getByRole('button', { name: /^Entities/ }).click();
    await page.getByRole('heading', { name: 'Phone numbers' }).waitFor();
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Entities exported to .*\.csv/ })
      .waitFor();
    await page.getByRole('button', { name: 'Export GraphML' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Entities exported to .*\.graphml/ })
      .waitFor();
    const files = fs.readdirSync(ui.exportDir);
    const read = (ext: string) =>
      fs.readFileSync(path.join(ui.exportDir, files.find((f) => f.endsWith(ext))!), 'utf8');

    const [header, ...rows] = parseCsv(read('.csv'));
    expect(header).toEqual(ENTITY_CSV_HEADER);
    const links = rows.map((r) => `${r[0]} ${r[1]} ${r[5]} ${r[3]}`);
    expect(links).toEqual(
      expect.arrayContaining([
        'phone +218912345678 boat-ad.png picture',
        'phone +218912345678 chat-export.txt original',
        'phone +989123456789 boat-ad.png confirmed',
      ]),
    );
    expect(links.some((l) => l.includes('+989123456780'))).toBe(false);

    const { nodes, edges } = parseGraphml(read('.graphml'));
    const entityIds = nodes.filter((n) => n.data.kind === 'entity').map((n) => n.id);
    expect(entityIds).toEqual(
      expect.arrayContaining(['entity:phone:+218912345678', 'entity:phone:+989123456789']),
    );
    expect(edges).toHaveLength(rows.length);
    expect(edges).toContainEqual(
      expect.objectContaining({ source: 'entity:phone:+989123456789', target: `item:${adId}` }),
    );
  });

  it('leaves the store clean for the audit: selectors and confirmations agree with their custody entries', async () => {
    const clean = await page.evaluate(async () => {
      const custos = (
        globalThis as unknown as { custos: { auditStore(i: object): Promise<{ value: { clean: boolean } }> } }
      ).custos;
      return (await custos.auditStore({})).value.clean;
    });
    expect(clean).toBe(true);
  });
});
