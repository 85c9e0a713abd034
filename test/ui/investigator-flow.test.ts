/**
 * The investigator's day in the real app, in real Chromium, through the loopback harness to the
 * real services on a temporary store: first run, a case, a capture by URL, the item, a note, an
 * import by drag and drop, an export with its hash, and a good and a tampered bundle verified.
 * Every screen is saved under test-results/ui/ to be looked at.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLedgerRows } from '../support/ledger-rows.js';
import { type FixturePages, serveFixturePages } from './support/fixture-page.js';
import { UiSession } from './support/ui-session.js';

const CASE_NUMBER = 'BE-2026-0142';
const AD_TITLE = 'رحلة بحرية إلى أوروبا — مقاعد متاحة';
const NOTE = 'Seller answered in Persian: سفر امن با قایق';

let ui: UiSession;
let site: FixturePages;
let page: Page;
let capturedDigest = '';
let bundleFile = '';

beforeAll(async () => {
  site = await serveFixturePages();
  ui = await UiSession.start();
  page = ui.page;
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await site?.close();
});

/**
 * The browser globals used inside page.evaluate: this file is compiled with Node's types, and the
 * callbacks run in the page, where these exist.
 */
interface PageGlobals {
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
  getComputedStyle(element: unknown): { direction: string; unicodeBidi: string };
  document: { documentElement: { dataset: Record<string, string | undefined> } };
}

/** Drops files on an element as the operating system would (a DataTransfer holding File objects). */
async function dropFiles(
  target: string,
  files: readonly { name: string; type: string; bytes: Uint8Array }[],
) {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const w = globalThis as unknown as PageGlobals;
      const transfer = new w.DataTransfer();
      for (const f of list)
        transfer.items.add(new w.File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
      return transfer;
    },
    files.map((f) => ({ ...f, bytes: [...f.bytes] })),
  );
  await page.dispatchEvent(target, 'dragover', { dataTransfer });
  await page.dispatchEvent(target, 'drop', { dataTransfer });
}

