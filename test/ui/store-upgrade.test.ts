/**
 * Opening the app on a store an older Custos wrote, in real Chromium through the loopback harness
 * to the real services: the window says that the store is being updated, that the evidence is
 * safe and to keep Custos open, and shows the cases once the upgrade is done; an upgrade that fails
 * says why, that nothing was changed (or, failing after its commit, that the store was updated and
 * what did not finish, or, the store unreadable afterwards, that Custos cannot tell whether it was
 * applied), and tries again on the user's word; one that waits for
 * another Custos process says whom it waits for. The screenshots are
 * saved under test-results/ui/ to be looked at.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreUpgradeProbe } from '../../electron/core/api/services/store-access.js';
import { SCHEMA_VERSION } from '../../electron/core/store/migrations/index.js';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import { WriterLock } from '../../electron/core/store/writer-lock.js';
import { editStoreAnchor } from '../support/edited-anchor.js';
import { makeDatabaseUnreadable, makeOlderStore, schemaVersionOf } from '../support/older-store.js';
import { openRawDatabase } from '../support/sqlite.js';
import type { TempStore } from '../support/temp-store.js';
import { focusedElement } from './support/focused-element.js';
import { textContrastInBothThemes } from './support/text-contrast.js';
import { UiSession } from './support/ui-session.js';

let temp: TempStore;
let ui: UiSession | undefined;

beforeAll(async () => {
  temp = await makeOlderStore('OLD-7');
}, 120_000);

afterAll(async () => {
  await ui?.close();
  temp?.remove();
});

/**
 * Opens the window on a new older store whose upgrade first meets `beforeMigration` (what makes it
 * fail), runs `body` on the page, then closes the window and removes the store.
 */
function onOlderStoreWhoseUpgradeMeets(
  caseNumber: string,
  beforeMigration: (dir: string) => void,
  body: (page: UiSession['page'], store: TempStore) => Promise<void>,
): Promise<void> {
  return onOlderStore(caseNumber, (dir) => ({ beforeMigration: async () => beforeMigration(dir) }), body);
}

/**
 * Opens the window on a new older store, made ready by `prepare` (which answers the upgrade's
 * test-only probe), runs `body` on the page, then closes the window and removes the store.
 */
async function onOlderStore(
  caseNumber: string,
  prepare: (dir: string) => StoreUpgradeProbe,
  body: (page: UiSession['page'], store: TempStore) => Promise<void>,
): Promise<void> {
  await ui?.close();
  ui = undefined;
  const store = await makeOlderStore(caseNumber);
  try {
    ui = await UiSession.start({ storeDir: store.dir, storeUpgradeProbe: prepare(store.dir) });
    await body(ui.page, store);
  } finally {
    await ui?.close();
    ui = undefined;
    store.remove();
  }
}

/** Runs `sql` on the store's database through a connection of the test's own. */
function execOn(dir: string, sql: string): void {
  const db = openRawDatabase(dir);
  db.exec(sql);
  db.close();
}

/** A table in the way of migration 017's CREATE TABLE: the upgrade's one transaction fails and rolls back. */
const TABLE_IN_THE_WAY = 'CREATE TABLE search_impact_terms (in_the_way INTEGER)';
/** Takes that table away: the next attempt upgrades the store. */
const CLEAR_THE_WAY = 'DROP TABLE search_impact_terms';

/**
 * A gate for the upgrade's migration (`storeUpgradeProbe`): open until `hold()`, after which the
 * next attempt waits once it has the store, until `release()`.
 */
function migrationGate() {
  let gated = false;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    probe: { beforeMigration: () => (gated ? gate : Promise.resolve()) },
    hold: () => {
      gated = true;
    },
    release: () => release(),
  };
}

/**
 * Opens the window on a new older store with TABLE_IN_THE_WAY, so that its upgrade fails, the
 * migration held by `gate` once held; runs `body` on the page, then opens the gate, closes the
 * window and removes the store.
 */
