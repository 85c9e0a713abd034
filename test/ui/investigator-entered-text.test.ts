/**
 * Text an investigator typed or pasted is text from outside too: a case's title or number, a
 * selector's label, a remote's address, pasted from a smuggler's page, can carry a right-to-left
 * override (U+202E, which makes "gnp.exe" read "exe.png") or a zero-width space (U+200B, which
 * makes two different handles look alike). Wherever the window shows such text (not in a field
 * being edited) it draws those characters as their code points, as it does a page's title
 * (`UntrustedText`, the one list in shared/untrusted-text.ts). The case, the profile and the
 * selector are made through the window's own forms (the API the app calls); the remote through
 * core, as `custos remote add` does. Real Chromium through the loopback harness to a real store;
 * screenshots under test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRemote } from '../../electron/core/remote/remote-config.js';
import { insertRemote } from '../../electron/core/remote/remote-queries.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { textContrastInBothThemes } from './support/text-contrast.js';
import { UiSession } from './support/ui-session.js';

/** A case number with a zero-width space in it (it has no space, so the form takes it). */
const NUMBER = 'RB-2026\u200B-01';
const NUMBER_SHOWN = 'RB-2026⟨U+200B⟩-01';
/** A title pasted from a page: "Boat ads exe.png" as drawn raw, a program in truth. */
const TITLE = 'Boat ads \u202Egnp.exe\u200B';
const TITLE_SHOWN = 'Boat ads ⟨U+202E⟩gnp.exe⟨U+200B⟩';
const INVESTIGATOR = 'Ana\u200B Ruiz';
const INVESTIGATOR_SHOWN = 'Ana⟨U+200B⟩ Ruiz';
const LABEL = 'Captain \u202Eodraccir\u200B';
const LABEL_SHOWN = 'Captain ⟨U+202E⟩odraccir⟨U+200B⟩';

let ui: UiSession;
let page: Page;

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  await page.getByLabel('Investigator name').fill(INVESTIGATOR);
  await page.getByRole('button', { name: 'Create profile and key' }).click();
  await page.getByLabel('Case number').fill(NUMBER);
  await page.getByLabel('Title', { exact: true }).fill(TITLE);
  await page.getByRole('button', { name: 'Create case' }).click();
  await page.getByText('No evidence in this case yet').waitFor();
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

describe('a case whose number and title hold a zero-width space and a right-to-left override', () => {
  it('the Evidence screen’s heading, the sidebar’s open case and their tooltips show them as code points', async () => {
    const sub = page.locator('.screen-head .sub');
    expect(await sub.innerText()).toBe(`${NUMBER_SHOWN} · ${TITLE_SHOWN}`);
    expect(await sub.getAttribute('title')).toBe(`${NUMBER_SHOWN} · ${TITLE_SHOWN}`);
    expect(await page.locator('.sidebar-case .number').innerText()).toBe(NUMBER_SHOWN);
    expect(await page.locator('.sidebar-case .title').innerText()).toBe(TITLE_SHOWN);
    expect(await page.locator('.sidebar-case .title').getAttribute('title')).toBe(TITLE_SHOWN);
    // Read on the dark sidebar as well as on the page, in both themes.
    for (const where of ['.sidebar-case', '.sidebar-foot', '.screen-head .sub']) {
      const code = page.locator(`${where} .invisible-char`).first();
      expect(await textContrastInBothThemes(code)).toBeGreaterThanOrEqual(4.5);
    }
    await ui.screenshot('entered-text-evidence');
  });

  it('the signing investigator’s name, in the sidebar and the status bar, shows its zero-width space', async () => {
    expect(await page.locator('.sidebar-foot .who').innerText()).toBe(INVESTIGATOR_SHOWN);
    expect(await page.locator('.statusbar').innerText()).toContain(`Entries signed by ${INVESTIGATOR_SHOWN}`);
  });

  it('the case list shows the number and the title as code points', async () => {
    await page.getByRole('button', { name: /^Cases/ }).click();
    const row = page.locator('.case-row').first();
    await row.waitFor();
    expect(await row.locator('.case-name .mono').innerText()).toBe(NUMBER_SHOWN);
    expect(await row.locator('.case-title').innerText()).toBe(TITLE_SHOWN);
    await ui.screenshotOf(row, 'entered-text-case-list');
    await row.click();
    await page.getByText('No evidence in this case yet').waitFor();
  });
});

