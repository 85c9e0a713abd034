/**
 * Opening the app on a store that fails its integrity check on open, in real Chromium through the
 * loopback harness to the real services: the window shows a card that says what happened, what
 * Custos found, the store's folder, and what to do (the audit command, with the folder, runs as
 * given in a real shell and names the difference), takes the focus, and opens the store on Try
 * again once it has been restored; SQLite's own text goes to a Details line; a failure of another
 * kind keeps its one-line error. The
 * screenshots (light, dark, a narrow window) are saved under test-results/ui/ to be looked at.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import { WriterLock } from '../../electron/core/store/writer-lock.js';
import { editStoreAnchor } from '../support/edited-anchor.js';
import { makeDatabaseUnreadable, makeOlderStore } from '../support/older-store.js';
import { CUSTOS_BIN, runCustos } from '../support/run-custos.js';
import { corruptTablePage, openRawDatabase } from '../support/sqlite.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { holdDatabaseLock } from '../support/writer-lock-holder.js';
import { focusedElement, watchFocusOnBody } from './support/focused-element.js';
import { countCalls, holdCalls } from './support/hold-calls.js';
import { textContrastInBothThemes } from './support/text-contrast.js';
import { SCREENSHOT_DIR, UiSession } from './support/ui-session.js';

const TITLE = 'This evidence store failed its integrity check';

let ui: UiSession | undefined;
let temp: TempStore | undefined;

afterEach(async () => {
  await ui?.close();
  ui = undefined;
  temp?.remove();
  temp = undefined;
});

/**
 * A store with case `caseNumber` in a folder whose name has a space (so the command the card
 * gives must quote it), its store.json edited: the ledger's length raised, so its signature no
 * longer verifies. Returns the folder and store.json's original bytes, to restore it.
 */
function storeWithEditedAnchor(caseNumber: string): { readonly dir: string; readonly original: Buffer } {
  temp = makeTempStore({ caseNumber });
  const dir = path.join(temp.base, 'evidence store');
  fs.renameSync(temp.dir, dir);
  return { dir, original: editStoreAnchor(dir) };
}

/** The window opened on `storeWithEditedAnchor(caseNumber)`, once it shows the integrity card. */
async function cardOnEditedStore(
  caseNumber: string,
): Promise<{ readonly page: Page; readonly card: Locator }> {
  const { dir } = storeWithEditedAnchor(caseNumber);
  ui = await UiSession.start({ storeDir: dir });
  const page = ui.page;
  const card = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: TITLE }) });
  await card.waitFor();
  return { page, card };
}

/** Each file of the store folder (but SQLite's -wal and -shm) with its SHA-256, by path. */
function storeContents(dir: string): Record<string, string> {
  const contents: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || /-(wal|shm)$/.test(entry.name)) continue;
    contents[path.relative(dir, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return contents;
}

/** What the page's clipboard holds (the test's own types have no DOM). */
function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() =>
    (
      globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
    ).navigator.clipboard.readText(),
  );
}

