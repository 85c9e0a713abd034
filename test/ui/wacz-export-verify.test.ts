/**
 * A WACZ from the app, in real Chromium through the harness to the real services on a temporary
 * store: the Export screen's "Web archive (WACZ)" choice writes a signed WACZ of a real page
 * capture (its refusal of a name not ending in .wacz shown as the CLI words it), the Verify screen
 * checks it as `custos verify FILE.wacz` does, and a copy with one flipped byte in its WARC is
 * INVALID with the WARC named. Screens are saved under test-results/ui/.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupedFingerprint } from '../../shared/fingerprint-text.js';
import { tamper } from '../core/bundle/bundle-fixtures.js';
import { readLedgerRows } from '../support/ledger-rows.js';
import { type FixturePages, serveFixturePages } from './support/fixture-page.js';
import { SEEDED_CASE, seedPageCaptures } from './support/seed-captures.js';
import { UiSession } from './support/ui-session.js';

let ui: UiSession;
let site: FixturePages;
let page: Page;
let waczFile = '';

beforeAll(async () => {
  site = await serveFixturePages();
  ui = await UiSession.start();
  page = ui.page;
  await seedPageCaptures(ui, [site.listingUrl]);
  await page.getByRole('button', { name: /^Cases/ }).click();
  await page.getByRole('button', { name: new RegExp(SEEDED_CASE.number) }).click();
}, 180_000);

afterAll(async () => {
  await ui?.close();
  await site?.close();
});

describe('WACZ export and verify in the app', () => {
  it('refuses a WACZ whose name does not end in .wacz, as the CLI does, and writes nothing', async () => {
    await page.keyboard.press('Alt+4');
    await page.getByRole('heading', { name: 'Export a sealed bundle' }).waitFor();
    await page.getByLabel('Web archive (WACZ)').check();
    const destination = page.getByLabel('Save the WACZ as');
    await expect.poll(() => destination.inputValue()).toMatch(/\.wacz$/);
    const entries = readLedgerRows(ui.storeDir).length;
    const wrongName = (await destination.inputValue()).replace(/\.wacz$/, '.zip');
    await destination.fill(wrongName);
    await page.getByRole('button', { name: 'Export WACZ' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 60_000 })
      .toContain("a WACZ's file name must end in .wacz");
    expect(fs.existsSync(wrongName)).toBe(false);
    expect(readLedgerRows(ui.storeDir)).toHaveLength(entries);
  }, 90_000);

  it('exports the case as a WACZ and shows its SHA-256, which matches the file', async () => {
    const destination = page.getByLabel('Save the WACZ as');
    await destination.fill((await destination.inputValue()).replace(/\.zip$/, '.wacz'));
    await page.getByRole('button', { name: 'Export WACZ' }).click();
    const hash = page.getByTestId('bundle-hash');
    await hash.waitFor({ timeout: 90_000 });
    waczFile = await destination.inputValue();
    expect(await page.getByRole('heading', { name: 'WACZ written: 1 page' }).count()).toBe(1);
    expect(await hash.textContent()).toBe(
      createHash('sha256').update(fs.readFileSync(waczFile)).digest('hex'),
    );
    await ui.screenshot('wacz-01-export-done');
  }, 120_000);

  it('verifies the WACZ: every check green, the signer is this workstation’s key, and unchecked until typed in', async () => {
    await page.keyboard.press('Alt+5');
    await page.getByRole('heading', { name: 'Verify & receive' }).waitFor();
    await page.getByLabel('Choose a bundle or WACZ…').setInputFiles(waczFile);
    await page.getByTestId('verdict').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('verdict').textContent()).toContain('Valid');
    expect(await page.locator('[data-check][data-ok="true"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-check][data-ok="false"]').count()).toBe(0);
    const fingerprint = (await page.locator('.sidebar-foot .fp').getAttribute('title')) ?? '';
    expect(await page.getByTestId('signer').textContent()).toBe(fingerprint);
    // No expected key was typed: the verdict and a warning say so, with the key to compare.
    expect(await page.getByTestId('verdict').textContent()).toContain('signer not checked');
    expect(await page.getByTestId('signer-warning').textContent()).toContain('Anyone can make a WACZ');
    expect(await page.getByTestId('signer-grouped').textContent()).toBe(groupedFingerprint(fingerprint));
    await ui.screenshot('wacz-02-verify-unchecked');
    await page.getByLabel("Sender's key fingerprint (optional)").fill(fingerprint);
    await page.getByRole('button', { name: 'Verify again' }).click();
    await expect
      .poll(() => page.getByTestId('verdict').textContent(), { timeout: 60_000 })
      .toContain('signed by the key you expected');
    expect(await page.getByTestId('signer-warning').count()).toBe(0);
    // A WACZ is verified, not received: only a bundle goes into the store.
    expect(await page.getByRole('button', { name: 'Receive into this store' }).count()).toBe(0);
    await ui.screenshot('wacz-02-verify-valid');
  }, 90_000);

  it('names the WARC in a copy with one flipped byte and marks its check red', async () => {
    let warc = '';
    const flipped = await tamper(waczFile, path.join(path.dirname(waczFile), 'flipped.wacz'), (files) => {
      warc = [...files.keys()].find((name) => name.startsWith('archive/')) ?? '';
      const bytes = Buffer.from(files.get(warc) ?? []);
      bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0x01;
      files.set(warc, bytes);
    });
    expect(warc).toMatch(/^archive\/.+\.warc\.gz$/);
    await page.getByLabel('Choose a bundle or WACZ…').setInputFiles(flipped);
    await expect
      .poll(() => page.getByTestId('verdict').textContent(), { timeout: 60_000 })
      .toContain('INVALID');
    const resources = page.locator('[data-check="resources"]');
    expect(await resources.getAttribute('data-ok')).toBe('false');
    expect(await resources.textContent()).toContain(`${warc}: content differs from datapackage.json`);
    // Every problem sits under a named check: the capture record's mismatch under the pages.
    expect(await page.locator('[data-check="pages"]').getAttribute('data-ok')).toBe('false');
    expect(await page.locator('[data-check="other"]').count()).toBe(0);
    await ui.screenshot('wacz-03-verify-flipped');
  }, 90_000);
});
