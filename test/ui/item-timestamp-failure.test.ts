/**
 * In real Chromium through the harness to the real services: an item whose trusted timestamp a
 * real local authority refused (its root is not one the store trusts) shows on the item screen,
 * as a warning, why it is not stamped yet, in the window's words (whom to ask, or another
 * authority in Settings, never a `custos` command), with a button that asks the authorities again
 * and, the authority answering now, stamps it and takes the warning away; an item screen opened
 * while the request is out (an authority that never answers) shows the reason once the request
 * settles (the authority holds it, then gives up). Screenshot under test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { stampNewItem } from '../../electron/core/timestamp/stamp-queue.js';
import { setAuthorities } from '../../electron/core/timestamp/timestamp-settings.js';
import { localTsaForTests, trustAndAskLocalTsa } from '../support/local-tsa.js';
import { type FixturePages, serveFixturePages } from './support/fixture-page.js';
import { UiSession } from './support/ui-session.js';

const localTsa = localTsaForTests();
let ui: UiSession;
let page: Page;

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await site?.close();
});

let site: FixturePages | undefined;

describe("an item's timestamp that an authority refused", () => {
  it("shows on the item screen why it is not stamped yet, in the window's words, and its button gets the stamp granted", async () => {
    await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
      store.createCase({ number: 'TS-1', title: 'Refused stamps' });
      const item = await importFile(
        store,
        'TS-1',
        ui.writeFile('notes.txt', Buffer.from('boat trip at dawn\n')),
      );
      trustAndAskLocalTsa(store, localTsa());
      await localTsa().setMode('untrusted');
      try {
        expect((await stampNewItem(store, item.id)).status).toBe('pending');
      } finally {
        await localTsa().setMode('ok');
      }
    });
    await page.getByRole('button', { name: /TS-1/ }).click();
    await page.locator('.table-row', { hasText: 'notes.txt' }).dblclick();
    const warning = page.getByTestId('timestamp-failure');
    await warning.waitFor();
    const text = (await warning.textContent()) ?? '';
    expect(text).toContain('Not stamped yet: ');
    expect(text).toContain('does not chain to a trusted root');
    expect(text).toContain(
      "ask whoever looks after this workstation's Custos to add its root certificate to this store (this window cannot), or choose another authority under Trusted timestamps in Settings",
    );
    expect(text).toContain('press Ask the authorities again to send it now');
    expect(text).not.toMatch(/custos [a-z]|--[a-z]/);
    await warning.scrollIntoViewIfNeeded();
    await ui.screenshot('item-timestamp-refused');

    // The authority answers now: the button sends the request again and the item is stamped.
    await warning.getByRole('button', { name: 'Ask the authorities again' }).click();
    const result = page.getByTestId('timestamp-request-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toContain('Granted: 2 timestamp requests were granted');
    await page.getByText(/granted by .*tsa test authority/i).waitFor();
    expect(await warning.count()).toBe(0);
    await result.scrollIntoViewIfNeeded();
    await ui.screenshot('item-timestamp-asked-again');

    // Settings has the same button: with every request granted, it says nothing was waiting.
    await page.keyboard.press('Alt+7');
    await page.getByRole('button', { name: 'Ask the authorities again' }).click();
    const again = page.getByTestId('timestamp-request-result');
    await again.waitFor({ timeout: 60_000 });
    expect(await again.textContent()).toContain('Nothing was waiting');
    await ui.screenshot('settings-timestamps-asked-again');
  });

  it('shows the reason on an item screen opened before the authority answered, once the request settles', async () => {
    site = await serveFixturePages();
    await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
      store.createCase({ number: 'TS-2', title: 'A silent authority' });
      setAuthorities(store, [localTsa().url]);
    });
    // The authority does not answer while the item screen opens; then it gives up (HTTP 503) and the
    // request settles pending, as it would when the client's timeout (15 s) ran out.
    await localTsa().setMode('hang');
    const requestsBefore = localTsa().requests;
    try {
      await page.getByRole('button', { name: /TS-2/ }).click();
      await page.getByRole('button', { name: 'Live browser', exact: true }).click();
      await page.getByLabel('Address to capture').fill(site.listingUrl);
      await page.keyboard.press('Control+Shift+S');
      await page.getByTestId('capture-digest').waitFor({ timeout: 90_000 });
      await page.keyboard.press('Alt+2');
      await page.locator('.table-row').first().dblclick();
      await page.getByText('requested, waiting for an authority').waitFor();
      await expect.poll(() => localTsa().requests).toBeGreaterThan(requestsBefore);
      localTsa().endHanging();
      const warning = page.getByTestId('timestamp-failure');
      await warning.waitFor({ timeout: 60_000 });
      expect(await warning.textContent()).toContain(`Not stamped yet: ${localTsa().url}`);
    } finally {
      await localTsa().setMode('ok');
    }
  }, 150_000);
});
