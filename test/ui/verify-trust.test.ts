/**
 * The Verify screen tells a recipient what `custos verify` tells them, in real Chromium through
 * the harness to the real core: a bundle exported by another store whose items were stamped by a
 * real local RFC 3161 authority (OpenSSL behind HTTP on 127.0.0.1). Without an expected key the
 * screen warns that the signer was not checked and shows its grouped fingerprint; with the right
 * key the warning goes and the verdict says so. Without the authority's root the tokens are "NOT
 * TRUSTED by you" (only the investigator added it) and no item has a trusted time; with the root
 * file chosen they are trusted and each item shows its trusted time. A file that is no certificate
 * is refused with the CLI's words and nothing is verified. Screens are saved under test-results/ui/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult } from '../../electron/core/bundle/export-bundle.js';
import { groupedFingerprint } from '../../shared/fingerprint-text.js';
import { type CaseFixture, stampedCaseBundle } from '../core/bundle/bundle-fixtures.js';
import { localTsaForTests } from '../support/local-tsa.js';
import { UiSession } from './support/ui-session.js';

const localTsa = localTsaForTests();
let fixture: CaseFixture;
let bundle: ExportResult;
let ui: UiSession;

beforeAll(async () => {
  // The investigator trusts the test authority in their own store: the bundle carries that custody
  // entry, which must not make the recipient trust it.
  ({ fixture, bundle } = await stampedCaseBundle(localTsa()));
  ui = await UiSession.start();
  await ui.openVerifyAsRecipient();
}, 180_000);

afterAll(async () => {
  await ui?.close();
  fixture?.temp.remove();
});

const verdict = () => ui.page.getByTestId('verdict').textContent();
const trustCells = () => ui.page.getByTestId('token-trust').allTextContents();
const trustedTimes = () => ui.page.getByTestId('trusted-time').allTextContents();

/** Saves the verdict and the timestamps table at 1280×800 and 1024×700, to be looked at. */
async function screenshotsAtSizes(name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1024, 700],
  ] as const) {
    await ui.page.setViewportSize({ width, height });
    await ui.page.getByTestId('verdict').scrollIntoViewIfNeeded();
    await ui.screenshot(`verify-${name}-${width}x${height}`);
    await ui.page.getByTestId('timestamps').scrollIntoViewIfNeeded();
    await ui.screenshot(`verify-tokens-${name}-${width}x${height}`);
  }
}

/** Verifies the bundle again (after a change above) and waits for the new result. */
async function verifyAgain(): Promise<void> {
  await ui.page.getByRole('button', { name: 'Verify again' }).click();
  await ui.page.getByTestId('verdict').waitFor({ timeout: 60_000 });
}

describe('the Verify screen says what custos verify says', () => {
  it('warns that the signer was not checked, with its grouped fingerprint, when no key is expected', async () => {
    const page = ui.page;
    await page.getByLabel('Choose a bundle or WACZ…').setInputFiles(bundle.file);
    await page.getByTestId('verdict').waitFor({ timeout: 60_000 });
    expect(await verdict()).toContain('Valid as signed by the key shown (signer not checked)');
    const warning = page.getByTestId('signer-warning');
    expect(await warning.textContent()).toContain('The signer was not checked');
    expect(await page.getByTestId('signer-grouped').textContent()).toBe(groupedFingerprint(bundle.signer));
    expect(await warning.textContent()).toContain('verify again');
    expect(await page.getByTestId('signer-expected').count()).toBe(0);
  }, 90_000);

  it('shows each token as NOT TRUSTED by you without roots, naming the custody entry, and no trusted time', async () => {
    const page = ui.page;
    const trust = await trustCells();
    // Two items and the custody ledger head, each stamped.
    expect(trust).toHaveLength(3);
    for (const words of trust)
      expect(words).toMatch(
        /^NOT TRUSTED by you: only the investigator added its root \(custody entry \d+\)/,
      );
    expect(await page.getByTestId('timestamps').textContent()).toContain('custody ledger head');
    expect(await page.getByTestId('timestamps').textContent()).toContain('CN=tsa test authority');
    expect(await trustedTimes()).toEqual(['not established', 'not established']);
    expect(await page.getByTestId('untimed').textContent()).toBe(
      'Trusted time NOT established for 2 of 2 item(s).',
    );
    expect(await page.getByTestId('verify-warnings').textContent()).toContain('NOT publicly trusted');
    await page.getByTestId('timestamps').scrollIntoViewIfNeeded();
    await ui.screenshot('verify-tokens-untrusted-1440x900');
  });

  it('refuses a root file that holds no certificate with the CLI’s words as a sentence, and verifies nothing', async () => {
    const page = ui.page;
    const notes = ui.writeFile('notes.txt', 'not a certificate\n');
    await page.getByTestId('tsa-roots-input').setInputFiles(notes);
    const alert = page.locator('.error-box[role=alert]');
    await alert.waitFor({ timeout: 60_000 });
    // The harness hands the browser's file to the core as an upload (a browser gives no path).
    expect(await alert.textContent()).toMatch(
      /^The TSA root file \S*notes\.txt holds no PEM certificate \(-----BEGIN CERTIFICATE-----\).*; nothing was verified\.$/,
    );
    expect(await page.getByTestId('verdict').count()).toBe(0);
    expect(await page.getByTestId('timestamps').count()).toBe(0);
  }, 90_000);

  it('with the authority’s root file chosen, each token is trusted and each item shows its trusted time', async () => {
    const page = ui.page;
    await page.getByTestId('tsa-roots-input').setInputFiles(localTsa().caFile);
    await page.getByTestId('verdict').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('tsa-roots').textContent()).toBe('ca.pem');
    const trust = await trustCells();
    expect(trust).toHaveLength(3);
    for (const words of trust) expect(words).toBe('trusted: chains to a root you gave');
    const times = await trustedTimes();
    expect(times).toHaveLength(2);
    for (const time of times) expect(time).toMatch(/\d{2}:\d{2}/);
    expect(await page.getByTestId('untimed').count()).toBe(0);
    expect(await page.getByTestId('verify-warnings').count()).toBe(0);
    expect(await page.getByTestId('evidence-hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await screenshotsAtSizes('unchecked');
  }, 90_000);

  it('with the exporter’s key typed in, the warning goes and the verdict says it is the key you expected', async () => {
    const page = ui.page;
    await page.getByLabel("Sender's key fingerprint (optional)").fill(groupedFingerprint(bundle.signer));
    await verifyAgain();
    await expect.poll(verdict, { timeout: 60_000 }).toContain('Valid, signed by the key you expected');
    expect(await page.getByTestId('signer-warning').count()).toBe(0);
    expect(await page.getByTestId('signer-expected').textContent()).toContain('the key you expected');
    await screenshotsAtSizes('checked');
  }, 90_000);
});
