/**
 * Forms that save through the service, submitted again while they save (Enter pressed twice in a
 * field): one save is sent, the button stays pressable (aria-disabled) and a polite status says to
 * wait, where a disabled button made the window drop the second Enter without a word; once the
 * save is answered, the form is as before. First run, a new case, a selector (the add form watches
 * share), a persona and the capture settings, in real Chromium through the loopback harness to a
 * real store. Screenshots under test-results/ui/.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdCalls } from './support/hold-calls.js';
import { UiSession } from './support/ui-session.js';

let ui: UiSession;
let page: Page;
/** The API calls the window sent, by method. */
const sent = new Map<string, number>();
const sentCount = (method: string) => sent.get(method) ?? 0;

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  page.on('request', (request) => {
    const method = /\/api\/(\w+)$/.exec(new URL(request.url()).pathname)?.[1];
    if (method) sent.set(method, sentCount(method) + 1);
  });
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

const STILL_SAVING = 'Still saving: wait for it to finish.';
const stillSaving = () => page.getByRole('status').filter({ hasText: STILL_SAVING });

/**
 * Presses Enter in `field`, holds the save (`method`) and presses Enter again: one save is sent,
 * the button is aria-disabled, not disabled, and the status says to wait. Then lets the save go,
 * with a screenshot named `screenshot` taken while it is held, when given; with `pressButton`, the
 * button itself is pressed too (Space, a click, a double click) while the save is held.
 */
async function enterTwiceWhileSaving(
  method: string,
  field: Locator,
  button: Locator,
  screenshot?: string,
  pressButton = false,
): Promise<void> {
  const before = sentCount(method);
  const released = await holdCalls(page, method);
  try {
    await field.press('Enter');
    await expect.poll(() => sentCount(method)).toBe(before + 1);
    await expect.poll(() => button.getAttribute('aria-disabled')).toBe('true');
    // Not disabled: a form whose default button is disabled drops the Enter (playwright's
    // isDisabled counts aria-disabled too).
    expect(await button.getAttribute('disabled')).toBeNull();
    const said = await statusChanges(button);
    await field.press('Enter');
    await stillSaving().waitFor();
    // A third Enter says it again (cleared, then said), so that a screen reader repeats it.
    await field.press('Enter');
    await expect.poll(said).toEqual([STILL_SAVING, '', STILL_SAVING]);
    if (screenshot) await ui.screenshot(screenshot);
    if (pressButton) {
      // The aria-disabled button, pressed itself: Space, a click and a double click send nothing.
      await button.focus();
      await page.keyboard.press('Space');
      await button.click({ force: true });
      await button.dblclick({ force: true });
      expect(sentCount(method)).toBe(before + 1);
      expect(
        await button.evaluate((b) => b === (b.ownerDocument as { activeElement: unknown }).activeElement),
      ).toBe(true);
    }
  } finally {
    await released();
  }
  await expect.poll(() => stillSaving().count()).toBe(0);
  expect(sentCount(method)).toBe(before + 1);
}

/**
 * Presses Enter in `field` of a form that lacks something, then the button itself: nothing is
 * sent, and the polite status says what to fill in (`message`), where a disabled button made the
 * window drop the Enter without a word. The button stays pressable (aria-disabled, not disabled).
 */
async function enterWhileMissing(
  method: string,
  field: Locator,
  button: Locator,
  message: string,
): Promise<void> {
  const before = sentCount(method);
  await field.press('Enter');
  await page.getByRole('status').filter({ hasText: message }).waitFor();
  expect(await button.getAttribute('aria-disabled')).toBe('true');
  expect(await button.getAttribute('disabled')).toBeNull();
  await button.click({ force: true });
  await page.getByRole('status').filter({ hasText: message }).waitFor();
  expect(sentCount(method)).toBe(before);
}

/**
 * What the polite status beside `button` says, as it changes from now on (each text once in a row,
 * its first empty state left out): what a screen reader announces in turn.
 */
async function statusChanges(button: Locator): Promise<() => Promise<string[]>> {
  const status = button.locator('xpath=following-sibling::*[@role="status"][1]');
  await status.evaluate((element) => {
    const texts: string[] = [];
    (element as unknown as { said: string[] }).said = texts;
    const { MutationObserver } = globalThis as unknown as {
      MutationObserver: new (
        noted: () => void,
      ) => { observe(target: unknown, options: Record<string, boolean>): void };
    };
    new MutationObserver(() => {
      const text = element.textContent ?? '';
      if (texts[texts.length - 1] !== text) texts.push(text);
    }).observe(element, { childList: true, characterData: true, subtree: true });
  });
  return () => status.evaluate((element) => [...(element as unknown as { said: string[] }).said]);
}

