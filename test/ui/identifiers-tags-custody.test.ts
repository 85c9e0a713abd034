/**
 * The investigator's day, in real Chromium through the harness to the real services: search finds
 * a phone number however it is typed and words by their start, and says so on screen; an empty
 * search says what to try; several selected items are tagged at once and a tag is removed; the
 * custody log reads in words, names items by their titles and opens them; the capture defaults are
 * changed in Settings (a custody entry). Screens at 1024×700 and 1440×900, light and dark, under
 * test-results/ui/.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { countCalls, holdCalls, PAST_THE_SAVE_BOUND } from './support/hold-calls.js';
import { noteLiveRegions } from './support/live-regions.js';
import { screenshotsAtEverySize } from './support/screens.js';
import { UiSession } from './support/ui-session.js';

const CASE = 'LY-2026-0457';
let ui: UiSession;
let page: Page;

beforeAll(async () => {
  // The page's clock runs as the real one until a test moves it on (a save held past its bound).
  ui = await UiSession.start({ beforeOpen: (page) => page.clock.install() });
  page = ui.page;
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    const id = store.createCase({ number: CASE, title: 'Zuwara crossings' }).id;
    await importFile(
      store,
      id,
      ui.writeFile('boat-post.txt', 'Boat to Lampedusa every Thursday. WhatsApp +218 91 234 5678 to book.'),
    );
    await importFile(store, id, ui.writeFile('IMG_2024-06-03.txt', 'beach at dawn, the boat'));
    await importFile(
      store,
      id,
      ui.writeFile('price-list.txt', 'Price 3500 dollars per adult, children half.'),
    );
  });
  await page.getByRole('button', { name: new RegExp(CASE) }).click();
  await page.getByText('3 items').waitFor();
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

const searchBox = () => page.getByLabel(/Search page text/);

/** How a button looks: its colours, border and opacity as drawn. */
function look(button: Locator): Promise<string> {
  return button.evaluate((b) => {
    const style = (
      globalThis as unknown as {
        getComputedStyle(
          element: unknown,
        ): Record<'color' | 'backgroundColor' | 'borderColor' | 'opacity', string>;
      }
    ).getComputedStyle(b);
    return `${style.color} ${style.backgroundColor} ${style.borderColor} ${style.opacity}`;
  });
}
const count = () => page.locator('.list-toolbar .count').textContent();

describe('search in the evidence list', () => {
  it('finds the post by its phone number typed with +, without it, or nationally', async () => {
    for (const typed of ['+218912345678', '218912345678', '0912345678', '+218 91 234 5678']) {
      // Each search from the full list, so that a stale answer cannot pass for this one.
      await searchBox().fill('');
      await expect.poll(count).toBe('3 items');
      await searchBox().fill(typed);
      await expect.poll(count, { message: typed }).toBe('1 item');
      expect(await page.locator('.table-row').first().textContent()).toContain('boat-post.txt');
    }
    await page.locator('.table-row .snippet mark').first().waitFor();
    expect(await page.locator('.table-row .snippet mark').first().textContent()).toBe('218 91 234 5678');
  });

  it('matches words by their start and says so under the box', async () => {
    const rules = page.locator('#evidence-search-rules');
    expect(await rules.textContent()).toContain('Lampedu finds Lampedusa');
    await searchBox().fill('Lampedu');
    await expect.poll(count).toBe('1 item');
    await searchBox().fill('IMG_2024');
    await expect.poll(() => page.locator('.table-row').first().textContent()).toContain('IMG_2024-06-03.txt');
    expect(await count()).toBe('1 item');
    await screenshotsAtEverySize(ui, 'day-01-search-prefix');
  });

  it('an empty result says so and suggests what to try, with a way to search every case', async () => {
    await searchBox().fill('Zanzibar');
    const none = page.getByTestId('no-matches');
    await none.waitFor();
    expect(await none.textContent()).toContain('No item of this case matches Zanzibar');
    expect(await none.textContent()).toContain('fewer words');
    await screenshotsAtEverySize(ui, 'day-02-search-no-matches');
    await none.getByRole('button', { name: 'searching every case' }).click();
    await page.getByRole('heading', { name: 'Search all cases' }).waitFor();
    await page.getByTestId('no-matches').waitFor();
    const box = page.getByLabel(/a phone number or IBAN/);
    await box.fill('0912345678');
    await box.press('Enter');
    await expect.poll(() => page.locator('.search-hit').count()).toBe(1);
    await screenshotsAtEverySize(ui, 'day-03-search-all-cases-phone');
  });
});