/** Runs a command line as a person would paste it into a POSIX shell, `custos` being this checkout's. */
function runInShell(commandLine: string): { readonly status: number | null; readonly output: string } {
  const result = spawnSync(
    'sh',
    ['-c', `custos() { "${process.execPath}" "${CUSTOS_BIN}" "$@"; }\n${commandLine}`],
    { encoding: 'utf8', env: { ...process.env, CUSTOS_STORE: undefined, NO_COLOR: '1' }, timeout: 120_000 },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the app on a store that fails its integrity check on open', () => {
  it('shows a card with the title, what was found, the store folder and the audit command, and takes the focus', async () => {
    const { dir } = storeWithEditedAnchor('INT-1');
    const before = storeContents(dir);
    ui = await UiSession.start({ storeDir: dir });
    const page = ui.page;
    const card = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: TITLE }) });
    await card.waitFor();

    const text = await card.textContent();
    expect(text).toContain(
      'The check failed: what is in the store folder does not match that record. Custos stopped there: it changed nothing in the evidence, its database or store.json.',
    );
    // What the card says is true: the evidence, the database and store.json are as they were (a
    // read-only open of SQLite may add its -wal and -shm files beside the database).
    expect(storeContents(dir)).toEqual(before);
    expect(text).toContain(
      `What Custos found: This store's anchor ${storeLayout(dir).anchor} has a signature that does not verify: it was edited.`,
    );
    // The command line's own advice is not repeated: the card says what to do in its steps.
    expect(text).not.toContain('custos restore');
    expect(text).toContain('Do not change, move or delete anything in the store folder');
    expect(text).toContain("Tell whoever keeps this store's backups");
    // The folder on a line of its own, and the command with it, in a POSIX shell's single quotes.
    const lines = card.locator('code');
    await expect.poll(() => lines.allTextContents()).toEqual([dir, `custos audit --store '${dir}'`]);
    expect(await card.getByRole('button', { name: 'Try again' }).count()).toBe(1);
    // A screen reader tells the two Copy buttons apart.
    expect(await card.getByRole('button', { name: 'Copy the store folder', exact: true }).count()).toBe(1);
    expect(await card.getByRole('button', { name: 'Copy the command', exact: true }).count()).toBe(1);
    // The keyboard's focus is on the card, so that it is what a screen reader says first.
    expect(await card.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await page.getByText('INT-1').count()).toBe(0);
    await ui.screenshot('store-integrity-light');
    // In a narrow window the card fits its width and the page scrolls to Try again.
    await page.setViewportSize({ width: 420, height: 700 });
    const retry = card.getByRole('button', { name: 'Try again' });
    await retry.scrollIntoViewIfNeeded();
    const box = await retry.boundingBox();
    expect(box && box.x + box.width <= 420 && box.y + box.height <= 700).toBe(true);
    expect(await card.evaluate((el) => el.ownerDocument.documentElement.scrollWidth)).toBeLessThanOrEqual(
      420,
    );
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'store-integrity-narrow.png'), fullPage: true });

    // The command the card gives, pasted into a shell as it is, audits this store and names the edit.
    const audit = runInShell((await lines.nth(1).textContent()) ?? '');
    expect(audit.status, audit.output).toBe(1);
    expect(audit.output).toContain('store.json');
  }, 180_000);

  it('runs the audit from the card on Run the audit now and shows each difference in words, with a Copy of the text', async () => {
    // The installed app puts no `custos` command on the PATH (and on Linux `custos` is the app):
    // the window itself must be able to audit the store that failed its checks.
    const { dir } = storeWithEditedAnchor('INT-6');
    ui = await UiSession.start({ storeDir: dir });
    const page = ui.page;
    const card = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: TITLE }) });
    await card.waitFor();
    await card.getByRole('button', { name: 'Run the audit now' }).click();
    const result = card.getByRole('status', { name: 'What the audit found' });
    await result.waitFor();
    expect(await result.textContent()).toContain('The audit found 1 difference:');
    expect(await result.textContent()).toContain(
      'store anchor store.json: has a signature that does not verify: it was edited',
    );
    // The command line stays, labelled for those who have it, after the button.
    expect(await card.textContent()).toContain('Or, with the Custos command line, in a terminal:');
    // Copy gives the same words as plain text, one difference a line.
    await ui.browser.grantPermissions(['clipboard-read', 'clipboard-write']);
    await result.getByRole('button', { name: "Copy the audit's result" }).click();
    await result.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await clipboardText(page)).toBe(
      'The audit found 1 difference:\n- store anchor store.json: has a signature that does not verify: it was edited',
    );
    await ui.screenshot('store-integrity-audit-result');
  }, 180_000);

  it('keeps the focus on Run the audit now while the audit runs (never on the page body), and a second Enter meanwhile starts no second audit', async () => {
    const { page, card } = await cardOnEditedStore('INT-6F');
    const run = card.getByRole('button', { name: 'Run the audit now' });
    await run.focus();
    const release = await holdCalls(page, 'auditStore');
    const sent = countCalls(page, 'auditStore');
    const onBody = await watchFocusOnBody(page);
    try {
      await page.keyboard.press('Enter');
      await expect.poll(sent.count).toBeGreaterThanOrEqual(1);
      await card
        .getByRole('status')
        .filter({ hasText: /Checking the database|Re-hashing/ })
        .first()
        .waitFor();
      // Running, and marked so, yet where the keyboard is: before, it was disabled and the focus fell to the body.
      expect(await focusedElement(page)).toBe('button.btn.primary "Run the audit now"');
      expect(await run.getAttribute('aria-disabled')).toBe('true');
      await page.keyboard.press('Enter');
    } finally {
      await release();
    }
    await card.getByRole('status', { name: 'What the audit found' }).waitFor();
    const again = card.getByRole('button', { name: 'Run the audit again' });
    await expect.poll(() => focusedElement(page)).toBe('button.btn.primary "Run the audit again"');
    expect(await onBody.stop()).toBe(0);
    expect(sent.count()).toBe(1); // the second Enter, while it ran, asked for nothing
    sent.stop();
    expect(await again.getAttribute('aria-disabled')).toBeNull();
  }, 180_000);

  it('on Windows gives the command for PowerShell, single-quoted so that curly quotes in the folder cannot end it', async () => {
    temp = makeTempStore({ caseNumber: 'INT-7' });
    const dir = path.join(temp.base, 'Operation “Nile”; calc; “x');
    fs.renameSync(temp.dir, dir);
    editStoreAnchor(dir);
    ui = await UiSession.start({ storeDir: dir });
    const page = ui.page;
    // No Windows here: the shell's platform (the preload's process.platform) is made win32 by
    // wrapping the harness's stand-in as it is set, before the app reads it.
    await page.addInitScript(() => {
      const page = globalThis as unknown as Record<string, unknown>;
      let shell: unknown;
      Object.defineProperty(page, 'custosShell', {
        configurable: true,
        get: () => shell,
        set: (value: object) => {
          shell = { ...value, platform: 'win32' };
        },
      });
    });
    await page.reload();
    const card = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: TITLE }) });
    await card.waitFor();
    // The card fills in its command line once the store's folder is known: polled, not read once.
    await expect.poll(() => card.textContent()).toContain('Or, with the Custos command line, in PowerShell:');
    await expect.poll(() => card.locator('code').nth(1).textContent()).toBe(`custos audit --store '${dir}'`);
  }, 180_000);

  it('displays a folder with Arabic names segment by segment in their order on disk, and a bidi override as its code point, while Copy gives the folder exactly', async () => {
    temp = makeTempStore({ caseNumber: 'INT-11' });
    const dir = path.join(temp.base, 'قضية التهريب 12', 'الأدلة\u202Eabc');
    fs.mkdirSync(path.dirname(dir));
    fs.renameSync(temp.dir, dir);
    editStoreAnchor(dir);
    ui = await UiSession.start({ storeDir: dir });
    const page = ui.page;
    const card = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: TITLE }) });
    await card.waitFor();
    const folderLine = card.locator('code').first();
    await folderLine.waitFor();
    // Each segment is isolated, and drawn left of the next, as the folders nest on disk.
    const segments = dir.split('/').slice(1);
    const boxes = await folderLine.locator('bdi').evaluateAll((all) =>
      all.map((el) => {
        const box = el.getBoundingClientRect();
        return { text: el.textContent, left: box.left, right: box.right };
      }),
    );
    expect(boxes.map((b) => b.text)).toEqual(
      segments.map((segment) => segment.replace('\u202E', '⟨U+202E⟩')),
    );
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.left).toBeGreaterThanOrEqual(boxes[i - 1]!.right);
    // The override is seen, not obeyed, in the folder and in the command.
    expect(await folderLine.textContent()).not.toContain('\u202E');
    expect(await card.locator('code').nth(1).textContent()).toContain('⟨U+202E⟩');
    expect(await card.locator('.found').textContent()).toContain('⟨U+202E⟩abc/store.json has a signature');
    await ui.browser.grantPermissions(['clipboard-read', 'clipboard-write']);
    await card.locator('.copy-line').first().getByRole('button').click();
    await card.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await clipboardText(page)).toBe(dir);
    await ui.screenshot('store-integrity-rtl-folder');
  }, 180_000);

  it('shows the same card in the dark theme', async () => {
    const { dir } = storeWithEditedAnchor('INT-2');
    ui = await UiSession.start({ storeDir: dir, theme: 'dark' });
    const page = ui.page;
    const heading = page.getByRole('heading', { name: TITLE });
    await heading.waitFor();
    expect(await heading.evaluate((el) => el.ownerDocument.documentElement.dataset.theme)).toBe('dark');
    await page.locator('.integrity-card code').nth(1).waitFor(); // the folder's answer is in before the shot
    await ui.screenshot('store-integrity-dark');
  }, 120_000);

  it('opens the store and shows its cases on Try again once store.json has been restored', async () => {
    const { dir, original } = storeWithEditedAnchor('INT-3');
    ui = await UiSession.start({ storeDir: dir });
    const page = ui.page;
    await page.getByRole('heading', { name: TITLE }).waitFor();

    fs.writeFileSync(storeLayout(dir).anchor, original);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('INT-3').first().waitFor();
    expect(await page.getByRole('heading', { name: TITLE }).count()).toBe(0);
  }, 120_000);

  it('on Try again, an older store is upgraded while the card says Checking…, then opens', async () => {
    temp = await makeOlderStore('INT-9');
    const original = editStoreAnchor(temp.dir);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    ui = await UiSession.start({ storeDir: temp.dir, storeUpgradeProbe: { beforeMigration: () => held } });
    const page = ui.page;
    const card = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: TITLE }) });
    await card.waitFor();

    fs.writeFileSync(storeLayout(temp.dir).anchor, original);
    await card.getByRole('button', { name: 'Try again' }).click();
    // The upgrade is held before its migration: the card stays, saying that it checks.
    await card.getByRole('button', { name: 'Checking…' }).waitFor();
    expect(await card.getByRole('button', { name: 'Checking…' }).getAttribute('aria-disabled')).toBe('true');
    release();
    await page.getByText('INT-9').first().waitFor({ timeout: 60_000 });
    expect(await page.getByRole('heading', { name: TITLE }).count()).toBe(0);
  }, 180_000);

  it('on Try again, while another Custos process holds the store, the card says whom it waits for (not a silent Checking…), then opens once it is let go', async () => {
    temp = await makeOlderStore('INT-12');
    const original = editStoreAnchor(temp.dir);
    ui = await UiSession.start({ storeDir: temp.dir });
    const page = ui.page;
    const card = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: TITLE }) });
    await card.waitFor();

    fs.writeFileSync(storeLayout(temp.dir).anchor, original);
    // The holder is a connection of the test's own process: SQLite's exclusive lock refuses the
    // service's just as another process's would.
    const layout = storeLayout(temp.dir);
    const holder = WriterLock.acquireNow(layout.writerLock, layout.writerLockInfo);
    try {
      await card.getByRole('button', { name: 'Try again' }).click();
      const waiting = card.getByRole('status').filter({
        hasText: `Another Custos window or command is using this store (pid ${process.pid} on `,
      });
      await waiting.waitFor();
      expect(await waiting.textContent()).toContain('waiting for it to finish, then the check goes on.');
      expect(await card.getByRole('button', { name: 'Checking…' }).count()).toBe(1);
      await ui.screenshot('store-integrity-retry-waiting');
    } finally {
      holder.release();
    }
    await page.getByText('INT-12').first().waitFor({ timeout: 60_000 });
    expect(await page.getByRole('heading', { name: TITLE }).count()).toBe(0);
  }, 180_000);

  it('says when it checked again and that the store still fails, after a Try again that fails again', async () => {
    const { dir } = storeWithEditedAnchor('INT-10');
    ui = await UiSession.start({ storeDir: dir });
    const page = ui.page;
    const card = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: TITLE }) });
    await card.waitFor();
    await card.getByRole('button', { name: 'Try again' }).click();
    await expect
      .poll(() => card.getByRole('status').last().textContent())
      .toMatch(/^Checked again at \d{2}:\d{2}: still failing\.$/);
    expect(await card.getByRole('button', { name: 'Try again' }).isEnabled()).toBe(true);
    expect(await card.locator('.found').textContent()).toContain('has a signature that does not verify');
  }, 180_000);

  it('keeps the focus on Try again through a check that fails again, so that a second Enter checks again', async () => {
    const { page, card } = await cardOnEditedStore('INT-11');
    // Each check asks the service to read the store again: its requests are counted, not the
    // button's labels (the card can render its button anew while a label is watched).
    let asked = 0;
    page.on('request', (request) => {
      if (!request.url().endsWith('/api/startStoreUpgrade')) return;
      if ((JSON.parse(request.postData() ?? '{}') as { again?: boolean }).again) asked++;
    });
    const checks = () => asked;
    const focused = () =>
      page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document
            .activeElement?.textContent,
      );
    await card.getByRole('button', { name: 'Try again' }).focus();
    await page.keyboard.press('Enter');
    const stillFailing = card.getByRole('status').filter({ hasText: /still failing/ });
    await stillFailing.waitFor();
    expect(await checks()).toBe(1);
    expect(await focused()).toBe('Try again'); // before, the page's body: the button had been disabled
    await page.keyboard.press('Enter');
    await expect.poll(checks).toBe(2);
    await stillFailing.waitFor();
    expect(await focused()).toBe('Try again');
  }, 180_000);

  it('shows the card once and keeps it, with no blank between, when the upgrade answers before the read fails', async () => {
    const { dir } = storeWithEditedAnchor('INT-13');
    let upgradeAsks = 0;
    let upgradeAnswers = 0;
    ui = await UiSession.start({
      storeDir: dir,
      beforeOpen: async (page) => {
        // The order that made the card go blank and come back: the store's read answers only once
        // the window has the upgrade's first answer.
        let upgradeAnswered: () => void = () => undefined;
        const answered = new Promise<void>((resolve) => {
          upgradeAnswered = resolve;
        });
        // The client stops reading a call's stream once it has the answer: the request then ends
        // as aborted, not finished.
        const ended = (request: { url(): string }) => {
          if (!request.url().endsWith('/api/startStoreUpgrade')) return;
          upgradeAnswers++;
          upgradeAnswered();
        };
        page.on('request', (request) => {
          if (request.url().endsWith('/api/startStoreUpgrade')) upgradeAsks++;
        });
        page.on('requestfinished', ended);
        page.on('requestfailed', ended);
        await page.route('**/api/getProfile', async (route) => {
          await answered;
          await new Promise((resolve) => setTimeout(resolve, 200));
          await route.continue();
        });
        // Each time the card's Try again comes into the page is counted, from the page's first line.
        await page.addInitScript(() => {
          const g = globalThis as unknown as {
            cardsShown: number;
            document: { querySelector(selector: string): unknown };
            MutationObserver: new (
              noted: () => void,
            ) => { observe(target: unknown, options: Record<string, boolean>): void };
          };
          g.cardsShown = 0;
          let shown = false;
          new g.MutationObserver(() => {
            const now = g.document.querySelector('.integrity-retry') !== null;
            if (now && !shown) g.cardsShown++;
            shown = now;
          }).observe(g.document, { subtree: true, childList: true });
        });
      },
    });
    const page = ui.page;
    const card = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: TITLE }) });
    await card.waitFor();
    // Settled: the card shows the store's folder (its own call, asked as it is shown) and every
    // ask of the upgrade's state has its answer. Before, an ask after the card was shown took the
    // card down and, answered, brought it back.
    await card.locator('code').nth(1).waitFor();
    await expect.poll(() => upgradeAsks > 0 && upgradeAnswers === upgradeAsks).toBe(true);
    await card.waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { cardsShown: number }).cardsShown)).toBe(1);
  }, 180_000);

  it("an unreadable database shows the card with the finding in words and SQLite's text on the Details line", async () => {
    temp = makeTempStore({ caseNumber: 'INT-5' });
    makeDatabaseUnreadable(temp.dir);
    ui = await UiSession.start({ storeDir: temp.dir });
    const page = ui.page;
    const card = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: TITLE }) });
    await card.waitFor();
    const found = card.locator('.found');
    expect(await found.textContent()).toBe(
      `What Custos found: ${storeLayout(temp.dir).database} cannot be read as a database.`,
    );
    expect(await card.textContent()).toContain('Details: file is not a database');
    // The Details line is read against the card at WCAG's 4.5:1 at least, in both themes.
    const details = card.getByText('Details: file is not a database');
    expect(await textContrastInBothThemes(details)).toBeGreaterThanOrEqual(4.5);
    await card.locator('code').nth(1).waitFor(); // the folder's answer is in before the shot
    await ui.screenshot('store-integrity-unreadable-database');
  }, 120_000);

  it('opens the store on Try again after a damaged database was replaced by a real custos restore', async () => {
    temp = makeTempStore({ caseNumber: 'INT-8' });
    const backup = path.join(temp.base, 'backup');
    fs.mkdirSync(backup);
    fs.copyFileSync(storeLayout(temp.dir).database, path.join(backup, 'custos.sqlite'));
    corruptTablePage(temp.dir, 'investigators');
    ui = await UiSession.start({ storeDir: temp.dir });
    const page = ui.page;
    const card = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: TITLE }) });
    await card.waitFor();
    expect(await card.locator('.found').textContent()).toContain("The store's database is damaged");

    const restore = await runCustos(['restore', '--from', backup], { store: temp.dir });
    expect(restore.status, restore.stderr).toBe(0);
    await card.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('INT-8').first().waitFor();
    expect(await page.getByRole('heading', { name: TITLE }).count()).toBe(0);
  }, 180_000);

  it('a first read that fails for another reason keeps its error and shows no integrity card', async () => {
    temp = makeTempStore({ caseNumber: 'INT-4' });
    // A table the open's checks do not look at is gone: the store opens, the profile's read fails.
    const db = openRawDatabase(temp.dir);
    db.exec('PRAGMA foreign_keys = OFF; DROP TABLE investigators');
    db.close();
    ui = await UiSession.start({ storeDir: temp.dir });
    const page = ui.page;
    await page.getByRole('alert').filter({ hasText: 'no such table: investigators' }).waitFor();
    expect(await page.getByText(TITLE).count()).toBe(0);
    expect(await page.getByText('custos audit --store').count()).toBe(0);
    await ui.screenshot('store-integrity-other-failure');
  }, 120_000);

  it('a store another program holds locked shows that under the heading "The evidence store could not be opened", which takes the focus (saying to try again, not to run a command), not the integrity card; Try again says Checking… and still failing while it is held, and opens the store once it is let go', async () => {
    temp = makeTempStore({ caseNumber: 'INT-9' });
    const holder = await holdDatabaseLock(temp.dir); // a second real process: a database browser, say
    try {
      ui = await UiSession.start({ storeDir: temp.dir });
      const page = ui.page;
      const box = page.getByRole('alert').filter({ hasText: 'in use by another program' });
      await box.waitFor({ timeout: 60_000 });
      expect(await page.getByText(TITLE).count()).toBe(0);
      // A heading a screen reader's heading navigation finds (before, a box of text with none),
      // naming the card, which has the focus as the other store cards do.
      const heading = page.getByRole('heading', { level: 1, name: 'The evidence store could not be opened' });
      expect(await heading.count()).toBe(1);
      expect(await box.getAttribute('aria-labelledby')).toBe(await heading.getAttribute('id'));
      await expect.poll(() => box.evaluate((card) => card === card.ownerDocument.activeElement)).toBe(true);
      const message = (await box.locator('p').textContent()) ?? '';
      expect(message).toMatch(/close any other program that has it open .* and try again\.$/);
      expect(message).not.toContain('command');
      // A sentence, at a card's width: before, a lower-case line across the whole window.
      expect(message).toMatch(/^The store's database is in use/);
      expect((await box.boundingBox())?.width).toBeLessThanOrEqual(640);
      await ui.screenshot('store-locked-failure');
      // Still held: the check runs again, the box saying so meanwhile (however briefly: every
      // state its button goes through is noted), then that it still fails.
      await page.evaluate(() => {
        type Button = { textContent: string; getAttribute(name: string): string | null };
        const g = globalThis as unknown as {
          seen: string[];
          document: { querySelector(selector: string): Button };
          MutationObserver: new (
            noted: () => void,
          ) => { observe(target: Button, options: Record<string, boolean>): void };
        };
        g.seen = [];
        const button = g.document.querySelector('[role=alert] button');
        new g.MutationObserver(() =>
          g.seen.push(
            `${button.textContent}${button.getAttribute('aria-disabled') === 'true' ? ' (disabled)' : ''}`,
          ),
        ).observe(button, { subtree: true, childList: true, characterData: true, attributes: true });
      });
      await box.getByRole('button', { name: 'Try again' }).click();
      await box
        .getByRole('status')
        .filter({ hasText: /^Checked again at .*: still failing\.$/ })
        .waitFor();
      expect(await page.evaluate(() => (globalThis as unknown as { seen: string[] }).seen)).toContain(
        'Checking… (disabled)',
      );
      expect(await box.locator('p').textContent()).toBe(message);
      await ui.screenshot('store-locked-still-failing');
      await holder.kill();
      await box.getByRole('button', { name: 'Try again' }).click();
      await page.getByText('INT-9').first().waitFor();
    } finally {
      await holder.kill();
    }
  }, 180_000);
});
