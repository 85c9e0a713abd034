/**
 * In real Chromium through the harness to the real services: what the window tells its user to do
 * names the window's own screens, never a `custos` command (the user may have no terminal): a
 * case number that exists points to the Cases list, and the Remotes table with no remote says
 * whom to ask, since the window cannot add one. Screenshots under test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { UiSession } from './support/ui-session.js';

let temp: TempStore;
let ui: UiSession;
let page: Page;

beforeAll(async () => {
  temp = makeTempStore({ caseNumber: 'NX-1' });
  ui = await UiSession.start({ storeDir: temp.dir });
  page = ui.page;
}, 120_000);

afterAll(async () => {
  await ui?.close();
  temp?.remove();
});

/** Fills the New case form and presses Create case. */
async function createCase(number: string, title: string): Promise<void> {
  await page.getByLabel('Case number').fill(number);
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByRole('button', { name: 'Create case' }).click();
}

describe('what the window says to do', () => {
  it('a case number that exists is refused, as a sentence, pointing to the Cases list, not to custos case list', async () => {
    await page.getByRole('heading', { name: 'Cases', level: 1 }).waitFor();
    await createCase('NX-1', 'The same number again');
    const alert = page.getByRole('alert').filter({ hasText: 'already exists' });
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      'A case numbered NX-1 already exists; the Cases list shows cases.',
    );
    expect(await alert.textContent()).not.toContain('custos');
    await ui.screenshot('window-next-step-case-exists');
  });

  it('the Remotes table with no remote says whom to ask, not which command to type', async () => {
    await page.getByText('Test case NX-1').first().click();
    await page.keyboard.press('Alt+4');
    const none = page.getByText('No remote yet.');
    await none.waitFor();
    expect(await none.textContent()).toBe(
      'No remote yet. This window cannot add one: ask whoever manages this workstation to set up a remote (S3 storage) for it.',
    );
    await ui.screenshot('window-next-step-no-remote');
  });
});