function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('the investigator in the app', () => {
  it('first run asks for the profile, creates the signing key and shows its fingerprint', async () => {
    await page.getByLabel('Investigator name').waitFor();
    await ui.screenshot('01-first-run');
    await page.getByLabel('Investigator name').fill('Ana Ruiz');
    await page.getByLabel('Agency (optional)').fill('Border Police, Unit 3');
    await page.getByLabel('Badge or staff number (optional)').fill('4411');
    await page.getByRole('button', { name: 'Create profile and key' }).click();
    await expect.poll(() => page.locator('.sidebar-foot').textContent()).toContain('Ana Ruiz');
    expect(await page.locator('.sidebar-foot .fp').textContent()).toMatch(/^key [0-9a-f]{16}…$/);
  });

  it('a bad case number is refused with the reason, then a case is created and opened', async () => {
    await page.getByLabel('Case number').fill('BE 2026/0142');
    await page.getByLabel('Title', { exact: true }).fill('Boat crossing adverts');
    await page.getByRole('button', { name: 'Create case' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('must not contain spaces');
    await page.getByLabel('Case number').fill(CASE_NUMBER);
    // The refusal goes once the number is corrected.
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    await page
      .getByLabel('Description (optional)')
      .fill('Adverts for sea crossings posted on a marketplace.');
    await ui.screenshot('02-start-new-case');
    await page.getByRole('button', { name: 'Create case' }).click();
    await page.getByText('No evidence in this case yet').waitFor();
    expect(await page.locator('.sidebar-case .number').textContent()).toBe(CASE_NUMBER);
    await ui.screenshot('03-evidence-empty');
  });

  it('captures a page by its address and shows the new item’s digest in a notice', async () => {
    await page.keyboard.press('Control+l');
    await page.keyboard.type(site.listingUrl);
    await page.getByRole('button', { name: 'Capture', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Loading the page' })
      .or(page.getByText('Page captured and sealed'))
      .first()
      .waitFor();
    const digest = page.getByTestId('capture-digest');
    await digest.waitFor({ timeout: 90_000 });
    capturedDigest = (await digest.textContent()) ?? '';
    expect(capturedDigest).toMatch(/^[0-9a-f]{64}$/);
    await ui.screenshot('04-capture-notice');
  }, 120_000);

  it('finds the capture in the list, its Arabic title shown right to left, with digest prefix and kind', async () => {
    const row = page.locator('.table-row', { hasText: capturedDigest.slice(0, 10) });
    await row.waitFor();
    const title = row.locator('span[dir="auto"]').first();
    expect(await title.textContent()).toBe(AD_TITLE);
    expect(
      await title.evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).direction),
    ).toBe('rtl');
    expect(
      await title.evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).unicodeBidi),
    ).toBe('plaintext');
    expect(await row.textContent()).toContain('Capture');
    await page.locator('.thumb[src^="data:image/"]').first().waitFor();
  });

  it('opens the item with Enter: screenshot, capture record, artifacts with hashes, custody', async () => {
    await page.locator('section.vlist').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Capture record' }).waitFor();
    const shot = page.locator('.viewer-canvas img');
    await shot.waitFor();
    await expect
      .poll(() => shot.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(500);
    const record = await page.locator('.kv').first().textContent();
    expect(record).toContain(site.listingUrl);
    expect(record).toContain('127.0.0.1');
    const hashes = await page.locator('.simple-table .hash').allTextContents();
    expect(hashes.length).toBeGreaterThanOrEqual(5);
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.locator('#custody-head').textContent()).toContain('1 entry');
    await ui.screenshot('05-item-detail');
  }, 60_000);

  it('zooms the screenshot and shows the captured text right to left', async () => {
    await page.getByRole('button', { name: 'Zoom in' }).click();
    expect(await page.locator('.viewer-bar').textContent()).toContain('%');
    await page.getByRole('tab', { name: 'Text' }).click();
    const text = page.locator('pre.viewer-text');
    await text.waitFor();
    expect(await text.textContent()).toContain('مغادرة كل أسبوع');
    expect(await text.getAttribute('dir')).toBe('auto');
    await ui.screenshot('06-item-text-rtl');
    await page.getByRole('tab', { name: 'Full page' }).click();
  });

  it('adds a note and a tag, each recorded as a custody entry', async () => {
    await page.getByLabel('Write a note about this item').fill(NOTE);
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.note', { hasText: NOTE }).waitFor();
    await page.getByLabel('New tag').fill('boat');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.locator('.panel .tag', { hasText: 'boat' }).waitFor();
    await expect.poll(() => page.locator('#custody-head').textContent()).toContain('3 entries');
    expect(await page.locator('.custody-entry').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Note added'), expect.stringContaining('Tag added')]),
    );
    await ui.screenshot('07-item-note-tag');
  });

  it('imports a dropped file into the case with its bytes preserved', async () => {
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="evidence-drop"]').waitFor();
    const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#3a7bd5' } })
      .png()
      .toBuffer();
    await dropFiles('[data-testid="evidence-drop"]', [
      { name: 'phone-photo.png', type: 'image/png', bytes: png },
    ]);
    await page.getByText('1 file imported').waitFor();
    const row = page.locator('.table-row', { hasText: 'phone-photo.png' });
    await row.waitFor();
    const expected = createHash('sha256').update(png).digest('hex');
    await row.dblclick();
    await page.getByRole('heading', { name: 'Capture record' }).waitFor();
    expect(await page.locator('.simple-table .hash').allTextContents()).toContain(expected);
    await page.keyboard.press('Escape');
    // Back on the list, the count appears once the list's first page has arrived.
    await expect.poll(() => page.locator('.list-toolbar .count').textContent()).toBe('2 items');
    await ui.screenshot('08-evidence-list');
  });

  it('filters the list by search, kind and tag', async () => {
    await page.getByLabel('Kind').selectOption('import');
    await expect.poll(() => page.locator('.list-toolbar .count').textContent()).toBe('1 item');
    await page.getByLabel('Kind').selectOption('');
    await page.getByLabel('Tag', { exact: true }).selectOption('boat');
    await expect.poll(() => page.locator('.list-toolbar .count').textContent()).toBe('1 item');
    await page.getByLabel('Tag', { exact: true }).selectOption('');
    await page.keyboard.press('/');
    await page.keyboard.type('phone-photo');
    await expect.poll(() => page.locator('.list-toolbar .count').textContent()).toBe('1 item');
    await page.getByLabel(/Search page text/).fill('');
    await expect.poll(() => page.locator('.list-toolbar .count').textContent()).toBe('2 items');
  });

  it('searches the page text through the index and shows where it matched, highlighted', async () => {
    // The captured page says قایق (Persian yeh); the query has the Arabic yeh.
    await page.getByLabel(/Search page text/).fill('قايق');
    await expect.poll(() => page.locator('.list-toolbar .count').textContent()).toBe('1 item');
    const snippet = page.locator('.table-row .snippet').first();
    const mark = snippet.locator('mark').first();
    await mark.waitFor();
    expect(await mark.textContent()).toBe('قایق');
    // the snippet is cut from the captured page's text (the note says قایق too)
    expect(await snippet.getAttribute('title')).toContain('جای محدود');
    expect(await snippet.getAttribute('dir')).toBe('auto');
    expect(
      await snippet.evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).direction),
    ).toBe('rtl');
    expect(await page.locator('.table-head').textContent()).toContain('Where it matched');
    await ui.screenshot('08b-evidence-search');
    await page.getByLabel(/Search page text/).fill('');
    await expect.poll(() => page.locator('.list-toolbar .count').textContent()).toBe('2 items');
  });

  it('searches all cases from the navigation, finds the capture from another case and opens it there', async () => {
    // A second case, open while searching: the hit belongs to the first.
    await page.keyboard.press('Alt+1');
    await page.getByLabel('Case number').fill('BE-2026-0200');
    await page.getByLabel('Title', { exact: true }).fill('Other crossings');
    await page.getByRole('button', { name: 'Create case' }).click();
    await page.getByText('No evidence in this case yet').waitFor();
    await page.getByRole('button', { name: /Search all cases/ }).click();
    const box = page.getByLabel(/a "phrase in quotes"/);
    await box.fill('اوروبا'); // the page writes أوروبا
    await box.press('Enter');
    const hit = page.locator('.search-hit').first();
    await hit.waitFor();
    expect(await page.locator('.search-hit').count()).toBe(1);
    expect(await hit.locator('.search-hit-head .mono').first().textContent()).toBe(CASE_NUMBER);
    expect(await hit.locator('.snippet mark').first().textContent()).toBe('أوروبا');
    await ui.screenshot('08c-search-all-cases');
    await hit.click();
    await page.getByRole('heading', { name: 'Capture record' }).waitFor();
    expect(await page.locator('.sidebar-case .number').textContent()).toBe(CASE_NUMBER);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.list-toolbar .count').textContent()).toBe('2 items');
  });

  it('shows the case’s custody log in order', async () => {
    await page.keyboard.press('Alt+3');
    await page.getByRole('heading', { name: 'Custody log' }).waitFor();
    await page.locator('.table-row', { hasText: 'File imported' }).waitFor();
    const rows = await page.locator('.table-row').allTextContents();
    expect(rows[0]).toContain('Case created');
    expect(rows.some((r) => r.includes('Page captured'))).toBe(true);
    expect(rows.some((r) => r.includes('File imported'))).toBe(true);
    await ui.screenshot('09-custody-log');
  });

  it('cancels an export: no bundle, no temporary file and no custody entry are left', async () => {
    await page.keyboard.press('Alt+4');
    await page.getByRole('heading', { name: 'Export a sealed bundle' }).waitFor();
    const destination = page.getByLabel('Save the bundle as');
    await expect.poll(() => destination.inputValue()).toContain(ui.exportDir);
    const entries = readLedgerRows(ui.storeDir).length;
    await page.getByRole('button', { name: 'Export bundle' }).click();
    const cancel = page.getByRole('button', { name: 'Cancel export' });
    await cancel.waitFor();
    await ui.screenshot('10-export-running');
    await cancel.click();
    await page.getByText('Export cancelled').waitFor({ timeout: 60_000 });
    expect(fs.existsSync(await destination.inputValue())).toBe(false);
    expect(fs.existsSync(ui.exportDir) ? fs.readdirSync(ui.exportDir) : []).toEqual([]);
    expect(readLedgerRows(ui.storeDir)).toHaveLength(entries);
    await ui.screenshot('10-export-cancelled');
  }, 120_000);

  it('exports the case with progress and shows the bundle’s SHA-256, which matches the file', async () => {
    const destination = page.getByLabel('Save the bundle as');
    await page.getByRole('button', { name: 'Export bundle' }).click();
    const hash = page.getByTestId('bundle-hash');
    await hash.waitFor({ timeout: 90_000 });
    bundleFile = await destination.inputValue();
    expect(fs.existsSync(bundleFile)).toBe(true);
    expect(await hash.textContent()).toBe(sha256File(bundleFile));
    await ui.screenshot('10-export-done');
  }, 120_000);

  it('verifies the exported bundle: every check green and the signer is this workstation’s key', async () => {
    await page.keyboard.press('Alt+5');
    await page.getByRole('heading', { name: 'Verify & receive' }).waitFor();
    await page.locator('input[type=file][accept=".zip,.age,.wacz"]').setInputFiles(bundleFile);
    await page.getByTestId('verdict').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('verdict').textContent()).toContain('Valid');
    expect(await page.locator('[data-check][data-ok="false"]').count()).toBe(0);
    const fingerprint = (await page.locator('.sidebar-foot .fp').getAttribute('title')) ?? '';
    expect(await page.getByTestId('signer').textContent()).toBe(fingerprint);
    await ui.screenshot('11-verify-valid');
  }, 90_000);

  it('receives the verified bundle into the store with a custody-transfer entry', async () => {
    await page.getByRole('button', { name: 'Receive into this store' }).click();
    await page.locator('.ok-box').waitFor({ timeout: 60_000 });
    const said = await page.locator('.ok-box').textContent();
    expect(said).toMatch(/Custody-transfer entry #\d+/);
    // The bundle came from this store: its items are already held, and the screen says so.
    expect(said).toContain('Received 0 new items. 2 items were already held.');
    expect(await page.locator('.notice', { hasText: 'Received' }).last().textContent()).toContain(
      '2 items were already held.',
    );
  }, 90_000);

  it('names the problem in a tampered bundle and marks its check red', async () => {
    const zip = fs.readFileSync(bundleFile);
    // The screenshot is stored uncompressed: change one byte inside the PNG's pixel data.
    const png = zip.indexOf(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(png).toBeGreaterThan(0);
    zip[png + 200] = (zip[png + 200] ?? 0) ^ 0xff;
    const tampered = ui.writeFile(`tampered-${path.basename(bundleFile)}`, zip);
    await page.locator('input[type=file][accept=".zip,.age,.wacz"]').setInputFiles(tampered);
    await expect
      .poll(() => page.getByTestId('verdict').textContent(), { timeout: 60_000 })
      .toContain('INVALID');
    const failed = page.locator('[data-check][data-ok="false"]');
    expect(await failed.count()).toBeGreaterThan(0);
    expect(await failed.first().textContent()).toMatch(/items\/|SHA256SUMS|\(zip\)/);
    expect(await page.getByRole('button', { name: 'Receive into this store' }).count()).toBe(0);
    // The last bundle's "Received" notice went with its result: nothing stale beside the INVALID verdict.
    expect(await page.locator('.notice').count()).toBe(0);
    await ui.screenshot('12-verify-tampered');
  }, 90_000);

  it('audits the store with a clear report', async () => {
    await page.keyboard.press('Alt+6');
    await page.getByRole('button', { name: 'Run audit' }).click();
    await page.getByText('The store is intact: every check passed.').waitFor({ timeout: 60_000 });
    expect(await page.locator('.stat').first().textContent()).toContain('Items');
    await ui.screenshot('13-audit-clean');
  }, 90_000);

  it('shows the settings: store folder, authorities, personas and capture defaults', async () => {
    await page.keyboard.press('Alt+7');
    await page.getByText(ui.storeDir).waitFor();
    // The capture defaults, the live view's video limits among them.
    const capture = page.getByRole('region', { name: 'Capture defaults' });
    expect(await capture.getByLabel('Live view video: size limit').inputValue()).toBe('200');
    expect(await capture.getByLabel('Live view video: length limit').inputValue()).toBe('30');
    await page.getByLabel(/Time-stamping authorities/).fill('ftp://tsa.invalid');
    await page.getByRole('button', { name: 'Save authorities' }).click();
    await expect.poll(() => page.locator('.error-box').textContent()).toContain('http or https');
    await page.getByLabel(/Time-stamping authorities/).fill('');
  });

  it('creates a persona from the settings, refusing a name unsafe as a folder, and offers it for capture', async () => {
    const name = page.getByLabel('New persona name');
    await name.fill('../undercover');
    await page.getByRole('button', { name: 'Create persona' }).click();
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'persona' }).textContent())
      .toContain('is not a valid persona name');
    expect(fs.existsSync(path.join(ui.storeDir, 'personas'))).toBe(false);
    await name.fill('fb-undercover-1');
    await page.getByRole('button', { name: 'Create persona' }).click();
    await page.getByRole('list', { name: 'Personas' }).getByText('fb-undercover-1').waitFor();
    expect(fs.statSync(path.join(ui.storeDir, 'personas', 'fb-undercover-1')).isDirectory()).toBe(true);
    expect(await name.inputValue()).toBe('');
    await ui.screenshot('14-settings');
    await page.keyboard.press('Alt+2');
    await expect
      .poll(() => page.getByLabel('Persona', { exact: true }).locator('option').allTextContents())
      .toContain('As persona fb-undercover-1');
  });

  it('batch-captures a list of addresses with one progress bar each and names the failure', async () => {
    await page.keyboard.press('Alt+2');
    await page.getByRole('button', { name: 'Batch capture…' }).click();
    await page
      .getByLabel('Addresses, one per line')
      .fill(`${site.listingUrl}?copy=2\nhttp://127.0.0.1:1/unreachable`);
    await page.getByRole('button', { name: 'Capture 2 addresses' }).click();
    await page.locator('.batch-row[data-status="running"]').first().waitFor();
    await ui.screenshot('15-batch-running');
    await page.getByText('1 captured, 1 failed.').waitFor({ timeout: 90_000 });
    expect(await page.locator('.batch-row[data-status="done"]').count()).toBe(1);
    expect(await page.locator('.batch-row[data-status="failed"]').textContent()).toContain('127.0.0.1:1');
    await ui.screenshot('16-batch-done');
    await page.getByRole('button', { name: 'Close' }).last().click();
    await expect.poll(() => page.locator('.list-toolbar .count').textContent()).toBe('3 items');
  }, 120_000);

  it('cancels a batch: the page in progress stops, the rest are not attempted, nothing half-stored', async () => {
    await page.getByRole('button', { name: 'Batch capture…' }).click();
    const urls = [1, 2, 3].map((n) => `${site.slowUrl}?n=${n}`);
    await page.getByLabel('Addresses, one per line').fill(urls.join('\n'));
    await page.getByRole('button', { name: 'Capture 3 addresses' }).click();
    await page.locator('.batch-row[data-status="running"]').first().waitFor();
    await page.getByRole('button', { name: 'Cancel the rest' }).click();
    await page.getByText('Cancelled: the rest was not attempted.').waitFor({ timeout: 60_000 });
    expect(await page.locator('.batch-row[data-status="skipped"]').count()).toBe(3);
    await ui.screenshot('17-batch-cancelled');
    await page.getByRole('button', { name: 'Close' }).last().click();
    await expect.poll(() => page.locator('.list-toolbar .count').textContent()).toBe('3 items');
  }, 120_000);

  it('switches to the dark theme and keeps it', async () => {
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(
      await page.evaluate(
        () => (globalThis as unknown as PageGlobals).document.documentElement.dataset.theme,
      ),
    ).toBe('dark');
    await ui.screenshot('18-evidence-dark');
    await page.locator('.table-row').first().dblclick();
    await page.getByRole('heading', { name: 'Capture record' }).waitFor();
    await page.locator('.viewer-canvas img').waitFor();
    await ui.screenshot('19-item-dark');
    await page.reload();
    await page.locator('.sidebar').waitFor();
    expect(
      await page.evaluate(
        () => (globalThis as unknown as PageGlobals).document.documentElement.dataset.theme,
      ),
    ).toBe('dark');
  }, 60_000);
});