async function onOlderStoreWithTableInTheWay(
  caseNumber: string,
  gate: ReturnType<typeof migrationGate>,
  body: (page: UiSession['page'], store: TempStore) => Promise<void>,
): Promise<void> {
  await onOlderStore(
    caseNumber,
    (dir) => {
      execOn(dir, TABLE_IN_THE_WAY);
      return gate.probe;
    },
    async (page, store) => {
      try {
        await body(page, store);
      } finally {
        gate.release(); // before the window closes, so that the upgrade ends and lets the store go
      }
    },
  );
}

describe('the app on a store an older Custos wrote', () => {
  it('says the store is being updated, to keep Custos open and that the evidence is safe, then shows the cases', async () => {
    // A small store upgrades in milliseconds: the service's test-only gate holds the migration back
    // (after the versions are answered, before the migration starts) until the notice has been seen
    // and photographed; it is what a large store shows for the whole of its migration. Another
    // connection's open transaction would hold it only for SQLite's busy timeout, 10 s, which a
    // loaded machine can use up before the window has come up.
    const gate = migrationGate();
    gate.hold();
    ui = await UiSession.start({ storeDir: temp.dir, storeUpgradeProbe: gate.probe });
    const page = ui.page;
    const notice = page.getByRole('status').filter({ hasText: 'Updating the evidence store' });
    try {
      await notice.waitFor();
      expect(await notice.textContent()).toContain('Keep Custos open');
      expect(await notice.textContent()).toContain('the store stays exactly as it was');
      expect(await notice.textContent()).toContain(`Store format 16 → ${SCHEMA_VERSION}`);
      await ui.screenshot('store-upgrade-notice');
      expect(await page.getByText('OLD-7').count()).toBe(0);
      expect(schemaVersionOf(temp.dir)).toBe(16);
    } finally {
      gate.release(); // also when an assertion failed, so that the upgrade ends and lets the store go
    }
    await page.getByText('OLD-7').first().waitFor();
    expect(await notice.count()).toBe(0);
    expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION);
    await ui.screenshot('store-upgrade-done');
  }, 120_000);

  it('says that a failed update changed nothing and why, taking the focus when it first appears, and Try again upgrades it and shows the cases', async () => {
    await ui?.close();
    ui = undefined;
    const failing = await makeOlderStore('OLD-8');
    try {
      // A table in the way of migration 017's CREATE TABLE makes its one transaction fail and roll back.
      execOn(failing.dir, TABLE_IN_THE_WAY);
      ui = await UiSession.start({ storeDir: failing.dir });
      const page = ui.page;
      const failed = page.getByRole('alert').filter({ hasText: 'The evidence store could not be updated' });
      await failed.waitFor();
      // The card has the keyboard's focus as soon as it appears (before, the page's body had it
      // until a second failed Try again): a screen reader reads it, Tab goes on to Try again.
      await expect.poll(() => focusedElement(page)).toMatch(/^section\.setup-card "/);
      expect(await failed.evaluate((card) => card === card.ownerDocument.activeElement)).toBe(true);
      await page.keyboard.press('Tab');
      await expect.poll(() => focusedElement(page)).toBe('button.btn.primary "Try again"');
      // What happened and what to do in words; SQLite's own code and text only on the details line.
      expect(await failed.textContent()).toContain(
        'The update did not finish. Nothing in the store was changed.',
      );
      expect(await failed.textContent()).toContain(
        'Custos met an error it did not expect. Try again; if it fails again, keep the store as it is and give the details to whoever supports Custos.',
      );
      expect(await failed.textContent()).toContain(
        'Details: SQLITE_ERROR: table search_impact_terms already exists',
      );
      expect(await failed.textContent()).toContain(`Store format 16 → ${SCHEMA_VERSION}`);
      // The small lines are read against the card at WCAG's 4.5:1 at least, in both themes.
      for (const line of ['Details: SQLITE_ERROR', 'Store format 16'])
        expect(await textContrastInBothThemes(failed.getByText(line))).toBeGreaterThanOrEqual(4.5);
      await ui.screenshot('store-upgrade-failed');
      await page.setViewportSize({ width: 420, height: 700 });
      await page.evaluate(() => {
        (
          globalThis as unknown as { document: { documentElement: { dataset: Record<string, string> } } }
        ).document.documentElement.dataset.theme = 'dark';
      });
      await ui.screenshot('store-upgrade-failed-dark-narrow');
      expect(schemaVersionOf(failing.dir)).toBe(16);

      execOn(failing.dir, CLEAR_THE_WAY);
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByText('OLD-8').first().waitFor();
      expect(await failed.count()).toBe(0);
      expect(schemaVersionOf(failing.dir)).toBe(SCHEMA_VERSION);
    } finally {
      await ui?.close();
      ui = undefined;
      failing.remove();
    }
  }, 120_000);

  it('a failure after the update committed says the store was updated and what did not finish, not that nothing changed', async () => {
    // While the migration runs, the store's tmp folder becomes a link to itself: setting the
    // store's files owner-only, the step after the commit, meets ELOOP and throws.
    await onOlderStoreWhoseUpgradeMeets(
      'OLD-10',
      (dir) => {
        const layout = storeLayout(dir);
        fs.rmSync(layout.temp, { recursive: true, force: true });
        fs.symlinkSync(layout.temp, layout.temp);
      },
      async (page, unfinished) => {
        const layout = storeLayout(unfinished.dir);
        const card = page
          .getByRole('alert')
          .filter({ hasText: 'The evidence store was updated, but not everything finished' });
        await card.waitFor();
        expect(await card.textContent()).toContain(
          `The store was updated to format ${SCHEMA_VERSION} and your evidence is kept. What did not finish: making the store's files readable by your user account alone.`,
        );
        expect(await card.textContent()).toContain('Details: ELOOP: ');
        expect(await card.textContent()).not.toContain('Nothing in the store was changed');
        expect(schemaVersionOf(unfinished.dir)).toBe(SCHEMA_VERSION);
        await ui?.screenshot('store-upgrade-unfinished');

        fs.rmSync(layout.temp);
        await page.getByRole('button', { name: 'Try again' }).click();
        await page.getByText('OLD-10').first().waitFor();
        expect(await card.count()).toBe(0);
      },
    );
  }, 120_000);

  it('a failure after which the store cannot be read says Custos could not tell whether the update was applied, and to try again, then run the audit in Audit store (no command: the window has its own)', async () => {
    // Just before the migration the database turns to unreadable bytes (a failing disk, say): the
    // migration fails, and so does the read that asks whether it had committed.
    await onOlderStoreWhoseUpgradeMeets('OLD-11', makeDatabaseUnreadable, async (page) => {
      const card = page.getByRole('alert').filter({ hasText: 'The evidence store could not be updated' });
      await card.waitFor();
      const text = await card.textContent();
      expect(text).toContain('Custos could not tell whether it was applied');
      expect(text).toContain(
        'choose Try again; once the store opens, open Audit store and run the audit to check it.',
      );
      expect(text).not.toContain('custos audit');
      // Before, a database unreadable after the failure was taken for "not committed".
      expect(text).not.toContain('Nothing in the store was changed');
      expect(text).not.toMatch(/nothing was (written|kept)/);
      await ui?.screenshot('store-upgrade-applied-unknown');
    });
  }, 120_000);

  it('a first read that fails for another reason once the update is done shows that error, not the failed-update card', async () => {
    await ui?.close();
    ui = undefined;
    const damaged = await makeOlderStore('OLD-9');
    try {
      // A table the upgrade does not touch is gone: the upgrade commits, the profile's read then fails.
      const db = openRawDatabase(damaged.dir);
      db.exec('PRAGMA foreign_keys = OFF; DROP TABLE investigators');
      db.close();
      ui = await UiSession.start({ storeDir: damaged.dir });
      const page = ui.page;
      const error = page.getByRole('alert').filter({ hasText: 'no such table: investigators' });
      await error.waitFor();
      // Before, any failure of that read was taken for the update's: "Nothing in the store was changed".
      expect(await page.getByText('The evidence store could not be updated').count()).toBe(0);
      expect(await page.getByText('Nothing in the store was changed').count()).toBe(0);
      expect(schemaVersionOf(damaged.dir)).toBe(SCHEMA_VERSION);
      await ui.screenshot('store-upgrade-other-failure');
    } finally {
      await ui?.close();
      ui = undefined;
      damaged.remove();
    }
  }, 120_000);

  it('an older store whose store.json was edited shows the integrity card, as a current store does, not the failed-update card', async () => {
    await ui?.close();
    ui = undefined;
    const tampered = await makeOlderStore('OLD-10');
    try {
      editStoreAnchor(tampered.dir);
      ui = await UiSession.start({ storeDir: tampered.dir });
      const page = ui.page;
      const card = page.getByRole('alert').filter({
        has: page.getByRole('heading', { name: 'This evidence store failed its integrity check' }),
      });
      await card.waitFor();
      expect(await card.textContent()).toContain("This store's anchor");
      // Before, the window said it could not be updated, nothing was changed, and to try again.
      expect(await page.getByText('The evidence store could not be updated').count()).toBe(0);
      expect(await page.getByText('Nothing in the store was changed').count()).toBe(0);
      expect(schemaVersionOf(tampered.dir)).toBe(16);
      await ui.screenshot('store-upgrade-tampered-anchor');
    } finally {
      await ui?.close();
      ui = undefined;
      tampered.remove();
    }
  }, 120_000);

  it('says whom it waits for while another Custos process holds the store, then upgrades and shows the cases', async () => {
    await ui?.close();
    ui = undefined;
    const held = await makeOlderStore('OLD-6');
    // The holder is a connection of the test's own process: SQLite's exclusive lock refuses the
    // service's just as another process's would.
    const layout = storeLayout(held.dir);
    const holder = WriterLock.acquireNow(layout.writerLock, layout.writerLockInfo);
    try {
      ui = await UiSession.start({ storeDir: held.dir });
      const page = ui.page;
      const notice = page.getByRole('status').filter({ hasText: 'Updating the evidence store' });
      const waiting = notice.filter({
        hasText: `Waiting for another Custos process to finish (pid ${process.pid} on `,
      });
      await waiting.waitFor();
      expect(await notice.textContent()).toContain('the update starts as soon as it has');
      await ui.screenshot('store-upgrade-waiting');
      expect(schemaVersionOf(held.dir)).toBe(16);

      holder.release();
      await page.getByText('OLD-6').first().waitFor();
      expect(await notice.count()).toBe(0);
      expect(schemaVersionOf(held.dir)).toBe(SCHEMA_VERSION);
    } finally {
      holder.release();
      await ui?.close();
      ui = undefined;
      held.remove();
    }
  }, 120_000);

  it('after a failed update, Try again says whom it waits for while another process holds the store, and stops saying so once the update has it', async () => {
    await ui?.close();
    ui = undefined;
    const failing = await makeOlderStore('OLD-9');
    const layout = storeLayout(failing.dir);
    let holder: WriterLock | null = null;
    // The second attempt's migration is held once it has the store, so that the notice can be read then.
    const gate = migrationGate();
    try {
      execOn(failing.dir, TABLE_IN_THE_WAY);
      ui = await UiSession.start({
        storeDir: failing.dir,
        storeUpgradeProbe: gate.probe,
      });
      const page = ui.page;
      await page.getByRole('alert').filter({ hasText: 'The evidence store could not be updated' }).waitFor();
      execOn(failing.dir, CLEAR_THE_WAY);
      holder = WriterLock.acquireNow(layout.writerLock, layout.writerLockInfo);
      gate.hold();
      await page.getByRole('button', { name: 'Try again' }).click();
      const notice = page.getByRole('status').filter({ hasText: 'Updating the evidence store' });
      const waiting = notice.filter({ hasText: 'Waiting for another Custos process to finish' });
      await waiting.waitFor();
      holder.release();
      // Before, the notice was not asked again after a failed read, and said it waited to the end.
      await notice.waitFor();
      await expect.poll(() => waiting.count()).toBe(0);
      expect(await notice.count()).toBe(1);
      gate.release();
      await page.getByText('OLD-9').first().waitFor();
      expect(schemaVersionOf(failing.dir)).toBe(SCHEMA_VERSION);
    } finally {
      gate.release();
      holder?.release();
      await ui?.close();
      ui = undefined;
      failing.remove();
    }
  }, 120_000);

  it('after a failed update, a Try again that fails too gives the focus back to Try again, where a keyboard user pressed it, and Enter there tries once more', async () => {
    // The second attempt's migration is held, so that the notice shown meanwhile can be seen.
    const gate = migrationGate();
    await onOlderStoreWithTableInTheWay('OLD-12', gate, async (page, failing) => {
      const failed = page.getByRole('alert').filter({ hasText: 'The evidence store could not be updated' });
      await failed.waitFor();
      const retry = failed.getByRole('button', { name: 'Try again' });
      await retry.focus();
      gate.hold();
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Updating the evidence store' }).waitFor();
      expect(await failed.count()).toBe(0);
      // The table is still in the way: the second attempt fails as the first did.
      gate.release();
      await failed.waitFor();
      // Before, the focus was left on the page's body when the card came back.
      await expect.poll(() => retry.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
      await ui?.screenshot('store-upgrade-failed-again');

      execOn(failing.dir, CLEAR_THE_WAY);
      await page.keyboard.press('Enter');
      await page.getByText('OLD-12').first().waitFor();
      expect(schemaVersionOf(failing.dir)).toBe(SCHEMA_VERSION);
    });
  }, 120_000);

  it("a read that a second Try again replaced is dropped: its late answer that the update failed does not take the place of the newer read's failure", async () => {
    await onOlderStoreWithTableInTheWay('OLD-13', migrationGate(), async (page, failing) => {
      const failed = page.getByRole('alert').filter({ hasText: 'The evidence store could not be updated' });
      await failed.waitFor();
      // Each Try again's new attempt is held, so that it can be pressed twice; the upgrade's state
      // asked once the first attempt's read has failed is held too, with the answer it had then.
      const attempts: (() => Promise<void>)[] = [];
      let holdAttempts = true;
      let holdNextAsk = false;
      let heldAsk: (() => Promise<void>) | null = null;
      await page.route('**/api/startStoreUpgrade', async (route) => {
        const again = (JSON.parse(route.request().postData() ?? '{}') as { again?: boolean }).again;
        if (again && holdAttempts) attempts.push(() => route.continue());
        else if (!again && holdNextAsk) {
          holdNextAsk = false;
          const response = await route.fetch();
          heldAsk = () => route.fulfill({ response });
        } else await route.continue();
      });
      let armed = false;
      await page.route('**/api/getProfile', async (route) => {
        const response = await route.fetch();
        if (armed) {
          armed = false;
          holdNextAsk = true; // the read's own ask follows its failure
        }
        await route.fulfill({ response });
      });
      const retry = failed.getByRole('button', { name: 'Try again' });
      await retry.click();
      await retry.click();
      await expect.poll(() => attempts.length).toBe(2);
      // The first attempt fails as before (the table is still in the way); its read's ask is held.
      armed = true;
      await attempts[0]!();
      await expect.poll(() => heldAsk !== null).toBe(true);
      // The second attempt, the table gone, updates the store; the read after it fails for another
      // reason (a table the update does not touch is gone): the window says so.
      execOn(failing.dir, `${CLEAR_THE_WAY}; PRAGMA foreign_keys = OFF; DROP TABLE investigators`);
      holdAttempts = false;
      await attempts[1]!();
      const other = page.getByRole('alert').filter({ hasText: 'no such table: investigators' });
      await other.waitFor();
      expect(schemaVersionOf(failing.dir)).toBe(SCHEMA_VERSION);
      // The replaced read's ask answers now, that the update had failed: before, the window took
      // it and said the store could not be updated, after it had been.
      await heldAsk!();
      // The card's own Try again is answered after that late answer reached the window.
      await other.getByRole('button', { name: 'Try again' }).click();
      await other.getByText('still failing').waitFor();
      expect(await failed.count()).toBe(0);
      expect(await other.count()).toBe(1);
    });
  }, 120_000);
});