describe('a form that lacks a required field, submitted', () => {
  it('first run: Enter in the empty name says to enter the investigator name first and creates no key', async () => {
    const name = page.getByLabel('Investigator name');
    const button = page.getByRole('button', { name: 'Create profile and key' });
    await enterWhileMissing('initProfile', name, button, 'Enter the investigator name first.');
    await ui.screenshot('saving-00-first-run-missing-name');
    // Typing the name takes the sentence away: it no longer says what is true.
    await name.fill('A');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'first.' }).count()).toBe(0);
    await name.fill('');
  });
});

describe('a form submitted again while it saves', () => {
  it('first run: creates one profile and key, saying to wait at the second Enter', async () => {
    const name = page.getByLabel('Investigator name');
    await name.fill('Ana Ruiz');
    await enterTwiceWhileSaving(
      'initProfile',
      name,
      page.getByRole('button', { name: 'Create profile and key' }),
      'saving-01-first-run',
    );
    await page.getByLabel('Case number').waitFor();
  });

  it('new case: Enter without a number says to enter a case number first, without a title to enter a title, and creates nothing', async () => {
    const number = page.getByLabel('Case number');
    const button = page.getByRole('button', { name: 'Create case' });
    await enterWhileMissing('createCase', number, button, 'Enter a case number first.');
    await number.fill('BE-2026-0142');
    await enterWhileMissing('createCase', number, button, 'Enter a title first.');
  });

  it('new case: Enter pressed again on the same empty number says it again (the status cleared, then said), so that a screen reader repeats it rather than saying nothing', async () => {
    const number = page.getByLabel('Case number');
    const button = page.getByRole('button', { name: 'Create case' });
    await number.fill('');
    const message = 'Enter a case number first.';
    const said = await statusChanges(button);
    await number.press('Enter');
    await expect.poll(said).toEqual([message]);
    await number.press('Enter');
    await expect.poll(said).toEqual([message, '', message]);
    // The button pressed then says it once more, as a third Enter would.
    await button.click({ force: true });
    await expect.poll(said).toEqual([message, '', message, '', message]);
    expect(sentCount('createCase')).toBe(0);
  });

  it('new case: Create case, aria-disabled while the number is empty, looks disabled under the mouse too, not as a live button in the accent colour', async () => {
    const number = page.getByLabel('Case number');
    const button = page.getByRole('button', { name: 'Create case' });
    await number.fill('');
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    const look = () =>
      button.evaluate((b) => {
        const style = (
          globalThis as unknown as {
            getComputedStyle(element: unknown): { backgroundColor: string; filter: string };
          }
        ).getComputedStyle(b);
        return `${style.backgroundColor} ${style.filter}`;
      });
    await page.mouse.move(0, 0);
    const resting = await look();
    await button.hover({ force: true });
    expect(await look()).toBe(resting);
    await page.mouse.move(0, 0);
  });

  it('new case: creates one case, saying to wait at the second Enter and when its button is pressed, clicked or double-clicked, and opens it', async () => {
    const number = page.getByLabel('Case number');
    await number.fill('BE-2026-0142');
    await page.getByLabel('Title', { exact: true }).fill('Boat crossings advertised on Facebook');
    await enterTwiceWhileSaving(
      'createCase',
      number,
      page.getByRole('button', { name: 'Create case' }),
      'saving-02-new-case',
      true,
    );
    await page.getByText('No evidence in this case yet').waitFor();
  });

  it('add a selector: adds one, saying to wait at the second Enter; after it, the form is ready for the next', async () => {
    await page.getByRole('button', { name: /^Selectors/ }).click();
    const value = page.getByLabel('Number, account or words');
    const button = page.getByRole('button', { name: 'Add selector' });
    await value.fill('+218 91 234 5678');
    await enterTwiceWhileSaving('addSelector', value, button, 'saving-03-selector');
    await page.getByRole('status').filter({ hasText: 'Selector +218912345678 added' }).waitFor();
    expect(await value.inputValue()).toBe('');
    // Empty again: the button waits for a value, as before the save, and says so when pressed.
    await enterWhileMissing('addSelector', value, button, 'Enter a number, account or words first.');
  });

  it('create a persona: creates one, saying to wait at the second Enter', async () => {
    await page.getByRole('button', { name: /^Settings/ }).click();
    const name = page.getByLabel('New persona name');
    await name.fill('fb-undercover-1');
    await enterTwiceWhileSaving(
      'createPersona',
      name,
      page.getByRole('button', { name: 'Create persona' }),
      'saving-04-persona',
    );
    await page.getByRole('list', { name: 'Personas' }).getByText('fb-undercover-1').waitFor();
  });

  it('capture settings: saves once, saying to wait at the second Enter; after it, the button is as before', async () => {
    const wait = page.getByLabel('Wait for the server');
    const button = page.getByRole('button', { name: 'Save capture settings' });
    await wait.fill('45');
    await enterTwiceWhileSaving('setCaptureSettings', wait, button, 'saving-05-capture-settings');
    await page.getByRole('status').filter({ hasText: 'Capture settings saved' }).waitFor();
    expect(await button.getAttribute('aria-disabled')).toBeNull();
    expect(await button.isDisabled()).toBe(false);
  });
});