describe('the Export screen', () => {
  beforeAll(async () => {
    const store = EvidenceStore.openForWriting(ui.storeDir);
    try {
      addRemote(store, {
        name: 'agency',
        url: 's3://evidence/team\u202Ea\u200B',
        endpoint: 'http://127.0.0.1:9',
      });
      addRemote(store, { name: 'aws', url: 's3://evidence/b', region: 'eu\u202E-south-1' });
      // A name `custos remote add` would refuse, as a store's row may hold it all the same.
      store.transaction((db) =>
        insertRemote(db, {
          name: 'ops\u202Etxt.exe',
          bucket: 'evidence',
          prefix: 'c/',
          endpoint: null,
          region: 'us-east-1',
          profile: null,
          addedAt: new Date().toISOString(),
        }),
      );
    } finally {
      store.close();
    }
    await page.reload();
    await page.locator('.case-row').first().click();
    await page.getByRole('button', { name: /^Export/ }).click();
    await page.getByRole('heading', { name: 'Export a sealed bundle', level: 1 }).waitFor();
  }, 60_000);

  it('names the case with its code points in the heading', async () => {
    expect(await page.locator('.screen-head .sub').innerText()).toBe(`${NUMBER_SHOWN} · ${TITLE_SHOWN}`);
  });

  it('shows a remote’s name, address and region with their code points, and names them so to a screen reader', async () => {
    const table = page.getByRole('table', { name: 'Remotes (S3 object storage)' });
    await table.waitFor();
    const cells = async (name: string) =>
      (await table.locator('tbody tr', { hasText: name }).locator('td').allInnerTexts()).slice(0, 3);
    expect(await cells('agency')).toEqual([
      'agency',
      's3://evidence/team⟨U+202E⟩a⟨U+200B⟩/',
      'http://127.0.0.1:9',
    ]);
    expect(await cells('aws')).toEqual(['aws', 's3://evidence/b/', 'AWS (eu⟨U+202E⟩-south-1)']);
    expect(await cells('ops')).toEqual(['ops⟨U+202E⟩txt.exe', 's3://evidence/c/', 'AWS (us-east-1)']);
    await table.getByRole('button', { name: 'Push this case to ops⟨U+202E⟩txt.exe' }).waitFor();
    await table.scrollIntoViewIfNeeded();
    await ui.screenshotOf(table, 'entered-text-remotes');
  });
});

describe('the Selectors screen', () => {
  it('shows a selector’s label and case with their code points, and the case in the form’s choice', async () => {
    await page.getByRole('button', { name: /^Selectors/ }).click();
    await page.getByRole('heading', { name: 'Selectors', level: 1 }).waitFor();
    expect(await page.locator('.selector-form label.check').innerText()).toBe(
      `Only in case ${NUMBER_SHOWN} (else every case)`,
    );
    await page.getByLabel('Number, account or words').fill('+218 91 234 5678');
    await page.getByLabel('Label (optional)').fill(LABEL);
    await page.getByRole('button', { name: 'Add selector' }).click();
    const table = page.getByRole('table', { name: 'Active selectors' });
    const row = table.locator('tbody tr').first();
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[1]).toBe(LABEL_SHOWN);
    expect(cells[2]).toBe(NUMBER_SHOWN);
    await ui.screenshotOf(row, 'entered-text-selector');
  });
});

describe('a tag typed with a right-to-left override and a zero-width space', () => {
  const TAG = 'seller \u202Egnp.exe\u200B';
  const TAG_SHOWN = 'seller ⟨U+202E⟩gnp.exe⟨U+200B⟩';

  it('the Evidence screen’s tag filter and the tags cell’s tooltip show them as code points, as the tag itself is drawn', async () => {
    const file = ui.writeFile('ads.txt', 'Boat ads, 2,000 a seat');
    const tagged = await page.evaluate(
      async ({ path, caseRef, tag }) => {
        type Answer = { ok: boolean; value?: { items?: { id: string }[] } };
        const custos = (
          globalThis as unknown as {
            custos: { [call in 'importFiles' | 'tagItems']: (i: object) => Promise<Answer> };
          }
        ).custos;
        const imported = await custos.importFiles({ caseRef, paths: [path] });
        const itemId = imported.value?.items?.[0]?.id ?? '';
        return (await custos.tagItems({ itemIds: [itemId], tag })).ok;
      },
      { path: file, caseRef: NUMBER, tag: TAG },
    );
    expect(tagged).toBe(true);
    await page.reload();
    await page.locator('.case-row').first().click();
    await page.getByRole('button', { name: /^Evidence/ }).click();
    const filter = page.getByRole('combobox', { name: 'Tag', exact: true });
    await expect.poll(() => filter.locator('option').allInnerTexts()).toEqual(['All tags', TAG_SHOWN]);
    const cell = page.locator('.cell', { has: page.locator('.tag') }).first();
    expect(await cell.locator('.tag').innerText()).toBe(TAG_SHOWN);
    expect(await cell.getAttribute('title')).toBe(TAG_SHOWN);
  });
});
