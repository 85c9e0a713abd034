/**
 * The capture screen in the browser harness, where there is no Electron shell: the live browser is
 * shown as unavailable (plainly, with what to do instead), capture by address still works, and the
 * capture shortcuts are listed and work: Ctrl+Shift+S captures the address; the live-only captures
 * say they need the desktop app. Screenshots under test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixturePages, serveFixturePages } from './support/fixture-page.js';
import { UiSession } from './support/ui-session.js';

let ui: UiSession;
let site: FixturePages;
let page: Page;

beforeAll(async () => {
  site = await serveFixturePages();
  ui = await UiSession.start();
  page = ui.page;
  await page.getByLabel('Investigator name').fill('Ana Ruiz');
  await page.getByRole('button', { name: 'Create profile and key' }).click();
  await page.getByLabel('Case number').fill('LIVE-7');
  await page.getByLabel('Title', { exact: true }).fill('Live browser in the harness');
  await page.getByRole('button', { name: 'Create case' }).click();
  await page.getByText('No evidence in this case yet').waitFor();
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await site?.close();
});

describe('the capture screen without the desktop shell', () => {
  it('shows the live browser as unavailable, says what to do instead, and lists the capture shortcuts', async () => {
    await page.getByRole('button', { name: 'Live browser', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Live browser' });
    await panel.getByText('The live browser is not available here').waitFor();
    expect(await panel.getByRole('note').textContent()).toContain('enter an address and press Capture');
    for (const name of ['Capture page', 'Visible area', 'Region']) {
      expect(await panel.getByRole('button', { name }).isDisabled()).toBe(true);
    }
    const shortcuts = await panel.locator('.live-shortcuts').textContent();
    expect(shortcuts).toContain('Ctrl Shift S');
    expect(shortcuts).toContain('Ctrl Shift E');
    expect(shortcuts).toContain('Ctrl Shift X');
    await ui.screenshot('20-capture-live-unavailable');
  });

  it('says a region capture needs the live browser when its shortcut is pressed', async () => {
    await page.keyboard.press('Control+Shift+X');
    await page.getByText('This capture needs the live browser of the desktop app').waitFor();
  });

  it('captures the address in a fresh capture browser with Ctrl+Shift+S', async () => {
    await page.getByRole('button', { name: 'Live browser', exact: true }).click();
    await page.getByLabel('Address to capture').fill(site.listingUrl);
    await page.keyboard.press('Control+Shift+S');
    const digest = page.getByTestId('capture-digest');
    await digest.waitFor({ timeout: 90_000 });
    expect(await digest.textContent()).toMatch(/^[0-9a-f]{64}$/);
    await ui.screenshot('21-capture-by-shortcut');
  }, 120_000);
});

describe('key protection in the browser harness', () => {
  it('shows the key as a file and says sealing needs the desktop app’s keychain, the switch disabled', async () => {
    await page.keyboard.press('Alt+7');
    const panel = page.getByRole('region', { name: 'Key protection' });
    await panel.waitFor();
    expect(await panel.getByTestId('key-protection-state').textContent()).toBe('Key file');
    expect(await panel.getByRole('note').textContent()).toContain('only the Custos desktop app reaches');
    expect(await panel.getByRole('button', { name: 'Seal the key with the OS keychain' }).isDisabled()).toBe(
      true,
    );
    await ui.screenshot('22-settings-key-protection');
  });
});