describe('tags', () => {
  it('tags two selected items at once, one custody entry each; Remove pressed while it saves is not sent, the dialog saying to wait', async () => {
    await page.keyboard.press('Alt+1');
    await page.getByRole('button', { name: new RegExp(CASE) }).click();
    await searchBox().fill('');
    await expect.poll(count).toBe('3 items');
    await page.getByLabel('Select boat-post.txt').check();
    await page.getByLabel('Select price-list.txt').check();
    await page.getByRole('button', { name: 'Tag 2 selected…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tag 2 selected items' });
    await dialog.getByLabel('Tag', { exact: true }).fill('same-seller');
    await screenshotsAtEverySize(ui, 'day-04-tag-selected-dialog');
    // Enter adds; while that is saved (held here), Remove is pressed: not sent, the dialog says to wait.
    const tagCalls = countCalls(page, 'tagItems');
    const released = await holdCalls(page, 'tagItems');
    try {
      await dialog.getByLabel('Tag', { exact: true }).press('Enter');
      await expect.poll(tagCalls.count).toBe(1);
      const remove = dialog.getByRole('button', { name: 'Remove from 2 items' });
      await expect.poll(() => remove.getAttribute('aria-disabled')).toBe('true');
      await remove.press('Enter');
      await dialog.getByRole('status').filter({ hasText: 'Still saving: wait for it to finish.' }).waitFor();
      await ui.screenshot('day-04b-tag-dialog-still-saving');
      // Closing now would hide whether the tags were written: Close and Escape leave it open.
      await dialog.locator('.dialog-foot').getByRole('button', { name: 'Close' }).click({ force: true });
      await page.keyboard.press('Escape');
      expect(await dialog.isVisible()).toBe(true);
    } finally {
      await released();
    }
    // The outcome, seen: the dialog closes itself once the tags are written, and says so.
    await page.getByText('Tag same-seller added to 2 items').waitFor();
    tagCalls.stop();
    expect(tagCalls.count()).toBe(1);
    await expect.poll(() => page.locator('.table-row .tag', { hasText: 'same-seller' }).count()).toBe(2);
    await screenshotsAtEverySize(ui, 'day-05-tagged-selection');
  });

  it("while the tags are written, Escape, Close and the dialog's × leave it open saying to wait, and the refusal is then shown in it", async () => {
    await page.getByLabel('Select boat-post.txt').check();
    await page.getByLabel('Select price-list.txt').check();
    await page.getByRole('button', { name: 'Tag 2 selected…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tag 2 selected items' });
    const stillSaving = dialog
      .getByRole('status')
      .filter({ hasText: 'Still saving: wait for it to finish.' });
    const regions = await noteLiveRegions(page);
    // Longer than a tag may be: the service refuses it, and that refusal is what the user must see.
    await dialog.getByLabel('Tag', { exact: true }).fill('x'.repeat(101));
    const tagCalls = countCalls(page, 'tagItems');
    const released = await holdCalls(page, 'tagItems');
    try {
      await dialog.getByLabel('Tag', { exact: true }).press('Enter');
      await expect.poll(tagCalls.count).toBe(1);
      await page.keyboard.press('Escape');
      await stillSaving.waitFor();
      // The × looks as the footer's Close does while they only say to wait: not a live button.
      expect(await dialog.locator('.dialog-close').getAttribute('aria-disabled')).toBe('true');
      const footClose = dialog.locator('.dialog-foot').getByRole('button', { name: 'Close' });
      expect(await footClose.getAttribute('aria-disabled')).toBe('true');
      // And looks so: dimmed as the footer's Close, not a live button beside dimmed ones.
      await page.mouse.move(0, 0);
      expect(await look(dialog.locator('.dialog-close'))).toBe(await look(footClose));
      await ui.screenshotOf(dialog.locator('.dialog-head'), 'day-04c-tag-dialog-head-while-saving');
      await dialog.locator('.dialog-foot').getByRole('button', { name: 'Close' }).click({ force: true });
      await dialog.locator('.dialog-close').click({ force: true });
      // Nor does a shortcut of the screens behind (Alt+1, the cases): the modal keeps the keyboard.
      await page.keyboard.press('Alt+1');
      await ui.screenshot('day-04c-tag-dialog-close-while-saving');
      expect(await dialog.isVisible()).toBe(true);
    } finally {
      await released();
    }
    await dialog.getByRole('alert').waitFor();
    // The service's refusal, worded for the command line, as a sentence in the window.
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toBe('Tag must be at most 100 characters.');
    // Its alert was on the page, empty, before its text: a screen reader announces the change.
    expect((await regions()).find((r) => r.filled === 'Tag must be at most 100 characters.')).toEqual({
      role: 'alert',
      added: '',
      filled: 'Tag must be at most 100 characters.',
    });
    await expect.poll(() => stillSaving.count()).toBe(0);
    expect(await dialog.locator('.dialog-close').getAttribute('aria-disabled')).toBeNull();
    await ui.screenshot('day-04d-tag-dialog-refused');
    tagCalls.stop();
    expect(tagCalls.count()).toBe(1);
    // Once the save has answered, Escape closes it.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('removes a tag on the item screen; the custody log keeps both entries', async () => {
    await page.locator('.table-row', { hasText: 'price-list.txt' }).dblclick();
    const tags = page.getByRole('region', { name: 'Tags' });
    await tags.getByRole('button', { name: 'Remove tag same-seller' }).waitFor();
    await screenshotsAtEverySize(ui, 'day-06-item-tag-chip');
    await tags.getByRole('button', { name: 'Remove tag same-seller' }).click();
    await page.getByText(/Tag same-seller removed \(custody entry #\d+\); the log keeps it/).waitFor();
    await expect.poll(() => tags.locator('.tag').count()).toBe(0);
    await screenshotsAtEverySize(ui, 'day-07-tag-removed');
  });

  it('Ctrl+Enter in the empty note says to write the note first and writes nothing', async () => {
    const notes = page.getByRole('region', { name: /^Notes/ });
    const noteCalls = countCalls(page, 'addNote');
    // Ctrl+Enter submits the form itself (requestSubmit), not through the button: the guard holds there too.
    await notes.getByLabel('Write a note about this item').press('Control+Enter');
    await notes.getByRole('status').filter({ hasText: 'Write the note first.' }).waitFor();
    noteCalls.stop();
    expect(noteCalls.count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('adds a note once when Ctrl+Enter is pressed again while it is saved, saying to wait (a note is a custody entry)', async () => {
    const notes = page.getByRole('region', { name: /^Notes/ });
    const field = notes.getByLabel('Write a note about this item');
    await field.fill('Same seller as boat-post.txt: price list sent on WhatsApp.');
    const noteCalls = countCalls(page, 'addNote');
    const released = await holdCalls(page, 'addNote');
    try {
      await field.press('Control+Enter');
      await expect.poll(noteCalls.count).toBe(1);
      await field.press('Control+Enter');
      await notes.getByRole('status').filter({ hasText: 'Still saving: wait for it to finish.' }).waitFor();
      await ui.screenshot('day-07b-note-still-saving');
    } finally {
      await released();
    }
    await page.getByRole('heading', { name: 'Notes (1)' }).waitFor();
    noteCalls.stop();
    expect(noteCalls.count()).toBe(1);
    expect(await notes.getByRole('status').filter({ hasText: 'Still saving' }).count()).toBe(0);
    expect(await notes.locator('.note').count()).toBe(1);
  });

  it('adds a tag from its button by keyboard; the focus, on the button that then waits for the next tag, goes back to the tag field', async () => {
    const tags = page.getByRole('region', { name: 'Tags' });
    const field = tags.getByPlaceholder('New tag');
    const button = tags.getByRole('button', { name: 'Add tag' });
    await field.fill('price-list');
    await field.press('Tab');
    expect(
      await button.evaluate((b) => b === (b.ownerDocument as { activeElement: unknown }).activeElement),
    ).toBe(true);
    await page.keyboard.press('Space');
    await tags.getByRole('button', { name: 'Remove tag price-list' }).waitFor();
    await expect.poll(() => button.isDisabled()).toBe(true);
    // Before, the button disabled under the focus dropped it to the page: the next Tab started
    // from the window's top, and a screen reader said nothing of where it was.
    await expect
      .poll(() =>
        field.evaluate(
          (input) => input === (input.ownerDocument as { activeElement: unknown }).activeElement,
        ),
      )
      .toBe(true);
  });
});

describe('the custody log', () => {
  it('reads in words, names items by their titles, and opens the item of a row', async () => {
    await page.keyboard.press('Alt+3');
    await page.getByRole('heading', { name: 'Custody log' }).waitFor();
    const removed = page.locator('.table-row', { hasText: 'Tag removed' });
    await removed.waitFor();
    expect(await removed.textContent()).toContain('price-list.txt');
    expect(await page.locator('.table-row', { hasText: 'File imported' }).count()).toBe(3);
    // Two by the selection's tagging, one on the item screen.
    expect(await page.locator('.table-row', { hasText: 'Tag added' }).count()).toBe(3);
    expect(await page.locator('.table-row').allTextContents()).not.toContainEqual(
      expect.stringMatching(/item\.tag/),
    );
    await screenshotsAtEverySize(ui, 'day-08-custody-log');
    await removed.dblclick();
    await page.getByRole('heading', { name: 'Capture record' }).waitFor();
    expect(await page.locator('.screen-head h1').textContent()).toContain('price-list.txt');
  });
});

describe('capture settings', () => {
  it('the mobile preset is saved as a custody entry and shown again', async () => {
    await page.keyboard.press('Alt+7');
    const panel = page.getByRole('region', { name: 'Capture defaults' });
    await panel.getByLabel('Browser window').selectOption('mobile');
    expect(await panel.getByLabel('Width').inputValue()).toBe('390');
    expect(await panel.getByLabel('Emulate a phone').isChecked()).toBe(true);
    await panel.getByLabel('Wait for the page to load').fill('2');
    await panel.getByRole('button', { name: 'Save capture settings' }).click();
    // The refusal's alert is put on the page empty, its text a frame later (LiveRegion): waited for.
    await expect.poll(() => panel.getByRole('alert').textContent()).toContain('at least 5 seconds');
    await panel.getByLabel('Wait for the page to load').fill('25');
    expect(await panel.getByRole('alert').count()).toBe(0);
    await panel.getByRole('button', { name: 'Save capture settings' }).click();
    await page.getByText('Capture settings saved').waitFor();
    await screenshotsAtEverySize(ui, 'day-09-capture-settings');
    await page.reload();
    await page.getByRole('button', { name: /^Settings/ }).click();
    const again = page.getByRole('region', { name: 'Capture defaults' });
    expect(await again.getByLabel('Browser window').inputValue()).toBe('mobile');
    expect(await again.getByLabel('Wait for the page to load').inputValue()).toBe('25');
  });
});

describe('a tagging whose save does not settle', () => {
  /** Opens the tag dialog on the two selected items with `tag`, holds the save and presses Enter. */
  async function tagHeld(tag: string): Promise<{ dialog: Locator; release: () => Promise<void> }> {
    await page.keyboard.press('Alt+1');
    await page.getByRole('button', { name: new RegExp(CASE) }).click();
    await page.getByLabel('Select boat-post.txt').check();
    await page.getByLabel('Select price-list.txt').check();
    await page.getByRole('button', { name: 'Tag 2 selected…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tag 2 selected items' });
    await dialog.getByLabel('Tag', { exact: true }).fill(tag);
    const tagCalls = countCalls(page, 'tagItems');
    const release = await holdCalls(page, 'tagItems');
    await dialog.getByLabel('Tag', { exact: true }).press('Enter');
    await expect.poll(tagCalls.count).toBe(1);
    tagCalls.stop();
    // Before the bound, closing says to wait, as before.
    await page.keyboard.press('Escape');
    await dialog.getByRole('status').filter({ hasText: 'Still saving: wait for it to finish.' }).waitFor();
    return { dialog, release };
  }

  const goesOn = (dialog: Locator) =>
    dialog.getByRole('status').filter({ hasText: 'Saving is taking long.' });

  /** The lasting notice of a refused tagging of the two items, naming the tag; once it has come. */
  async function refusedTooLong(tag: string): Promise<Locator> {
    const refused = page.getByRole('alert').filter({ hasText: 'Not saved: Adding the tag' });
    await refused.waitFor();
    expect(await refused.locator('.body').textContent()).toBe(
      `Not saved: Adding the tag ${tag} to 2 selected itemsTag must be at most 100 characters.`,
    );
    return refused;
  }

  it('after the bound the dialog says it may close with the save going on; Escape closes it, and the tags written later are told in a notice and shown', async () => {
    const { dialog, release } = await tagHeld('held-long');
    try {
      await page.clock.fastForward(PAST_THE_SAVE_BOUND);
      await goesOn(dialog).waitFor();
      expect(await goesOn(dialog).textContent()).toBe(
        'Saving is taking long. You can close this dialog: the save goes on, and a notice will say whether it was written or refused.',
      );
      // Nor does it still say only to wait beside it.
      await expect
        .poll(() => dialog.getByRole('status').filter({ hasText: 'wait for it to finish' }).count())
        .toBe(0);
      // Close and the × are live again.
      expect(await dialog.locator('.dialog-close').getAttribute('aria-disabled')).toBeNull();
      expect(
        await dialog
          .locator('.dialog-foot')
          .getByRole('button', { name: 'Close' })
          .getAttribute('aria-disabled'),
      ).toBeNull();
      await ui.screenshot('day-10-tag-dialog-save-goes-on');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await page
        .getByRole('status')
        .filter({
          hasText:
            'Adding the tag held-long to 2 selected items: still saving. A notice will say whether it was written or refused.',
        })
        .waitFor();
      await ui.screenshot('day-11-tag-dialog-closed-save-going-on');
    } finally {
      await release();
    }
    await page.getByText('Tag held-long added to 2 items').waitFor();
    await expect.poll(() => page.locator('.table-row .tag', { hasText: 'held-long' }).count()).toBe(2);
  });

  it('closed by its × after the bound, a save refused later is told in a notice with the refusal, not lost', async () => {
    const { dialog, release } = await tagHeld('y'.repeat(101));
    try {
      await page.clock.fastForward(PAST_THE_SAVE_BOUND);
      await goesOn(dialog).waitFor();
      await dialog.locator('.dialog-close').click();
      await dialog.waitFor({ state: 'detached' });
    } finally {
      await release();
    }
    const refused = await refusedTooLong('y'.repeat(101));
    // The tag, one long word, wraps inside the notice rather than running out of it.
    expect(await refused.locator('.body').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await ui.screenshot('day-12-tag-refused-after-closing');
    // Told late, it stays (through time and screen changes) until the person dismisses it.
    await refused.getByRole('button', { name: 'Dismiss' }).click();
    await refused.waitFor({ state: 'detached' });
  });

  it('closed after the bound, then another screen, then the dialog again on other items: the refusal that comes names the tag and items it was for, and the open dialog stays open without it', async () => {
    const { dialog, release } = await tagHeld('z'.repeat(101));
    let again: Locator;
    try {
      await page.clock.fastForward(PAST_THE_SAVE_BOUND);
      await goesOn(dialog).waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await page.keyboard.press('Alt+3');
      await page.getByRole('heading', { name: 'Custody log', level: 1 }).waitFor();
      await page.keyboard.press('Alt+2');
      // The list drawn again before its boxes are read: read at once, none were found and the
      // first dialog's two items stayed selected.
      await page.getByLabel('Select boat-post.txt').waitFor();
      for (const box of await page.getByRole('checkbox', { name: /^Select / }).all()) await box.uncheck();
      await page.getByLabel('Select boat-post.txt').check();
      await page.getByRole('button', { name: 'Tag 1 selected…' }).click();
      again = page.getByRole('dialog', { name: 'Tag 1 selected item' });
      await again.getByLabel('Tag', { exact: true }).fill('second-look');
    } finally {
      await release();
    }
    await refusedTooLong('z'.repeat(101));
    // The dialog open now is another one: it stays open, its field as typed, the refusal not in it.
    expect(await again.isVisible()).toBe(true);
    expect(await again.getByLabel('Tag', { exact: true }).inputValue()).toBe('second-look');
    expect(await again.locator('.error-box').count()).toBe(0);
    await page.keyboard.press('Escape');
    await again.waitFor({ state: 'detached' });
  });
});
